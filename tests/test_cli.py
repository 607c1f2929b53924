"""The `careerchat` console script, run as a subprocess exactly as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import cli_env, run_cli

KEYS = {"documents", "chunks", "added", "updated", "deleted", "unchanged", "skipped", "gone", "seconds"}


def only_json_line(stdout: str) -> dict:
    lines = stdout.strip().split("\n")
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_help_explains_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("ingest", "stats", "ask", "chat", "eval", "judge", "feedback"):
        assert command in result.stdout, "plugin commands are listed too"
    ingest_help = run_cli("ingest", "--help").stdout
    assert "--reset" in ingest_help and "--json" in ingest_help


def test_core_commands_leave_the_plugins_unloaded(settings):
    """Finding and importing the plugins costs a cold `ask` ~60 ms: only a plugin's own command (or --help) loads them."""
    probe = ("import sys\nfrom bot import cli\nsys.argv = ['careerchat', *sys.argv[1:]]\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\nprint('evals' in sys.modules)")
    for args, loaded in ((["stats"], "False"), (["eval", "--help"], "True")):
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120,
                                env={**os.environ, **cli_env(settings)})
        assert result.stdout.strip().splitlines()[-1] == loaded, (args, result.stdout, result.stderr)
    assert "--golden" in run_cli("eval", "--help").stdout


def test_ingest_json_twice_reports_zero_added(settings, corpus_copy):
    env = cli_env(settings)
    first = run_cli("ingest", "--json", env=env)
    assert first.returncode == 0, first.stderr
    data = only_json_line(first.stdout)
    assert set(data) == KEYS and data["added"] == data["chunks"] > 50 and data["documents"] == 3
    second = only_json_line(run_cli("ingest", "--json", env=env).stdout)
    assert second["added"] == 0 and second["unchanged"] == data["chunks"]

    stats = run_cli("stats", "--json", env=env)
    assert stats.returncode == 0
    info = json.loads(stats.stdout)
    assert info["documents"] == 3 and info["chunks"] == data["chunks"]
    assert info["store"] == str(settings.chroma_path) and info["model"]


def test_bad_inputs_are_skipped_and_good_files_still_ingested(settings, tmp_path: Path):
    folder = settings.corpus_dir
    folder.mkdir(parents=True)
    (folder / "good.md").write_text("---\ntitle: Good\n---\n## SRE\n\nSREs keep production healthy.\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "legacy.txt").write_bytes("Legacy\n\nA caf\u00e9 na\u00efve r\u00e9sum\u00e9 guide.\n".encode("cp1252"))
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty-folder").mkdir()
    result = run_cli("ingest", str(folder), str(tmp_path / "nope"), str(tmp_path / "empty-folder"), "--json",
                     env=cli_env(settings))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = only_json_line(result.stdout)
    assert data["documents"] == 2
    reasons = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert set(reasons) == {"empty.txt", "binary.txt", "slides.pptx", "nope", "empty-folder"}
    assert "no such file" in reasons["nope"] and "no documents" in reasons["empty-folder"]
    for name in reasons:
        assert sum(name in line for line in result.stderr.splitlines()) == 1, result.stderr


def test_nothing_ingestible_exits_non_zero_without_traceback(settings, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("ingest", str(empty), env=cli_env(settings))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no documents" in result.stderr
    missing = run_cli("ingest", str(tmp_path / "missing"), env=cli_env(settings))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_stats_on_missing_store_is_a_clear_error(settings):
    result = run_cli("stats", env=cli_env(settings))
    assert result.returncode == 2
    assert "careerchat ingest" in result.stderr and "Traceback" not in result.stderr


def test_invalid_setting_is_one_clear_line(settings):
    result = run_cli("stats", env={**cli_env(settings), "CAREERCHAT_TOP_K": "lots"})
    assert result.returncode == 2
    assert "CAREERCHAT_TOP_K" in result.stderr and "Traceback" not in result.stderr
