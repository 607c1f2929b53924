"""Streamlit chat page: layout and session state only; answers, storage, views and exports come from bot/.

The address carries the conversation: ``?c=<id>&w=<owner key>`` is the owner's page (survives a refresh, can
go on), ``?c=<id>`` alone is the shared link and opens read-only.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from bot.conversations import ConversationStore, is_token, new_token
from bot.export import settings_line, to_json, to_markdown
from bot.feedback import FeedbackStore
from bot.highlight import highlighted_passage, safe_label, safe_markdown, source_view_html
from bot.models import Answer, Citation
from bot.source_view import source_view
from evals.gate import load_report
from evals.golden import GoldenSetError
from evals.settings import get_eval_settings

STARTERS = (
    "Should I be an SRE or a backend engineer?",
    "What does a data engineer do all day?",
    "Data scientist vs ML engineer: which suits me?",
)
LINE_PAUSE_S = 0.04  # the extractive answer is ready at once; line by line, a reader can follow it as it arrives
VIEWER_CSS = """<style>
.cc-view{max-height:60vh;overflow:auto;padding-right:.5rem;line-height:1.55}
.cc-crumbs{font-size:.85rem;opacity:.75;margin-bottom:.5rem}
.cc-view h3{font-size:1.1rem;margin-top:1rem}.cc-view h4{font-size:.95rem;margin:.5rem 0 0}
.cc-cited{display:block;border-left:3px solid #f0b429;padding-left:.5rem;margin:.25rem 0}
.cc-view mark{background:#ffe58a}
</style>"""
FEEDBACK_METRICS = (("answer", 1, "Answers :material/thumb_up:"), ("answer", -1, "Answers :material/thumb_down:"),
                    ("refusal", 1, "Refusals :material/thumb_up:"), ("refusal", -1, "Refusals :material/thumb_down:"))
SCROLL_TO_CITED = "<script>document.getElementById('cc-cited')?.scrollIntoView({block:'center'});</script>"

settings = get_eval_settings()


@st.cache_resource(show_spinner="Loading the corpus index…")
def engine(store_location: str) -> Engine:
    """One engine per store, shared by every session (and made at server start by `python -m bot.serve`)."""
    shared = Engine.shared(get_eval_settings())
    shared.retriever.index()
    return shared


@st.cache_resource
def feedback_store(path: str) -> FeedbackStore:
    return FeedbackStore(Path(path))


@st.cache_resource
def conversation_store(path: str) -> ConversationStore:
    return ConversationStore(Path(path))


def eval_page() -> None:
    """The latest `careerchat eval` report: headline metrics, per-case table (failing first), pass rate by tag."""
    import pandas as pd

    st.header("Eval report")
    show_feedback_counts()
    if not settings.eval_report.exists():
        st.info(f"No eval report yet ({settings.eval_report.name}). Run `make eval` (or `careerchat eval`).")
        return
    try:
        report = load_report(settings.eval_report)
    except GoldenSetError as exc:
        st.error(f"The eval report cannot be shown: {exc}. Run `make eval` again.")
        return
    summary = report.summary
    st.caption(f"{report.system}: {summary['passed']}/{summary['cases']} cases passed")
    for breach in report.breaches:
        st.error(f"Threshold breached: {breach}")
    cols = st.columns(4)
    cols[0].metric("Evidence hit rate", f"{summary['evidence_hit_rate']:.1%}")
    cols[1].metric("Faithfulness", f"{summary['faithfulness']:.1%}")
    cols[2].metric("Refusal F1", f"{summary['refusal_f1']:.1%}")
    cols[3].metric("False refusals", summary["false_refusals"])
    table = pd.DataFrame(
        {"case": c.id, "passed": c.passed, "why": "; ".join(c.reasons), "question": c.question,
         "expect": c.expect, "refused": c.answer.refused, "tags": ", ".join(c.tags)}
        for c in report.cases
    ).sort_values(["passed", "case"])
    tags = sorted({t for c in report.cases for t in c.tags})
    chosen = st.multiselect("Tags", tags)
    if st.checkbox("Only failing cases"):
        table = table[~table["passed"]]
    if chosen:
        table = table[table["tags"].apply(lambda value: any(t in value.split(", ") for t in chosen))]
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "case": st.column_config.TextColumn(width="small"), "passed": st.column_config.CheckboxColumn(width="small"),
        "why": st.column_config.TextColumn(width="large"), "question": st.column_config.TextColumn(width="medium")})
    by_tag = pd.DataFrame(
        {"tag": t, "pass rate": sum(c.passed for c in report.cases if t in c.tags)
         / max(1, sum(t in c.tags for c in report.cases))}
        for t in tags
    )
    st.bar_chart(by_tag, x="tag", y="pass rate")


def show_feedback_counts() -> None:
    counts = feedback_store(str(settings.feedback_db)).counts()
    st.subheader("Feedback")
    if not counts:
        st.caption("No ratings yet. `careerchat feedback export --out FILE.jsonl` turns ratings into eval cases.")
        return
    for col, (kind, rating, label) in zip(st.columns(len(FEEDBACK_METRICS)), FEEDBACK_METRICS, strict=True):
        col.metric(label, counts.get((kind, rating), 0))


if st.sidebar.radio("View", ["Chat", "Eval report"], horizontal=True) == "Eval report":
    st.set_page_config(page_title="careerchat · eval", layout="wide")
    eval_page()
    st.stop()

st.set_page_config(page_title="careerchat", page_icon=":material/forum:")
st.title("careerchat")
st.caption("Answers about tech careers from a curated set of career guides, each claim with its source.")

conversations = conversation_store(str(settings.feedback_db))
params = st.query_params
owner = params.get("w") if is_token(params.get("w")) else st.session_state.setdefault("owner", new_token())
st.session_state.owner = owner
if params.get("w") != owner:
    params["w"] = owner
TURN_STATE = ("rating-", "comment-", "saved-")


def forget_turn_state() -> None:
    """Thumbs and comments belong to one conversation: another one starts without them."""
    for key in [k for k in st.session_state if str(k).startswith(TURN_STATE)]:
        del st.session_state[key]


wanted = params.get("c")
if st.session_state.get("conversation_id") != wanted or "history" not in st.session_state:
    forget_turn_state()
    saved = conversations.load(wanted) if wanted else None
    if wanted and saved is None:
        st.error("No conversation has that link: it may be mistyped. Starting a new one.")
        del params["c"]
    st.session_state.conversation_id = saved.id if saved else None
    st.session_state.readonly = bool(saved) and saved.owner != owner
    st.session_state.history = list(saved.history) if saved else []
    if saved and not st.session_state.readonly:
        for turn, (rating, comment) in feedback_store(str(settings.feedback_db)).of_conversation(saved.id).items():
            thumb = 1 if rating == 1 else 0  # st.feedback's thumbs: 1 up, 0 down
            st.session_state[f"rating-{turn}"], st.session_state[f"comment-{turn}"] = thumb, comment
            st.session_state[f"saved-{turn}"] = (thumb, comment)
readonly: bool = st.session_state.readonly
# The box comes before the engine loads: typing can begin.
prompt = None if readonly else st.chat_input("Ask about a tech career…")
# Only now the engine's modules (chromadb, LangChain: ~1.4 s to import cold): the page and its box are already up.
from bot.chat import Conversation, Engine  # noqa: E402
from ingest.store import StoreError  # noqa: E402

try:
    shared_engine = engine(settings.store_location)
except StoreError as exc:
    st.error(str(exc))
    st.stop()
conversation = Conversation(shared_engine, st.session_state.history)


def start_new() -> None:
    """A fresh conversation under the same owner key (its id is made when it gets its first answer)."""
    params.pop("c", None)
    forget_turn_state()
    st.session_state.conversation_id = None
    st.session_state.readonly = False
    st.session_state.history = []


def adopt() -> None:
    """Continue a shared conversation as one's own: a copy under this owner key; the original stays unchanged."""
    copy_id = conversations.create(owner)
    for answer in conversation.history:
        conversations.append(copy_id, owner, answer)
    params["c"] = copy_id
    forget_turn_state()
    st.session_state.conversation_id = copy_id
    st.session_state.readonly = False


with st.sidebar:
    backends = ["extractive"] + (["openai"] if settings.llm_configured else [])
    backend = st.selectbox(
        "Answer backend", backends, index=backends.index(settings.backend) if settings.backend in backends else 0,
        help="extractive quotes the guides; openai needs an OpenAI-compatible endpoint",
    )
    top_k = st.slider("Passages per question", 1, 10, settings.top_k)
    try:
        index_metas = shared_engine.retriever.index().metas
        sources = sorted(index_metas.values("source"))
    except StoreError as exc:  # a server that stopped: say so, keep the conversation, recover on the next question
        st.error(str(exc))
        index_metas, sources = [], []
    source = st.selectbox("Only this guide", ["All guides", *sources])
    st.button("New conversation", on_click=start_new)
    saved_slot = st.container()  # filled last, so a conversation saved by this run's answer is listed
    st.divider()
    st.caption(f"{len(sources)} guides · {len(index_metas)} passages · model {shared_engine.embedder.name}")
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

options = {"k": top_k, "backend": backend, "source": None if source == "All guides" else source}


@st.dialog("Source in its guide", width="large")
def open_source(citation: Citation) -> None:
    """The whole section the passage came from, scrolled to it, its supporting sentences highlighted."""
    whole = st.toggle("Show the whole guide", key=f"whole-{citation.id}")
    try:
        view = source_view(shared_engine.store, citation, whole_document=whole)
    except StoreError as exc:
        st.error(str(exc))
        return
    if not view.found:
        st.warning("This passage is no longer in the guide as cited (the guide changed after this answer). "
                   "The section as it reads now:")
    st.html(f"{VIEWER_CSS}{source_view_html(view)}{SCROLL_TO_CITED}",
            unsafe_allow_javascript=True)


def open_saved(conversation_id: str) -> None:
    params["c"] = conversation_id


def list_saved() -> None:
    """Exports and the share link of this conversation, and the owner's recent ones."""
    if conversation.history:
        st.download_button("Export Markdown", to_markdown(conversation.history), "careerchat.md", "text/markdown")
        st.download_button("Export JSON", to_json(conversation.history), "careerchat.json", "application/json")
    if st.session_state.conversation_id:
        st.caption("Share this conversation (the link opens it read-only):")
        st.code(f"{(st.context.url or '').split('?')[0]}?c={st.session_state.conversation_id}", language=None)
    recent = conversations.recent(owner)
    if recent:
        st.caption("Recent conversations")
    for saved in recent:
        st.button(safe_label(saved.title), key=f"open-{saved.id}", type="tertiary", on_click=open_saved,
                  args=(saved.id,), disabled=saved.id == st.session_state.conversation_id)


def show_sources(answer: Answer, turn: int) -> None:
    for citation in answer.citations:
        with st.expander(safe_label(f"[{citation.n}] {citation.place}")):
            # Escaped by highlighted_passage: no corpus HTML can reach the page.
            st.markdown(highlighted_passage(citation), unsafe_allow_html=True)
            if st.button("Open in guide", key=f"view-{turn}-{citation.n}", icon=":material/menu_book:"):
                open_source(citation)


def save_feedback(answer: Answer, turn: int) -> None:
    """Thumb and comment saved together: a new thumb or an edited comment updates the turn's one row."""
    rating, comment = st.session_state.get(f"rating-{turn}"), st.session_state.get(f"comment-{turn}", "")
    if rating is None or st.session_state.get(f"saved-{turn}") == (rating, comment) or not st.session_state.conversation_id:
        return
    earlier = [a.question for a in conversation.history[:turn]]
    feedback_store(str(settings.feedback_db)).record(
        answer, 1 if rating == 1 else -1, comment, conversation_id=st.session_state.conversation_id, turn=turn,
        history=earlier)
    first = f"saved-{turn}" not in st.session_state
    st.session_state[f"saved-{turn}"] = (rating, comment)
    st.toast("Thanks for the feedback" if first else "Feedback updated")


def show(answer: Answer, turn: int) -> None:
    if answer.notice:
        st.error(answer.notice)
    if answer.refused:
        st.info(answer.answer, icon=":material/explore:")
    else:
        st.markdown(safe_markdown(answer.answer))
        show_sources(answer, turn)
    st.caption(settings_line(answer))
    if readonly:
        return
    st.feedback("thumbs", key=f"rating-{turn}")
    st.text_input("Comment (optional)", key=f"comment-{turn}", label_visibility="collapsed",
                  placeholder="Optional comment on this answer (saved with your rating)")
    save_feedback(answer, turn)


def visible(pieces: Iterator[str], pause: float) -> Iterator[str]:
    """Each piece made safe; with ``pause``, handed on line by line (one update per line keeps 20 pages light)."""
    for piece in pieces:
        for line in safe_markdown(piece).splitlines(keepends=True):
            yield line
            time.sleep(pause)


if readonly:
    st.info("A shared conversation, read-only. Continue it to ask your own follow-ups.", icon=":material/lock:")
    st.button("Continue this conversation", on_click=adopt)

for turn, past in enumerate(conversation.history):
    with st.chat_message("user"):
        st.text(past.question)
    with st.chat_message("assistant"):
        show(past, turn)

if prompt is not None and not prompt.strip():
    st.warning("That message was empty: type a question about a tech career.")
    prompt = None
if not conversation.history and not prompt and not readonly:
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
                st.write_stream(visible(conversation.stream(prompt, **options),
                                        LINE_PAUSE_S if backend == "extractive" else 0.0))
        except StoreError as exc:
            placeholder.empty()
            st.error(f"{exc} Your question was not answered; ask it again once the store is back.")
        else:
            placeholder.empty()
            if not st.session_state.conversation_id:
                st.session_state.conversation_id = conversations.create(owner)
                params["c"] = st.session_state.conversation_id
            conversations.append(st.session_state.conversation_id, owner, conversation.history[-1])
            show(conversation.history[-1], len(conversation.history) - 1)

with saved_slot:
    list_saved()
