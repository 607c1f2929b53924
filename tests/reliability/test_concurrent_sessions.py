"""20 people chatting at once in one `streamlit run` server, each in their own browser context.

Every session asks about a different role, then a follow-up that only makes sense with its own history.
Its transcript must hold exactly its own questions, and the follow-up must cite exactly the passages the
same two turns get in a conversation of their own: a mixed-up history would rewrite the follow-up with
another session's role and cite other passages.
"""

import asyncio

import pytest

from bot.chat import Conversation, Engine
from bot.settings import BotSettings

from ..conftest import BROWSER_ARGS, CHROMIUM, needs_chromium

pytestmark = [pytest.mark.slow, needs_chromium]
SESSIONS = 20
FOLLOW_UP = "What backgrounds do they come from?"
COMMENT_BOX = "Optional comment on this answer"


def citation_labels(answer) -> list[str]:
    return [f"[{c.n}] {c.source} — {c.section}" for c in answer.citations]


async def chat(browser, url: str, questions: list[str]) -> tuple[list[str], list[str]]:
    """The session's chat messages and the source labels under its last answer."""
    context = await browser.new_context(viewport={"width": 1000, "height": 1400})
    page = await context.new_page()
    await page.goto(url, timeout=120_000)  # twenty pages open at once on two cores
    box = page.get_by_test_id("stChatInputTextArea")
    await box.wait_for(timeout=180_000)
    for turn, question in enumerate(questions, start=1):
        await box.fill(question)
        await box.press("Enter")
        await page.get_by_placeholder(COMMENT_BOX).nth(turn - 1).wait_for(timeout=180_000)
    messages = [await m.inner_text() for m in await page.get_by_test_id("stChatMessage").all()]
    last = page.get_by_test_id("stChatMessage").last
    labels = [await s.inner_text() for s in await last.get_by_test_id("stExpander").locator("summary").all()]
    await context.close()
    return messages, [label.strip() for label in labels]


async def all_sessions(url: str, conversations: list[list[str]]) -> list[tuple[list[str], list[str]]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            return await asyncio.gather(*(chat(browser, url, q) for q in conversations))
        finally:
            await browser.close()


def test_twenty_concurrent_streamlit_sessions_never_mix_histories(served_app, real_embedder):
    url, _ = served_app
    engine = Engine(BotSettings(chroma_path=served_app[1].parent / "chroma"), real_embedder)
    # One role per session, named the way its own guide heading names it.
    headings = [h.split(" / ")[0].split(" (")[0] for h in engine.retriever.index().catalog.heading_keys]
    conversations = [[f"What does a {role} do?", FOLLOW_UP] for role in dict.fromkeys(headings)][:SESSIONS]
    assert len(conversations) == SESSIONS
    expected = []
    for questions in conversations:
        alone = Conversation(engine)
        expected.append(citation_labels([alone.ask(q) for q in questions][-1]))
    assert len({tuple(e) for e in expected}) > SESSIONS // 2, "follow-ups differ by role, so a mix-up shows"

    results = asyncio.run(all_sessions(url, conversations))

    for questions, wanted, (messages, labels) in zip(conversations, expected, results, strict=True):
        assert len(messages) == 4, messages
        assert questions[0] in messages[0] and FOLLOW_UP in messages[2]
        others = {c[0] for c in conversations} - {questions[0]}
        assert not any(other in m for m in messages for other in others), "another session's question leaked in"
        same = len(labels) == len(wanted) and all(w in label for w, label in zip(wanted, labels, strict=True))
        assert same, f"follow-up in the session about {questions[0]!r} cites {labels}, alone it cites {wanted}"
