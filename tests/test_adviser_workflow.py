"""The adviser's workflow behind the page: saved conversations, keyed feedback, the citation viewer, exports with
passages and settings, hostile text made safe, and ratings exported as golden cases that `eval --golden` runs."""

import json
import re
import sqlite3

import pytest

from bot.chat import Conversation, Engine
from bot.conversations import ConversationStore, is_token, new_token
from bot.export import to_json, to_markdown
from bot.feedback import FeedbackStore
from bot.highlight import safe_label, safe_markdown, source_view_html
from bot.source_view import source_view
from evals.golden import load_cases
from ingest.pipeline import ingest

from .conftest import cli_env, run_cli


@pytest.fixture(scope="module")
def engine(store_settings, real_embedder) -> Engine:
    return Engine(store_settings, real_embedder)


def test_conversations_survive_and_only_their_owner_adds(tmp_path, engine):
    store = ConversationStore(tmp_path / "app.sqlite3")
    owner, stranger = new_token(), new_token()
    chat = Conversation(engine)
    cid = store.create(owner)
    for question in ("What does an SRE do?", "How do I become one?"):
        store.append(cid, owner, chat.ask(question))
    again = ConversationStore(tmp_path / "app.sqlite3").load(cid)  # a new process, as after a refresh
    assert [a.question for a in again.history] == ["What does an SRE do?", "How do I become one?"]
    assert again.history[1].citations == chat.history[1].citations and again.owner == owner
    assert again.title == "What does an SRE do?"
    with pytest.raises(PermissionError):
        store.append(cid, stranger, chat.history[0])
    assert store.recent(owner)[0].id == cid and store.recent(stranger) == []
    assert store.load("not-a-token") is None and store.load(new_token()) is None


def test_ids_are_unguessable_tokens():
    ids = {new_token() for _ in range(2000)}
    assert len(ids) == 2000 and all(is_token(i) and len(i) >= 22 for i in ids), "128 random bits each"
    assert not is_token("1") and not is_token("../../etc") and not is_token(None)


def test_feedback_comment_after_the_thumb_updates_the_same_row(tmp_path, engine):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    answer = engine.ask("What does a data engineer do all day?")
    first = store.record(answer, -1, "", conversation_id="c" * 22, turn=0)
    again = store.record(answer, -1, "it shows a data scientist's day", conversation_id="c" * 22, turn=0)
    assert first == again
    rows = store.rows()
    assert len(rows) == 1 and rows[0].comment == "it shows a data scientist's day" and rows[0].rating == -1
    assert store.counts() == {("answer", -1): 1}


def test_feedback_table_of_an_older_version_keeps_its_rows(tmp_path):
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("create table feedback (id integer primary key autoincrement, created_at text not null, rating "
                     "integer not null check (rating in (-1, 1)), comment text not null default '', question text not "
                     "null, answer text not null, citations text not null, backend text not null)")
        conn.execute("insert into feedback (created_at, rating, comment, question, answer, citations, backend) values "
                     "('2026-11-01', -1, 'refused wrongly', 'q?', 'I can''t answer that', '[]', 'extractive')")
    rows = FeedbackStore(db).rows()
    assert [(r.comment, r.refused, r.conversation_id) for r in rows] == [("refused wrongly", True, None)]


def test_viewer_opens_the_whole_section_at_the_cited_bullet(engine):
    answer = engine.ask("What starter project should a backend engineer build?")
    citation = next(c for c in answer.citations if c.source == "it-career-paths.txt")
    view = source_view(engine.store, citation)
    assert view.found and view.breadcrumbs[0] == view.title and view.breadcrumbs[1:] == citation.section.split(" > ")
    top = citation.section.split(" > ")[0]
    assert len(view.blocks) > 1 and all(b.section.split(" > ")[0] == top for b in view.blocks), "its siblings too"
    cited = next(b for b in view.blocks if b.cited)
    start, end = cited.cited
    assert cited.text[start:end] == citation.text
    for (s, e), (cs, ce) in zip(cited.support, citation.support, strict=True):
        assert cited.text[s:e] == citation.text[cs:ce]
    whole = source_view(engine.store, citation, whole_document=True)
    assert len(whole.blocks) > len(view.blocks)
    html = source_view_html(view)
    assert html.count('id="cc-cited"') == 1 and "<mark>" in html


def test_viewer_merges_overlapping_chunks_of_a_long_section(engine):
    index = engine.retriever.index()
    sections = [m["section"] for m in index.metas]
    long_section = next(s for s in sections if sections.count(s) > 1)
    row = sections.index(long_section)
    passage = index.passage(row)
    from bot.models import Citation

    citation = Citation(n=1, id=passage.id, source=passage.source, section=passage.section, text=passage.text,
                        score=0.0)
    block = next(b for b in source_view(engine.store, citation).blocks if b.section == long_section)
    for i, (s, m) in enumerate(zip(index.texts, index.metas, strict=True)):
        if m["section"] == long_section and index.metas[i]["source"] == passage.source:
            assert block.text.count(s) == 1, "each chunk once, its overlap not repeated"


def test_viewer_says_when_the_guide_changed(tmp_path, real_embedder, settings, corpus_copy):
    ingest([corpus_copy], settings, real_embedder)
    changed = Engine(settings, real_embedder)
    answer = changed.ask("What does a frontend engineer do?")
    citation = answer.citations[0]
    path = corpus_copy / citation.source
    path.write_text(path.read_text().replace(citation.text[:40], "Rewritten since: " + citation.text[:40]))
    ingest([corpus_copy], settings, real_embedder)
    view = source_view(changed.store, citation)
    assert not view.found and view.blocks, "the section as it reads now, and a warning instead of a wrong highlight"


def test_hostile_corpus_text_renders_inert():
    hostile = "Role ![x](https://evil.example/p.png) [click](javascript:alert(1)) :red[big] <img src=x> www.evil.example"
    label = safe_label(hostile)
    assert re.search(r"(?<!\\)[\[\]()<>:!*_`]", label) is None, "every Markdown-active character escaped"
    assert label.replace("\\", "").replace("\u2060", "") == " ".join(hostile.split()), "and shown literally"
    body = safe_markdown(hostile + " mail me@evil.example or https://evil.example")
    assert "https://" not in body and "www." not in body and "me@evil" not in body and "<img" not in body
    from bot.source_view import Block, SourceView

    view = SourceView("<b>Guide</b>", ["<b>Guide</b>", "<script>x</script>"],
                      [Block("<script>x</script>", hostile, (0, 4), [(0, 4)])])
    html = source_view_html(view)
    assert "<script>x" not in html and "<img" not in html and "&lt;img" in html and "<b>Guide" not in html


def test_exports_carry_passages_and_settings(engine):
    chat = Conversation(engine)
    chat.ask("What does an SRE do?", k=3, source="technology-career-atlas.txt")
    markdown = to_markdown(chat.history)
    citation = chat.history[0].citations[0]
    assert "3 passages per question · guides: technology-career-atlas.txt" in markdown
    first_line = citation.text.splitlines()[0]
    assert f"> {first_line}" in markdown
    data = json.loads(to_json(chat.history))
    assert data[0]["settings"] == {"backend": "extractive", "k": 3, "source": "technology-career-atlas.txt"}
    assert data[0]["citations"][0]["text"] == citation.text


@pytest.mark.slow
def test_feedback_export_writes_cases_that_eval_runs(tmp_path, store_settings, engine):
    db = tmp_path / "app.sqlite3"
    store = FeedbackStore(db)
    chat = Conversation(engine)
    good = chat.ask("What does a data engineer do?")
    follow = chat.ask("What should I build to practise it?")
    refused = engine.ask("What is the best pizza in Naples?")
    store.record(good, 1, "", conversation_id="a" * 22, turn=0)
    store.record(follow, -1, "the project is for another role", conversation_id="a" * 22, turn=1,
                 history=[good.question])
    store.record(refused, 1, "right to refuse", conversation_id="b" * 22, turn=0)
    env = {**cli_env(store_settings), "CAREERCHAT_FEEDBACK_DB": str(db)}
    out = tmp_path / "cases" / "feedback.jsonl"
    result = run_cli("feedback", "export", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "3 cases from 3 ratings" in result.stdout
    cases = {c.turns[-1]: c for c in load_cases(out)}
    assert cases[follow.question].turns == [good.question, follow.question]
    assert "the project is for another role" in cases[follow.question].comment
    assert cases[follow.question].expect == "answer" and cases[follow.question].evidence
    assert all(any(e in c.text for c in follow.citations) for e in cases[follow.question].evidence)
    assert cases[refused.question].expect == "refuse" and "feedback" in cases[refused.question].tags
    report_dir = tmp_path / "report"
    ran = run_cli("eval", "--golden", str(out), "--out", str(report_dir), env=env, timeout=600)
    assert "Traceback" not in ran.stderr and ran.returncode in (0, 1), ran.stderr
    report = json.loads((report_dir / "eval.json").read_text())
    assert sorted(c["id"] for c in report["cases"]) == sorted(c.id for c in cases.values())


def test_feedback_export_without_ratings_says_so(tmp_path, store_settings):
    env = {**cli_env(store_settings), "CAREERCHAT_FEEDBACK_DB": str(tmp_path / "none.sqlite3")}
    result = run_cli("feedback", "export", "--out", str(tmp_path / "x.jsonl"), env=env)
    assert result.returncode == 2 and "no feedback yet" in result.stderr and "Traceback" not in result.stderr


def test_a_refusal_thumbed_down_asks_for_an_answer_with_retrieved_candidates(engine):
    from bot.feedback import FeedbackRow
    from evals.feedback_cases import case_from_feedback

    index = engine.retriever.index()
    texts = dict(zip(index.ids, index.texts, strict=True))
    refused = engine.ask("Which guide talks about salaries for game developers?")
    assert refused.refused
    row = FeedbackRow(id=1, created_at="", rating=-1, comment="the guides do cover this", question=refused.question,
                      answer=refused.answer, citations=[], backend="extractive", refused=True,
                      retrieved=refused.retrieved)
    case = case_from_feedback(row, texts.get)
    assert case.expect == "answer" and case.evidence
    assert all(any(e in texts[i] for i in refused.retrieved) for e in case.evidence)
    assert "retrieved but not cited" in case.comment

