"""End to end in a real browser: `streamlit run` driven by playwright over Debian's chromium."""

import sqlite3
import time

import pytest

from ingest.settings import PROJECT_ROOT

from .conftest import BROWSER_ARGS, CHROMIUM, needs_chromium

ARTIFACTS = PROJECT_ROOT / "artifacts"
pytestmark = [pytest.mark.slow, needs_chromium]


def test_ask_open_source_and_thumbs_up(served_app):
    from playwright.sync_api import expect, sync_playwright

    url, feedback_db = served_app
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
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
