"""A `chroma run` server that stops mid-session: a clear error, nothing lost, and recovery once it is back."""

import json
import os
import select
import subprocess
import time

import pytest
from streamlit.testing.v1 import AppTest

from bot.chat import Conversation, Engine
from bot.settings import BotSettings
from evals.settings import get_eval_settings
from ingest.pipeline import ingest
from ingest.settings import PROJECT_ROOT
from ingest.store import StoreUnavailableError

from ..conftest import CORPUS, VENV_BIN, ChromaServer, run_cli

pytestmark = pytest.mark.slow
DOWN = "Cannot reach the Chroma server at http://127.0.0.1"


@pytest.fixture
def server(tmp_path, real_embedder):
    server = ChromaServer(tmp_path / "server-data")
    server.start()
    ingest([CORPUS], BotSettings(chroma_url=server.url), real_embedder)
    try:
        yield server
    finally:
        server.stop()


def server_env(server: ChromaServer) -> dict[str, str]:
    return {"CAREERCHAT_CHROMA_URL": server.url, "CAREERCHAT_OPENAI_API_KEY": "", "CAREERCHAT_OPENAI_BASE_URL": ""}


def test_engine_fails_fast_keeps_history_and_recovers(server, real_embedder):
    chat = Conversation(Engine(BotSettings(chroma_url=server.url, openai_api_key=None), real_embedder))
    assert not chat.ask("What does a data engineer do?").refused
    server.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match=DOWN):
        chat.ask("What is their career path?")
    assert time.monotonic() - started < 10
    assert len(chat.history) == 1, "the failed turn never enters the history"
    server.start()
    again = chat.ask("What is their career path?")
    assert not again.refused and "data engineer" in again.rewritten_query.lower()


def read_json_line(proc: subprocess.Popen, timeout: float = 120) -> dict:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "no reply from `careerchat chat --json`"
    return json.loads(proc.stdout.readline())


def test_cli_chat_session_survives_the_outage_and_ask_exits_clearly(server):
    env = {**os.environ, **server_env(server)}
    proc = subprocess.Popen([str(VENV_BIN / "careerchat"), "chat", "--json"], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def turn(question: str) -> dict:
        proc.stdin.write(question + "\n")
        proc.stdin.flush()
        return read_json_line(proc)

    try:
        assert turn("What does a product manager do?")["citations"]
        server.stop()
        assert DOWN in turn("What is their career path?")["error"]
        cold = run_cli("ask", "What does an SRE do?", env=server_env(server))
        assert cold.returncode == 2 and DOWN in cold.stderr and "Traceback" not in cold.stderr
        server.start()
        back = turn("What is their career path?")
        assert back["citations"] and "product manager" in back["rewritten_query"].lower()
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    assert "Traceback" not in proc.stderr.read()


def test_app_shows_the_outage_keeps_running_and_recovers(server, monkeypatch):
    for key, value in server_env(server).items():
        monkeypatch.setenv(key, value)
    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value("What does a UX researcher do?").run()
    assert not app.exception and app.expander
    server.stop()
    app.chat_input[0].set_value("What backgrounds do they come from?").run()
    assert not app.exception
    assert any(DOWN in e.value for e in app.error)
    server.start()
    app.chat_input[0].set_value("What backgrounds do they come from?").run()
    assert not app.exception and not app.error
    assert [m.name for m in app.chat_message] == ["user", "assistant"] * 2, "one failed turn, nothing lost or doubled"
    get_eval_settings.cache_clear()
