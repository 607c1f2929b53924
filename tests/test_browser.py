"""End to end in a real browser: `streamlit run` driven by playwright over Debian's chromium."""

import os
import shutil
import sqlite3
import subprocess
import time

import pytest

from ingest.pipeline import ingest
from ingest.settings import PROJECT_ROOT, Settings

from .conftest import CORPUS, VENV_BIN, free_port, wait_for_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "artifacts"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="chromium not installed"),
]


@pytest.fixture
def served_app(tmp_path, real_embedder):
    store = tmp_path / "chroma"
    ingest([CORPUS], Settings(chroma_path=store), real_embedder)
    port = free_port()
    env = {**os.environ, "CAREERCHAT_CHROMA_PATH": str(store), "CAREERCHAT_FEEDBACK_DB": str(tmp_path / "fb.sqlite3")}
    proc = subprocess.Popen(
        [str(VENV_BIN / "streamlit"), "run", str(PROJECT_ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", tmp_path / "fb.sqlite3"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ask_open_source_and_thumbs_up(served_app):
    from playwright.sync_api import expect, sync_playwright

    url, feedback_db = served_app
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=90_000)
        box.fill("Should I be an SRE or a backend engineer?")
        box.press("Enter")
        expect(page.get_by_text("How to decide")).to_be_visible(timeout=90_000)

        expander = page.get_by_test_id("stExpander").filter(has_text="[1]").first
        expander.locator("summary").click()
        expect(expander.locator("mark").first).to_be_visible()
        assert "ensure the machine keeps running" in expander.inner_text()

        page.get_by_test_id("stFeedbackButton").first.click()
        deadline = time.monotonic() + 30
        rows = []
        while time.monotonic() < deadline and not rows:
            if feedback_db.exists():
                rows = sqlite3.connect(feedback_db).execute("select rating, question from feedback").fetchall()
            time.sleep(0.3)
        assert rows == [(1, "Should I be an SRE or a backend engineer?")]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
        browser.close()
