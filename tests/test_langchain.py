"""careerchat's retriever inside LangChain: LCEL composition, async, batch, callbacks, and the README example."""

import ast
import asyncio
import re
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.chat_history import InMemoryChatMessageHistory
from langchain_core.messages import HumanMessage
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda
from langchain_core.runnables.history import RunnableWithMessageHistory

from bot.chat import Conversation, Engine
from bot.models import ANSWER_METADATA, Answer
from ingest.settings import PROJECT_ROOT


class Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def on_retriever_start(self, serialized, query, **kwargs):
        self.events.append(("start", query))

    def on_retriever_end(self, documents, **kwargs):
        self.events.append(("end", [d.metadata["chunk_id"] for d in documents]))


def test_retriever_composes_in_lcel_and_reports_to_callbacks(store_settings, real_embedder):
    engine = Engine(store_settings, real_embedder)
    retriever = engine.as_retriever(k=4)
    assert isinstance(retriever, BaseRetriever)
    recorder = Recorder()
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["source"] for d in docs])
    sources = chain.invoke("What does an SRE do?", config={"callbacks": [recorder], "run_name": "sources"})
    assert len(sources) == 4 and "technology-career-atlas.txt" in sources
    passages = engine.retriever.search("What does an SRE do?", 4)
    assert recorder.events == [("start", "What does an SRE do?"), ("end", [p.id for p in passages])]

    docs = asyncio.run(retriever.ainvoke("What does a data engineer do?"))
    meta = docs[0].metadata
    assert {"chunk_id", "source", "section", "role", "score", "dense_score", "bm25_score"} <= meta.keys()
    assert docs[0].id == meta["chunk_id"] and docs[0].page_content in engine.retriever.index().texts
    assert isinstance(meta["dense_score"], float) or isinstance(meta["bm25_score"], float)

    batched = retriever.batch(["What does a PM do?", "What does a QA engineer do?"])
    assert [len(b) for b in batched] == [4, 4]
    only = engine.as_retriever(k=3, source="it-career-paths.txt").invoke("What does a backend engineer do?")
    assert {d.metadata["source"] for d in only} == {"it-career-paths.txt"}


def test_readme_python_example_runs(store_settings, monkeypatch, capsys):
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Use from Python"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.setenv("CAREERCHAT_CHROMA_PATH", str(store_settings.chroma_path))
    from bot.settings import get_settings

    get_settings.cache_clear()
    exec(compile(code, "README.md", "exec"), {})
    get_settings.cache_clear()
    printed = capsys.readouterr().out
    assert "technology-career-atlas.txt" in printed and "[1]" in printed and "**How to decide**" in printed
    assert "Data engineer" in printed, "the streamed answer"
    last = printed.strip().splitlines()[-1].lower()
    assert "sre" in last and "backend" in last, f"the follow-up's stand-alone query names both roles: {last}"


class TreeRecorder(BaseCallbackHandler):
    """Every run a callback handler sees (what a LangSmith or OpenTelemetry handler gets), with its parent."""

    def __init__(self) -> None:
        self.runs: dict[UUID, dict] = {}
        self.order: list[UUID] = []

    def _start(self, kind, name, inputs, run_id, parent_run_id, tags):
        self.runs[run_id] = {"kind": kind, "name": name, "inputs": inputs, "parent": parent_run_id,
                             "tags": tags or [], "outputs": None}
        self.order.append(run_id)

    def on_chain_start(self, serialized, inputs, *, run_id, parent_run_id=None, tags=None, **kwargs):
        self._start("chain", kwargs.get("name"), inputs, run_id, parent_run_id, tags)

    def on_chain_end(self, outputs, *, run_id, **kwargs):
        self.runs[run_id]["outputs"] = outputs

    def on_retriever_start(self, serialized, query, *, run_id, parent_run_id=None, tags=None, **kwargs):
        self._start("retriever", kwargs.get("name"), query, run_id, parent_run_id, tags)

    def on_retriever_end(self, documents, *, run_id, **kwargs):
        self.runs[run_id]["outputs"] = documents

    def on_chat_model_start(self, serialized, messages, *, run_id, parent_run_id=None, tags=None, **kwargs):
        self._start("llm", "chat_model", messages, run_id, parent_run_id, tags)

    def root(self) -> UUID:
        (root,) = [r for r in self.order if self.runs[r]["parent"] is None]
        return root

    def children(self, run_id: UUID) -> list[str]:
        return [self.runs[r]["name"] for r in self.order if self.runs[r]["parent"] == run_id]

    def step_of(self, run_id: UUID) -> str:
        """The name of the run's ancestor directly under the root: the turn's step it belongs to."""
        while self.runs[self.runs[run_id]["parent"]]["parent"] is not None:
            run_id = self.runs[run_id]["parent"]
        return self.runs[run_id]["name"]

    def named(self, name: str) -> dict:
        (run,) = [r for r in self.runs.values() if r["name"] == name]
        return run


def test_answer_turn_is_one_nested_trace_with_question_and_citations_on_their_runs(store_settings, real_embedder):
    chain = Engine(store_settings, real_embedder).as_runnable(k=5)
    recorder = TreeRecorder()
    question = "What does a data engineer do?"
    answer = chain.invoke({"question": question, "history": []},
                          config={"callbacks": [recorder], "tags": ["adviser-check"], "run_name": "turn"})
    assert isinstance(answer, Answer) and not answer.refused and answer.citations
    root = recorder.root()
    assert recorder.runs[root]["name"] == "turn" and recorder.runs[root]["inputs"]["question"] == question
    assert recorder.children(root) == ["condense", "retrieve", "generate", "check_citations"]
    assert recorder.named("condense")["inputs"]["question"] == question
    assert recorder.named("retrieve")["kind"] == "retriever"
    assert recorder.named("retrieve")["inputs"] == answer.rewritten_query
    assert [d.id for d in recorder.named("retrieve")["outputs"]] == answer.retrieved
    checked = recorder.named("check_citations")["outputs"]
    assert [c["id"] for c in checked["citations"]] == [c.id for c in answer.citations]
    assert recorder.runs[root]["outputs"] == answer
    assert all("adviser-check" in run["tags"] for run in recorder.runs.values()), "config reaches every step"

    refused = TreeRecorder()
    chain.invoke({"question": "What is the best pizza in Naples?"}, config={"callbacks": [refused]})
    assert refused.children(refused.root()) == ["condense", "retrieve", "refuse"]
    assert refused.runs[refused.root()]["outputs"].refused


def test_llm_calls_nest_under_their_steps(store_settings, real_embedder, fake_llm):
    server, url = fake_llm
    settings = store_settings.model_copy(update={"openai_base_url": url, "backend": "openai"})
    chain = Engine(settings, real_embedder).as_runnable()
    first = chain.invoke({"question": "Tell me about data engineers."})
    recorder = TreeRecorder()
    history = [HumanMessage(first.question), first.to_message()]
    chain.invoke({"question": "How is that different from an analyst?", "history": history},
                 config={"callbacks": [recorder]})
    llm_steps = [recorder.step_of(r) for r in recorder.order if recorder.runs[r]["kind"] == "llm"]
    assert llm_steps == ["condense", "generate"], "the condense and answer LLM calls sit inside their steps"


def test_chain_composes_batches_streams_and_emits_events(store_settings, real_embedder):
    engine = Engine(store_settings, real_embedder)
    chain = engine.as_runnable()
    first_source = chain | RunnableLambda(lambda answer: answer.citations[0].source)
    assert first_source.invoke({"question": "What does an SRE do?"}) in {p.source for p in
                                                                       engine.retriever.search("What does an SRE do?")}
    questions = ["What does an SRE do?", "What does a QA engineer do?", "What does a product manager do?",
                 "What does a data analyst do?", "What is the best pizza in Naples?"]
    batched = chain.batch([{"question": q} for q in questions])
    assert [a.answer for a in batched] == [chain.invoke({"question": q}).answer for q in questions]
    assert [a.refused for a in batched] == [False] * 4 + [True]

    pieces = list(chain.stream({"question": "Should I be an SRE or a backend engineer?"}))
    assert len(pieces) > 3 and all(isinstance(p, str) for p in pieces)
    assert "**How to decide**" in "".join(pieces)

    async def events():
        return [e async for e in chain.astream_events({"question": "What does a UX researcher do?"}, version="v2")]

    seen = asyncio.run(events())
    started = [e["name"] for e in seen if e["event"] in ("on_chain_start", "on_retriever_start")]
    assert started == ["careerchat", "condense", "retrieve", "generate", "check_citations"]
    streamed = [e["data"]["chunk"] for e in seen if e["event"] == "on_chain_stream" and e["name"] == "careerchat"]
    assert len(streamed) > 1 and all(isinstance(c, str) for c in streamed)
    (end,) = [e for e in seen if e["event"] == "on_chain_end" and e["name"] == "careerchat"]
    assert isinstance(end["data"]["output"], Answer) and end["data"]["output"].citations


def test_chain_keeps_a_conversation_in_runnable_with_message_history(store_settings, real_embedder):
    engine = Engine(store_settings, real_embedder)
    histories: dict[str, InMemoryChatMessageHistory] = {}
    chat = RunnableWithMessageHistory(
        engine.as_runnable() | Answer.to_message,
        lambda session: histories.setdefault(session, InMemoryChatMessageHistory()),
        input_messages_key="question", history_messages_key="history")
    session = {"configurable": {"session_id": "student-1"}}
    chat.invoke({"question": "Tell me about data engineers."}, config=session)
    second = chat.invoke({"question": "How is that different from an analyst?"}, config=session)
    record = second.response_metadata[ANSWER_METADATA]
    direct = Conversation(engine)
    direct.ask("Tell me about data engineers.")
    expected = direct.ask("How is that different from an analyst?")
    assert record["rewritten_query"] == expected.rewritten_query and "data engineer" in expected.rewritten_query.lower()
    assert second.text == expected.answer and record["citations"]
    assert [m.type for m in histories["student-1"].messages] == ["human", "ai", "human", "ai"]
    other = chat.invoke({"question": "How is that different from an analyst?"},
                        config={"configurable": {"session_id": "student-2"}})
    assert other.response_metadata[ANSWER_METADATA]["rewritten_query"] == "How is that different from an analyst?"


def test_bot_never_imports_the_packages_above_it():
    """Data flows one way: ingest <- bot <- evals, app; the CLI's eval commands plug in from evals."""
    above = {"ingest": ("bot", "evals", "app", "bench"), "bot": ("evals", "app", "bench")}
    found = []
    for package, forbidden in above.items():
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                found += [f"{path.relative_to(PROJECT_ROOT)}: {n}" for n in names if n.split(".")[0] in forbidden]
    assert not found, found
