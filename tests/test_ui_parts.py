"""The pieces behind the chat page: feedback store, exports and safe highlighting."""

import json

import pytest

from bot.export import to_json, to_markdown
from bot.feedback import FeedbackStore
from bot.highlight import highlighted_passage
from bot.models import Answer, Citation


def sample_answer(question: str = "What does an SRE do?") -> Answer:
    passage = "Role: The individuals who ensure the machine keeps running. <script>alert(1)</script> More."
    citation = Citation(n=1, source="atlas.txt", section="Engineering > SRE > Role", text=passage, score=0.5,
                        support=[(0, 59)])
    return Answer(question=question, answer="- Role: The individuals who ensure the machine keeps running. [1]",
                  refused=False, rewritten_query=question, citations=[citation], backend="extractive")


def test_feedback_rows_are_written_with_everything(tmp_path):
    store = FeedbackStore(tmp_path / "fb" / "feedback.sqlite3")
    tricky = sample_answer("x'); drop table feedback; --")
    store.record(tricky, 1, comment="useful 'quote'")
    store.record(sample_answer(), -1)
    rows = store.rows()
    assert [r.rating for r in rows] == [1, -1]
    assert rows[0].question == "x'); drop table feedback; --" and rows[0].comment == "useful 'quote'"
    assert rows[0].citations[0].source == "atlas.txt"
    assert rows[0].backend == "extractive" and rows[0].created_at
    with pytest.raises(ValueError):
        store.record(tricky, 5)


def test_exports_carry_questions_answers_and_citations():
    history = [sample_answer(), sample_answer("And their career path?")]
    markdown = to_markdown(history)
    assert "**You:** What does an SRE do?" in markdown and "[1] atlas.txt — Engineering > SRE > Role" in markdown
    assert "> Role: The individuals who ensure the machine keeps running." in markdown, "the passage text itself"
    data = json.loads(to_json(history))
    assert len(data) == 2 and data[1]["question"] == "And their career path?"
    assert data[0]["citations"][0]["support"] == [[0, 59]]


def test_highlight_escapes_corpus_html_and_marks_support():
    html = highlighted_passage(sample_answer().citations[0])
    assert html.startswith("<mark>Role: The individuals who ensure the machine keeps running.</mark>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_passage_under_no_heading_is_cited_as_its_guides_introduction():
    opening = Citation(n=1, source="guide.html", section="", text="Written by the careers team.", score=0.5)
    assert opening.place == "guide.html — Introduction"
    assert Citation(n=2, source="guide.html", section="Pay", text="x", score=0.5).place == "guide.html — Pay"
