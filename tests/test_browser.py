"""End to end in a real browser: `streamlit run` driven by playwright over Debian's chromium."""

import json
import re
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ingest.settings import PROJECT_ROOT

from .conftest import BROWSER_ARGS, CHROMIUM, needs_chromium, run_cli

ARTIFACTS = PROJECT_ROOT / "artifacts"
pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture
def browser():
    """Debian's chromium driven by playwright (which never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


def test_ask_open_source_and_thumbs_up(served_app, browser):
    from playwright.sync_api import expect

    url, feedback_db = served_app
    page = browser.new_page(viewport={"width": 1200, "height": 1600})
    page.goto(url)
    _ask(page, "Should I be an SRE or a backend engineer?")
    assert page.get_by_test_id("stAppDeployButton").count() == 0, "no Deploy button for people chatting"
    reply = page.get_by_test_id("stChatMessage").nth(1)
    reply.wait_for(timeout=90_000)
    lengths = []
    while not page.get_by_test_id("stExpander").count() and len(lengths) < 2000:
        lengths.append(len(reply.inner_text()))
        page.wait_for_timeout(20)
    assert len({n for n in lengths if n}) >= 3, "the answer appears as it streams, not all at once"
    expect(page.get_by_text("How to decide")).to_be_visible(timeout=90_000)

    expander = page.get_by_test_id("stExpander").filter(has_text="[1]").first
    expander.locator("summary").click()
    expect(expander.locator("mark").first).to_be_visible()
    assert "ensure the machine keeps running" in expander.inner_text()

    page.get_by_test_id("stFeedbackButton").first.click()
    rows = _rows(feedback_db, "select rating, question from feedback", bool)
    assert rows == [(1, "Should I be an SRE or a backend engineer?")]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=90_000)
    box.fill(question)
    box.press("Enter")


def _rows(db, query: str, until, timeout: float = 30):
    deadline, rows = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        try:
            rows = sqlite3.connect(db).execute(query).fetchall()
        except sqlite3.OperationalError:  # the app has not made the file or its table yet
            rows = []
        if until(rows):
            return rows
        time.sleep(0.3)
    return rows


def test_viewer_refresh_share_and_comment_after_thumb(served_app, browser):
    from playwright.sync_api import expect

    url, db = served_app
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(url)
    _ask(page, "What starter project should a backend engineer build?")
    expander = page.get_by_test_id("stExpander").filter(has_text="it-career-paths.txt").first
    expander.locator("summary").click()
    expander.get_by_role("button", name="Open in guide").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#cc-cited")).to_be_visible(timeout=30_000)
    expect(dialog.locator(".cc-crumbs")).to_contain_text("Backend engineering")
    assert "You'll like it if" in dialog.inner_text(), "the whole section, not one bullet"
    expect(dialog.locator("#cc-cited mark").first).to_be_in_viewport()
    dialog.get_by_text("Show the whole guide").click()
    expect(dialog.get_by_text("Skills that help in every path")).to_be_visible(timeout=30_000)
    expect(dialog.locator("#cc-cited")).to_be_in_viewport(timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer.png"))
    page.keyboard.press("Escape")

    page.get_by_test_id("stFeedbackButton").nth(1).click()  # thumbs down, then the comment
    comment = page.get_by_placeholder("Optional comment on this answer (saved with your rating)")
    comment.fill("cites the frontend project too")
    comment.press("Enter")
    rows = _rows(db, "select rating, comment from feedback", lambda r: r and r[0][1])
    assert rows == [(-1, "cites the frontend project too")]

    expect(page).to_have_url(re.compile(r"[?&]c=[\w-]{22}"), timeout=30_000)
    owner_url = page.url
    page.reload()
    question = "What starter project should a backend engineer build?"
    expect(page.get_by_test_id("stChatMessage").get_by_text(question)).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("stSidebar").get_by_text(question)).to_be_visible()  # listed under recent
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()

    shared = browser.new_page()
    conversation = re.search(r"c=([\w-]+)", owner_url).group(1)
    shared.goto(f"{url}/?c={conversation}")
    expect(shared.get_by_text("A shared conversation, read-only")).to_be_visible(timeout=90_000)
    expect(shared.get_by_test_id("stChatMessage").get_by_text(question)).to_be_visible()
    assert shared.get_by_test_id("stSidebar").get_by_text(question).count() == 0, "not in a stranger's list"
    assert shared.get_by_test_id("stChatInputTextArea").count() == 0
    expect(shared.get_by_test_id("stSidebar").get_by_text("Only this guide")).to_be_visible(timeout=30_000)
    shared.screenshot(path=str(ARTIFACTS / "shared.png"), full_page=True)
    stranger = browser.new_page()
    stranger.goto(f"{url}/?c={'x' * 22}")
    expect(stranger.get_by_text("No conversation has that link")).to_be_visible(timeout=90_000)
    expect(stranger.get_by_test_id("stChatMessage")).to_have_count(0)

    env = {"CAREERCHAT_CHROMA_PATH": str(db.parent / "chroma"), "CAREERCHAT_FEEDBACK_DB": str(db)}
    cases = db.parent / "feedback.jsonl"
    exported = run_cli("feedback", "export", "--out", str(cases), env=env)
    assert exported.returncode == 0 and "1 cases from 1 ratings" in exported.stdout, exported.stderr
    assert "cites the frontend project too" in cases.read_text(), "the thumbs-down comes out as a case to review"
    ran = run_cli("eval", "--golden", str(cases), "--out", str(db.parent / "report"), env=env, timeout=600)
    assert ran.returncode in (0, 1) and "Traceback" not in ran.stderr, ran.stderr
    assert len(json.loads((db.parent / "report" / "eval.json").read_text())["cases"]) == 1


PIXEL_HITS: list[str] = []


class _Pixel(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        PIXEL_HITS.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_guide_loads_nothing_and_links_nothing(tmp_path, real_embedder, browser):
    from playwright.sync_api import expect

    from .conftest import free_port, serve_app

    port = free_port()
    pixel = HTTPServer(("127.0.0.1", port), _Pixel)
    threading.Thread(target=pixel.serve_forever, daemon=True).start()
    evil = f"http://127.0.0.1:{port}"
    guide = tmp_path / "hostile" / "astronaut.md"
    guide.parent.mkdir()
    guide.write_text(
        f"# Space careers\n\n## Astronaut ![p]({evil}/label.png) :red[loud] [x]({evil}/click)\n\n"
        f"Astronauts train for years before a mission. See {evil}/bare and www.example.com or mail crew@example.com. "
        f"![pixel]({evil}/body.png) <img src=\"{evil}/html.png\">\n")
    with serve_app(tmp_path / "app", real_embedder, [guide.parent]) as (url, _db):
        page = browser.new_page()
        page.goto(url)
        _ask(page, "What do astronauts do before a mission?")
        expander = page.get_by_test_id("stExpander").first
        expect(expander).to_contain_text(":red[loud]", timeout=90_000)
        expander.locator("summary").click()
        expander.get_by_role("button", name="Open in guide").click()
        expect(page.get_by_role("dialog").locator("#cc-cited")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)
        main = page.locator("body")
        links = main.locator(f"a[href^='{evil}'], a[href*='example.com'], a[href^='mailto']")
        assert links.count() == 0, [links.nth(i).evaluate("a => a.parentElement.outerHTML") for i in range(links.count())]
        assert page.locator(f"img[src^='{evil}']").count() == 0
        assert f"{evil}/bare" in main.inner_text().replace("\u2060", ""), "shown as plain text"
    pixel.shutdown()
    assert PIXEL_HITS == [], "no request left the page for a corpus address"
