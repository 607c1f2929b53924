"""The Streamlit page driven by streamlit's AppTest against a real store."""

import pytest
from streamlit.testing.v1 import AppTest

from bot.settings import BotSettings
from ingest.pipeline import ingest
from ingest.settings import PROJECT_ROOT

from .conftest import CORPUS


@pytest.fixture(scope="module")
def store_env(tmp_path_factory, real_embedder):
    path = tmp_path_factory.mktemp("app") / "chroma"
    ingest([CORPUS], BotSettings(chroma_path=path), real_embedder)
    return {"CAREERCHAT_CHROMA_PATH": str(path)}


def test_chat_flow_with_sources_and_refusal(store_env, monkeypatch):
    for key, value in store_env.items():
        monkeypatch.setenv(key, value)
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception
    app.chat_input[0].set_value("Should I be an SRE or a backend engineer?").run()
    assert not app.exception
    assert any("\\[1\\]" in md.value for md in app.markdown), "markers shown, escaped so they are never links"
    labels = [e.label for e in app.expander]
    assert any("SRE" in label for label in labels) and any("Backend" in label for label in labels)
    passages = [m.value for m in app.markdown if "<mark>" in m.value]
    assert passages and all("<script" not in p for p in passages)
    app.chat_input[0].set_value("What's the weather in Paris?").run()
    assert any("can't answer" in info.value for info in app.info)
    assert [b.label for b in app.sidebar.get("download_button")] == ["Export Markdown", "Export JSON"]
    assert not any(store_env["CAREERCHAT_CHROMA_PATH"] in c.value for c in app.sidebar.caption), "no internal paths"
    assert all(i.proto.icon == ":material/explore:" for i in app.info), "a refusal icon that needs no emoji font"
    app.sidebar.button[0].click().run()  # New conversation
    assert not app.chat_message
    get_eval_settings.cache_clear()


def test_feedback_is_stored_and_a_later_comment_updates_it(store_env, monkeypatch, tmp_path):
    import sqlite3

    db = tmp_path / "feedback.sqlite3"
    for key, value in {**store_env, "CAREERCHAT_FEEDBACK_DB": str(db)}.items():
        monkeypatch.setenv(key, value)
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value("What does a data engineer do all day?").run()
    app.session_state["rating-0"] = 0  # thumbs down first, as an adviser usually does
    app.run()
    assert not app.exception
    query = "select rating, comment, question, backend, conversation_id, turn from feedback"
    cid = app.query_params["c"]
    assert sqlite3.connect(db).execute(query).fetchall() == [
        (-1, "", "What does a data engineer do all day?", "extractive", cid, 0)]
    app.text_input(key="comment-0").input("shows a data scientist's day").run()
    app.text_input(key="comment-0").input("shows a data scientist's day as the engineer's").run()
    assert sqlite3.connect(db).execute(query).fetchall() == [
        (-1, "shows a data scientist's day as the engineer's", "What does a data engineer do all day?", "extractive",
         cid, 0)], "one row, its comment updated"
    reopened = _fresh_page(c=cid, w=app.query_params["w"])
    assert reopened.session_state["rating-0"] == 0, "a refresh shows the thumb already given"
    assert reopened.text_input(key="comment-0").value == "shows a data scientist's day as the engineer's"
    reopened.sidebar.button[0].click().run()  # New conversation
    assert "saved-0" not in reopened.session_state and "rating-0" not in reopened.session_state, \
        "a new conversation starts without the old thumbs (a stale one would block saving its first rating)"
    reopened.sidebar.radio[0].set_value("Eval report").run()
    assert [m.value for m in reopened.metric[:2]] == ["0", "1"], "feedback counts by answer kind: answers 👍, 👎"
    get_eval_settings.cache_clear()


def _fresh_page(**params) -> AppTest:
    page = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        page.query_params[key] = value
    return page.run()


def test_conversation_survives_a_refresh_and_its_link_opens_read_only(store_env, monkeypatch, tmp_path):
    for key, value in {**store_env, "CAREERCHAT_FEEDBACK_DB": str(tmp_path / "app.sqlite3")}.items():
        monkeypatch.setenv(key, value)
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value("What does an SRE do?").run()
    app.chat_input[0].set_value("How do I become one?").run()
    cid, owner = app.query_params["c"], app.query_params["w"]
    assert any(cid in code.value for code in app.sidebar.code), "the share link names the conversation"

    refreshed = _fresh_page(c=cid, w=owner)
    assert not refreshed.exception and refreshed.chat_input, "the owner can go on after a refresh"
    assert [m.value for m in refreshed.get("text")][:2] == ["What does an SRE do?", "How do I become one?"]
    assert any(b.label == "What does an SRE do?" for b in refreshed.sidebar.button), "listed under recent"

    shared = _fresh_page(c=cid)
    assert not shared.exception and not shared.chat_input, "a shared link cannot add turns"
    assert any("read-only" in i.value for i in shared.info) and shared.expander, "citations included"
    assert not any(b.label == "What does an SRE do?" for b in shared.sidebar.button), "nobody else's list"
    next(b for b in shared.button if b.label == "Continue this conversation").click().run()
    assert shared.chat_input and shared.query_params["c"] != cid, "continued as a copy of one's own"
    shared.chat_input[0].set_value("What tools do they use?").run()
    assert len(_fresh_page(c=cid).get("text")) == 2, "the original is unchanged"

    missing = _fresh_page(c="A" * 22)
    assert any("No conversation has that link" in e.value for e in missing.error) and missing.chat_input
    get_eval_settings.cache_clear()


def test_backend_failure_shows_error_and_fallback(store_env, monkeypatch):
    from .conftest import free_port

    closed = free_port()
    env = {**store_env, "CAREERCHAT_BACKEND": "openai", "OPENAI_BASE_URL": f"http://127.0.0.1:{closed}/v1",
           "CAREERCHAT_LLM_TIMEOUT": "2", "CAREERCHAT_LLM_RETRIES": "0"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert app.sidebar.selectbox[0].value == "openai"
    app.chat_input[0].set_value("What does an SRE do?").run()
    assert not app.exception
    assert any("openai backend failed" in e.value and "extractive" in e.value for e in app.error)
    assert app.expander, "the fallback answer still shows its sources"
    get_eval_settings.cache_clear()


def test_missing_store_shows_error_not_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREERCHAT_CHROMA_PATH", str(tmp_path / "none"))
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception
    assert any("careerchat ingest" in err.value for err in app.error)
    get_eval_settings.cache_clear()


def test_eval_page_shows_report_failing_first(monkeypatch, tmp_path):
    from evals.records import CaseRecord, EvalReport, ScoredAnswer

    report = tmp_path / "eval.json"

    def case(id_: str, tags: list[str], reasons: list[str]) -> CaseRecord:
        return CaseRecord(id=id_, split="seed/dev", question="q", tags=tags, expect="answer", passed=not reasons,
                          reasons=reasons, evidence_found=[], key_points_found=[], claims=[], latency_ms=1.0,
                          answer=ScoredAnswer(answer="a"), attribution=[])

    report.write_text(EvalReport(
        system="careerchat (extractive)", k=5, breaches=["faithfulness = 0.800, below the minimum 0.95"],
        summary={"cases": 2, "passed": 1, "evidence_hit_rate": 0.9, "faithfulness": 0.8, "refusal_f1": 1.0,
                 "false_refusals": 0},
        cases=[case("a-ok", ["fact"], []), case("b-bad", ["comparison"], ["unfaithful: x"])],
    ).model_dump_json())
    monkeypatch.setenv("CAREERCHAT_EVAL_REPORT", str(report))
    monkeypatch.setenv("CAREERCHAT_FEEDBACK_DB", str(tmp_path / "none.sqlite3"))
    from evals.settings import get_eval_settings

    get_eval_settings.cache_clear()
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.sidebar.radio[0].set_value("Eval report").run()
    assert not app.exception
    assert app.metric[0].value == "90.0%" and app.metric[1].value == "80.0%"
    assert "faithfulness" in app.error[0].value
    assert list(app.dataframe[0].value["case"]) == ["b-bad", "a-ok"]
    assert list(app.dataframe[0].value.columns[:3]) == ["case", "passed", "why"], "the reason beside the case"
    app.checkbox[0].check().run()
    assert list(app.dataframe[0].value["case"]) == ["b-bad"]
    report.write_text('{"summary": {"cases": 1}}')
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    app.sidebar.radio[0].set_value("Eval report").run()
    assert not app.exception and "cannot be shown" in app.error[0].value
    get_eval_settings.cache_clear()
