"""The retrieval index is built at ingest, saved per store version, loaded (BM25 memory-mapped) by servers."""

import json

import numpy as np
import pytest

from bot.chat import Engine
from ingest.store import ChunkStore

from .conftest import cli_env, run_cli

QUESTIONS = ("What does an SRE do?", "Should I be a data engineer or a data analyst?", "How do I become a PM?")


def saved(settings) -> list[str]:
    base = settings.chroma_path.parent / "index"
    return sorted(p.name for p in base.iterdir() if not p.name.startswith(".")) if base.exists() else []


def test_ingest_saves_the_index_and_a_server_loads_it_without_reading_the_store(
        settings, corpus_copy, real_embedder, monkeypatch):
    done = run_cli("ingest", env=cli_env(settings))
    assert done.returncode == 0, done.stderr
    assert len(saved(settings)) == 1, "careerchat ingest leaves the index for this version"
    built = Engine(settings, real_embedder)
    built_index = built.retriever._build(built.store.version())
    expected = {q: [p.id for p in built.retriever.search(q, 5)] for q in QUESTIONS}

    def no_scan(self, include_documents=True):
        raise AssertionError("a saved index must not be rebuilt from the store")

    monkeypatch.setattr(ChunkStore, "iter_chunks", no_scan)
    serving = Engine(settings, real_embedder)
    index = serving.retriever.index()
    assert isinstance(index.bm25.scores["data"], np.memmap), "memory-mapped: processes share its pages"
    for column in ("ids", "texts", "metas", "roles", "mentioned"):
        assert list(getattr(index, column)) == list(getattr(built_index, column)), column
    assert isinstance(index.texts.blob, np.memmap) and isinstance(index.metas.columns["role"].codes, np.memmap)
    assert all(index.position[i] == n for n, i in enumerate(built_index.ids))
    assert index.catalog.heading_keys == built_index.catalog.heading_keys
    assert index.vocabulary == built_index.vocabulary
    assert {q: [p.id for p in serving.retriever.search(q, 5)] for q in QUESTIONS} == expected
    assert not serving.ask("What does a QA engineer do?").refused


def test_a_new_version_gets_a_new_index_and_a_broken_one_is_rebuilt(settings, corpus_copy, real_embedder):
    assert run_cli("ingest", env=cli_env(settings)).returncode == 0
    first = saved(settings)
    guide = next(corpus_copy.glob("*.txt"))
    guide.write_text(guide.read_text() + "\n\nQuokka wrangler\nRole: Keeps the quokka cluster calm at night.\n")
    assert run_cli("ingest", env=cli_env(settings)).returncode == 0
    second = saved(settings)
    assert len(second) == 1 and second != first, "the old version's index is removed"
    engine = Engine(settings, real_embedder)
    assert any("quokka cluster" in t for t in engine.retriever.index().texts), "never a stale index"
    data = settings.chroma_path.parent / "index" / second[0] / "index.json"
    data.write_text(data.read_text()[:100])
    rebuilt = Engine(settings, real_embedder).retriever.index()
    assert list(rebuilt.ids) == list(engine.retriever.index().ids), "an unreadable saved index is rebuilt, not fatal"
    assert json.loads(data.read_text())["headings"], "and saved again in its place"


def test_the_store_version_is_read_without_counting_rows(settings, corpus_copy, real_embedder, monkeypatch):
    """Read before every question: counting 1M rows costs ~70 ms, the ingest's version id one metadata read."""
    store = ChunkStore(settings, real_embedder)
    store.upsert(["a"], real_embedder.embed_documents(["x"]), ["x"], [{"source": "a.md"}])
    assert store.version() == "1 rows", "a store no ingest has versioned is known by its row count"
    store.upsert(["b"], real_embedder.embed_documents(["y"]), ["y"], [{"source": "a.md"}])
    assert store.version() == "2 rows"
    store.bump_version()
    versioned = store.version()

    def no_count(self):
        raise AssertionError("count() scans every row")

    import chromadb.api.models.Collection as collection_module

    monkeypatch.setattr(collection_module.Collection, "count", no_count)
    assert store.version() == versioned and len(versioned) == 32
    with pytest.raises(AssertionError, match="scans"):
        store.count()
