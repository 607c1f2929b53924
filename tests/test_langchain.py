"""careerchat's retriever inside LangChain: LCEL composition, async, batch, callbacks, and the README example."""

import asyncio
import re

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda

from bot.chat import Engine
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
    from ingest.settings import get_settings

    get_settings.cache_clear()
    exec(compile(code, "README.md", "exec"), {})
    get_settings.cache_clear()
    printed = capsys.readouterr().out
    assert "technology-career-atlas.txt" in printed and "[1]" in printed
