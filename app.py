"""Streamlit chat page: layout and session state only; answers, feedback and exports come from bot/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from bot.chat import Conversation, Engine
from bot.export import to_json, to_markdown
from bot.feedback import FeedbackStore
from bot.highlight import highlighted_passage, safe_markdown
from bot.models import Answer
from ingest.settings import get_settings
from ingest.store import StoreError

STARTERS = (
    "Should I be an SRE or a backend engineer?",
    "What does a data engineer do all day?",
    "Data scientist vs ML engineer: which suits me?",
)

st.set_page_config(page_title="careerchat", page_icon="💬")
st.title("careerchat")
st.caption("Answers about tech careers from a curated set of career guides, each claim with its source.")


@st.cache_resource(show_spinner="Loading the corpus index…")
def engine(store_location: str) -> Engine:
    """One engine per store, shared by every session; keyed so a reconfigured store gets its own."""
    shared = Engine(get_settings())
    shared.retriever.index()
    return shared


@st.cache_resource
def feedback_store(path: str) -> FeedbackStore:
    return FeedbackStore(Path(path))


settings = get_settings()


def eval_page() -> None:
    """The latest `careerchat eval` report: headline metrics, per-case table (failing first), pass rate by tag."""
    import json

    import pandas as pd

    st.header("Eval report")
    if not settings.eval_report.exists():
        st.info(f"No report at {settings.eval_report} yet. Run `make eval` (or `careerchat eval`).")
        return
    report = json.loads(settings.eval_report.read_text())
    summary = report["summary"]
    st.caption(f"{report.get('system', 'careerchat')}: {summary['passed']}/{summary['cases']} cases passed")
    for breach in report.get("breaches", []):
        st.error(f"Threshold breached: {breach}")
    cols = st.columns(4)
    cols[0].metric("Evidence hit rate", f"{summary['evidence_hit_rate']:.1%}")
    cols[1].metric("Faithfulness", f"{summary['faithfulness']:.1%}")
    cols[2].metric("Refusal F1", f"{summary['refusal_f1']:.1%}")
    cols[3].metric("False refusals", summary["false_refusals"])
    table = pd.DataFrame(
        {"case": c["id"], "passed": c["passed"], "tags": ", ".join(c.get("tags", [])), "expect": c["expect"],
         "refused": c["answer"]["refused"], "question": c["question"], "why": "; ".join(c["reasons"])}
        for c in report["cases"]
    ).sort_values(["passed", "case"])
    tags = sorted({t for c in report["cases"] for t in c.get("tags", [])})
    chosen = st.multiselect("Tags", tags)
    if st.checkbox("Only failing cases"):
        table = table[~table["passed"]]
    if chosen:
        table = table[table["tags"].apply(lambda value: any(t in value.split(", ") for t in chosen))]
    st.dataframe(table, hide_index=True, use_container_width=True)
    by_tag = pd.DataFrame(
        {"tag": t, "pass rate": sum(c["passed"] for c in report["cases"] if t in c.get("tags", []))
         / max(1, sum(t in c.get("tags", []) for c in report["cases"]))}
        for t in tags
    )
    st.bar_chart(by_tag, x="tag", y="pass rate")


if st.sidebar.radio("View", ["Chat", "Eval report"], horizontal=True) == "Eval report":
    eval_page()
    st.stop()

try:
    shared_engine = engine(settings.store_location)
except StoreError as exc:
    st.error(str(exc))
    st.stop()

if "conversation" not in st.session_state:
    st.session_state.conversation = Conversation(shared_engine)
conversation: Conversation = st.session_state.conversation

with st.sidebar:
    backends = ["extractive"] + (["openai"] if settings.llm_configured else [])
    backend = st.selectbox(
        "Answer backend", backends, index=backends.index(settings.backend) if settings.backend in backends else 0,
        help="extractive quotes the guides; openai needs an OpenAI-compatible endpoint",
    )
    top_k = st.slider("Passages per question", 1, 10, settings.top_k)
    try:
        index_metas = shared_engine.retriever.index().metas
    except StoreError as exc:  # a server that stopped: say so, keep the conversation, recover on the next question
        st.error(str(exc))
        index_metas = []
    sources = sorted({m.get("source", "") for m in index_metas})
    source = st.selectbox("Only this guide", ["All guides", *sources])
    if st.button("New conversation"):
        conversation.reset()
    st.divider()
    st.caption(
        f"{len(sources)} documents · {len(index_metas)} chunks · model {shared_engine.embedder.name} · "
        f"store {shared_engine.store.location}"
    )
    if st.button("Re-ingest corpus"):
        from ingest.pipeline import IngestBusyError, ingest

        bar = st.progress(0.0, text="Embedding changed passages…")
        try:
            report = ingest([settings.corpus_dir], settings, shared_engine.embedder,
                            on_batch=lambda done, total: bar.progress(done / total, text=f"{done}/{total} passages"))
        except (StoreError, IngestBusyError) as exc:
            st.error(str(exc))
        else:
            bar.progress(1.0, text="Done")
            st.success(f"{report.added} added, {report.updated} updated, {report.deleted} deleted, "
                       f"{report.unchanged} unchanged")
    if conversation.history:
        st.download_button("Export Markdown", to_markdown(conversation.history), "careerchat.md", "text/markdown")
        st.download_button("Export JSON", to_json(conversation.history), "careerchat.json", "application/json")

options = {"k": top_k, "backend": backend, "source": None if source == "All guides" else source}


def show_sources(answer: Answer) -> None:
    for citation in answer.citations:
        with st.expander(f"[{citation.n}] {citation.source} — {citation.section}"):
            # Escaped by highlighted_passage: no corpus HTML can reach the page.
            st.markdown(highlighted_passage(citation), unsafe_allow_html=True)


def show(answer: Answer, turn: int) -> None:
    if answer.notice:
        st.error(answer.notice)
    if answer.refused:
        st.info(answer.answer, icon="🧭")
    else:
        st.markdown(safe_markdown(answer.answer))
        show_sources(answer)
    rating = st.feedback("thumbs", key=f"rating-{turn}")
    comment = st.text_input("Comment (optional)", key=f"comment-{turn}", label_visibility="collapsed",
                            placeholder="Optional comment on this answer")
    if rating is not None and not st.session_state.get(f"saved-{turn}"):
        feedback_store(str(settings.feedback_db)).record(answer, 1 if rating == 1 else -1, comment)
        st.session_state[f"saved-{turn}"] = True
        st.toast("Thanks for the feedback")


for turn, past in enumerate(conversation.history):
    with st.chat_message("user"):
        st.text(past.question)
    with st.chat_message("assistant"):
        show(past, turn)

prompt = st.chat_input("Ask about a tech career…")
if prompt is not None and not prompt.strip():
    st.warning("That message was empty: type a question about a tech career.")
    prompt = None
if not conversation.history and not prompt:
    st.write("Try one of these:")
    for starter in STARTERS:
        if st.button(starter):
            prompt = starter
if prompt:
    with st.chat_message("user"):
        st.text(prompt)
    with st.chat_message("assistant"):
        placeholder = st.empty()
        try:
            with placeholder.container():
                st.write_stream(safe_markdown(piece) for piece in conversation.stream(prompt, **options))
        except StoreError as exc:
            placeholder.empty()
            st.error(f"{exc} Your question was not answered; ask it again once the store is back.")
        else:
            placeholder.empty()
            show(conversation.history[-1], len(conversation.history) - 1)
