"""Streamlit chat page: layout and session state only; answers come from bot.chat."""

from __future__ import annotations

import streamlit as st

from bot.chat import Conversation, Engine
from ingest.settings import get_settings
from ingest.store import StoreError

STARTERS = ("Should I be an SRE or a backend engineer?", "What does a data engineer do all day?")

st.set_page_config(page_title="careerchat", page_icon="💬")
st.title("careerchat")
st.caption("Answers about tech careers from a curated set of career guides, with numbered sources.")


@st.cache_resource(show_spinner="Loading the corpus index…")
def engine(store_location: str) -> Engine:
    """One engine per store, shared by every session; keyed so a reconfigured store gets its own."""
    shared = Engine(get_settings())
    shared.retriever.index()
    return shared


try:
    shared_engine = engine(get_settings().store_location)
except StoreError as exc:
    st.error(str(exc))
    st.stop()

if "conversation" not in st.session_state:
    st.session_state.conversation = Conversation(shared_engine)
conversation: Conversation = st.session_state.conversation

with st.sidebar:
    if st.button("New conversation"):
        conversation.reset()


def show(answer) -> None:
    if answer.refused:
        st.info(answer.answer)
        return
    if answer.notice:
        st.warning(answer.notice)
    st.markdown(answer.answer)
    for citation in answer.citations:
        with st.expander(f"[{citation.n}] {citation.source} — {citation.section}"):
            st.text(citation.text)


for past in conversation.history:
    with st.chat_message("user"):
        st.text(past.question)
    with st.chat_message("assistant"):
        show(past)

prompt = st.chat_input("Ask about a tech career…")
if not conversation.history and not prompt:
    st.write("Try one of these:")
    for starter in STARTERS:
        if st.button(starter):
            prompt = starter
if prompt:
    with st.chat_message("user"):
        st.text(prompt)
    with st.chat_message("assistant"):
        show(conversation.ask(prompt))
