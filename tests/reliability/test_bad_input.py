"""Bad input through the CLI, the UI and the corpus: a clear outcome every time, never a traceback."""

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from ingest.settings import PROJECT_ROOT

from ..conftest import CORPUS, VENV_BIN, cli_env, run_cli

NASTY = [
    "What does an SRE do?\x00\x07\x1b[31m",  # NUL, bell, ANSI escape
    "What does a QA engineer do? 🚀🔥👩‍💻",  # emoji
    "ما هو عمل مهندس البيانات؟ What does a data engineer do?",  # right-to-left text
    "Что делает инженер по данным?",  # another language, no English at all
    "¿Qué hace un ingeniero de datos?",
    "\u202eWhat does a PM do?\u202c",  # bidi override characters
]


def test_cli_chat_json_survives_hostile_lines_and_non_utf8(store_settings):
    stdin = ("\n".join(NASTY) + "\n").encode() + b"What does a \xff\xfe backend engineer do?\n"
    done = subprocess.run([str(VENV_BIN / "careerchat"), "chat", "--json"], input=stdin, capture_output=True,
                          timeout=180, env={**__import__("os").environ, **cli_env(store_settings)})
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(answers) == len(NASTY) + 1
    assert "\x00" not in answers[0]["question"] and "\x1b" not in answers[0]["question"]
    assert not answers[0]["refused"] and not answers[1]["refused"], "control chars and emoji do not block an answer"
    assert answers[3]["refused"] and answers[4]["refused"], "a question the guides can't read is refused, not guessed"
    assert not answers[-1]["refused"] and "\ufffd" in answers[-1]["question"]


def test_cli_50k_question_is_truncated_with_notice_and_empty_is_refused(store_settings):
    env = cli_env(store_settings)
    long = run_cli("ask", "--json", "What does an SRE do? " + "x" * 50_000, env=env)
    assert long.returncode == 0 and "Traceback" not in long.stderr
    data = json.loads(long.stdout)
    assert data["question"] == "What does an SRE do?" and "from its last question on" in data["notice"]
    assert not data["refused"], "the question asked first survives the paste after it"
    for blank in ("", "   \t  "):
        empty = run_cli("ask", blank, env=env)
        assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr


@pytest.mark.parametrize("question", ["   ", "What does an SRE do? " + "y" * 50_000, "\x00\x01 PM?", NASTY[2]])
def test_ui_bad_questions_never_raise(store_settings, monkeypatch, question):
    monkeypatch.setenv("CAREERCHAT_CHROMA_PATH", str(store_settings.chroma_path))
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    if len(question) > 2000:
        assert any("from its last question on" in e.value for e in app.error)
    if not question.strip():
        assert any("empty" in w.value for w in app.warning) and not app.chat_message
    get_eval_settings.cache_clear()


def test_huge_binary_symlink_loop_and_empty_files_are_skipped_with_bounded_memory(settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text((CORPUS / "engineering-job-roles.md").read_text())
    with open(corpus / "huge.txt", "wb") as f:  # 100 MB
        f.truncate(100 * 2**20)
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    (corpus / "empty.txt").write_text("")
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "outside.txt").symlink_to("/etc/passwd")
    env = {**cli_env(settings), "CAREERCHAT_CORPUS_DIR": str(corpus)}
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(r.returncode); print(r.stdout); print(r.stderr, file=sys.stderr); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, str(VENV_BIN / "careerchat"), "ingest"], capture_output=True,
                          text=True, timeout=300, env={**__import__("os").environ, **env})
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "0", done.stderr
    report = done.stdout + done.stderr
    assert "Traceback" not in report
    for name in ("huge.txt", "image.png", "broken.pdf", "empty.txt", "outside.txt"):
        assert name in report, f"{name} skipped with a reason"
    assert int(lines[-1]) / 1024 < 1500, "peak RSS stays bounded (the 100 MB file is never read whole)"


def test_empty_corpus_folder_and_corrupt_store_are_clear(settings, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = run_cli("ingest", env={**cli_env(settings), "CAREERCHAT_CORPUS_DIR": str(empty)})
    assert result.returncode != 0 and "Traceback" not in result.stderr and result.stderr.strip()
    broken = tmp_path / "broken" / "chroma"
    broken.mkdir(parents=True)
    (broken / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    asked = run_cli("ask", "What does an SRE do?", env={"CAREERCHAT_CHROMA_PATH": str(broken)})
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert "--reset" in asked.stderr or "careerchat ingest" in asked.stderr
