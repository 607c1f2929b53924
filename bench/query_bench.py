"""Query cost at 1k / 10k / 100k chunks: dense, BM25 and hybrid latency, index build, store size, peak RSS.

Each size runs in a fresh worker process: a child process fills a Chroma store with synthetic passages and
precomputed vectors (bench/synthetic.py), then the worker opens it as the bot does and asks the golden set's
questions, so its peak RSS is what serving that store costs. The index (BM25 and the role data) is built once
per store version, never per query, and saved: the build is reported separately, and a second, fresh
serving process is timed from its start to its first answer, loading the saved index.
Worker: python -m bench.query_bench --chunks N --repeats R  (prints one JSON line)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import dir_size_mb, latency_stats, peak_rss_mb, run_worker, timed_ms
from bot.retrieval import POOL, HybridRetriever
from bot.settings import BotSettings, get_settings
from bot.vocabulary import load_vocabulary
from evals.golden import load_cases
from evals.splits import CASES_DIR
from ingest.embedding import load_embedder
from ingest.store import ChunkStore

BATCH = 5000


def questions(cases: int | None = None) -> list[str]:
    return [turn for case in load_cases(CASES_DIR / "seed-dev.jsonl")[:cases] for turn in case.turns]


def fill(n_chunks: int, path: Path) -> dict:
    """Write the synthetic store in its own process, so the serving worker's peak RSS is the bot's alone. (Imported
    here: the fresh serving process must not pay for the corpus loaders a bot that only answers never imports.)"""
    from bench.synthetic import chunk_vectors, real_sentences, sentence_vectors, synthetic_chunks

    settings = get_settings()
    embedder = load_embedder(settings)
    sentences = real_sentences(settings.corpus_dir)
    vectors = sentence_vectors(sentences, embedder)
    chunks = synthetic_chunks(sentences, n_chunks)
    store = ChunkStore(BotSettings(chroma_path=path, corpus_dir=settings.corpus_dir), embedder)

    def write() -> None:
        for start in range(0, len(chunks), BATCH):
            part = chunks[start:start + BATCH]
            store.upsert([c.id for c in part], chunk_vectors(part, vectors).tolist(), [c.text for c in part],
                         [c.metadata for c in part])
        store.bump_version()  # as `careerchat ingest` does after any change

    return {"fill_s": round(timed_ms(write) / 1000, 2), "fill_peak_rss_mb": peak_rss_mb()}


def worker(n_chunks: int, repeats: int, cases: int | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chroma"
        filled = run_worker("bench.query_bench", "--chunks", str(n_chunks), "--fill", str(path))
        target = BotSettings(chroma_path=path, corpus_dir=get_settings().corpus_dir)
        store = ChunkStore(target, load_embedder(target))
        retriever = HybridRetriever(store, load_vocabulary(target.vocabulary))
        build_ms = timed_ms(retriever.index)
        idx = retriever.index()
        asked = questions(cases)
        samples: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": []}
        for _ in range(repeats):
            for q in asked:
                samples["dense"].append(timed_ms(lambda q=q: retriever.dense(q, POOL, None, idx)))
                samples["bm25"].append(timed_ms(lambda q=q: retriever.lexical(q, POOL, None, idx)))
                samples["hybrid"].append(timed_ms(lambda q=q: retriever.search(q, target.top_k)))
        first = first_question(path)
        return {"chunks": store.count(), **filled, "bm25_build_s": round(build_ms / 1000, 2),
                "latency_ms": {name: latency_stats(v) for name, v in samples.items()},
                "store_mb": dir_size_mb(path), "index_mb": dir_size_mb(path.parent / "index"),
                "peak_rss_mb": peak_rss_mb(), **first}


SERVERS = 3
"""Fresh servers timed per store: one start varies by a second or more (2.8 s, then 4.5 s, on one 100k store)."""


def first_question(path: Path) -> dict:
    """New serving processes on the store (its index saved by the build above), one after another: from each one's
    start to its first answer (the answer's wall-clock time, so the process's own exit is not counted); the median."""
    times, runs = [], []
    for _ in range(SERVERS):
        started = time.time()
        runs.append(run_worker("bench.query_bench", "--chunks", "0", "--serve", str(path)))
        times.append(round(runs[-1]["answered_at"] - started, 2))
    return {"first_question_s": statistics.median(times), "first_question_runs_s": times,
            "serve_peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "serve_loaded_saved_index": all(r["loaded"] for r in runs)}


def serve(path: Path) -> dict:
    """What `careerchat ask` does on a big store: an engine, then one question."""
    from bot.chat import Engine

    target = BotSettings(chroma_path=path, corpus_dir=get_settings().corpus_dir)
    engine = Engine(target)
    engine.ask(questions(1)[0])
    answered_at = time.time()
    loaded = isinstance(engine.retriever.index().bm25.scores["data"], np.memmap)
    return {"loaded": loaded, "peak_rss_mb": peak_rss_mb(), "answered_at": answered_at}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cases", type=int, default=None, help="only the first N golden cases' questions")
    parser.add_argument("--fill", type=Path, help="only write the synthetic store into this folder")
    parser.add_argument("--serve", type=Path, help="only answer one question on this store, as a fresh server")
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.serve)))
    else:
        print(json.dumps(fill(args.chunks, args.fill) if args.fill else worker(args.chunks, args.repeats, args.cases)))


if __name__ == "__main__":
    main()
