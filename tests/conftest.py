"""Shared fixtures: the real packaged embedder, temp stores, a copy of the corpus, a real chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.settings import BotSettings
from ingest.embedding import Embedder, load_embedder
from ingest.pipeline import ingest
from ingest.settings import PROJECT_ROOT

from .fake_openai import FakeChatCompletions, QuietServer

CORPUS = PROJECT_ROOT / "corpus"
VENV_BIN = Path(sys.executable).parent


class CountingEmbedder(Embedder):
    """The real embedder, counting how many passages it embedded (to prove idempotency)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.embedded = 0

    name = property(lambda self: self.inner.name)
    dimension = property(lambda self: self.inner.dimension)
    max_tokens = property(lambda self: self.inner.max_tokens)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode(self, texts: list[str]):
        return self.inner.encode(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    return load_embedder(BotSettings())


@pytest.fixture(scope="session")
def store_settings(tmp_path_factory, real_embedder) -> BotSettings:
    """One store built from the real corpus, shared by every test that only reads it."""
    settings = BotSettings(chroma_path=tmp_path_factory.mktemp("corpus-store") / "chroma", corpus_dir=CORPUS,
                        openai_api_key=None, openai_base_url=None)
    ingest([CORPUS], settings, real_embedder)
    return settings


@pytest.fixture
def fake_llm():
    server = QuietServer(("127.0.0.1", 0), FakeChatCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeChatCompletions.mode = "ok"
    FakeChatCompletions.requests = []
    yield FakeChatCompletions, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


@pytest.fixture
def embedder(real_embedder: Embedder) -> CountingEmbedder:
    return CountingEmbedder(real_embedder)


@pytest.fixture
def settings(tmp_path: Path) -> BotSettings:
    return BotSettings(chroma_path=tmp_path / "store" / "chroma", corpus_dir=tmp_path / "corpus")


@pytest.fixture
def corpus_copy(settings: BotSettings) -> Path:
    shutil.copytree(CORPUS, settings.corpus_dir)
    return settings.corpus_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


class ChromaServer:
    """A real `chroma run` process on 127.0.0.1 that a test can stop and start again on the same port and data."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "chroma"), "run", "--path", str(self.data), "--host", "127.0.0.1", "--port",
             str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        wait_for_port(self.port, self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` server shared by the session; yields its URL."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                    reason="chromium not installed (`make browser`)")


@contextmanager
def serve_app(tmp_path: Path, embedder: Embedder, corpora: Sequence[Path] = (CORPUS,)):
    """`streamlit run app.py` on a real store of ``corpora``; yields its URL and its SQLite file."""
    store, db = tmp_path / "chroma", tmp_path / "fb.sqlite3"
    ingest(list(corpora), BotSettings(chroma_path=store), embedder)
    port = free_port()
    env = {**os.environ, "CAREERCHAT_CHROMA_PATH": str(store), "CAREERCHAT_FEEDBACK_DB": str(db)}
    proc = subprocess.Popen(
        [str(VENV_BIN / "streamlit"), "run", str(PROJECT_ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", db
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def served_app(tmp_path, real_embedder):
    with serve_app(tmp_path, real_embedder) as served:
        yield served


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 180):
    """Run the installed `careerchat` console script as a user would."""
    return subprocess.run(
        [str(VENV_BIN / "careerchat"), *args],
        capture_output=True,
        text=True,
        input=input,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def cli_env(settings: BotSettings) -> dict[str, str]:
    return {"CAREERCHAT_CHROMA_PATH": str(settings.chroma_path), "CAREERCHAT_CORPUS_DIR": str(settings.corpus_dir)}
