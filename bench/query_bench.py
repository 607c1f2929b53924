"""Query cost at 1k / 10k / 100k chunks: dense, BM25 and hybrid latency, index build, store size, peak RSS.

Each size runs in a fresh worker process that fills a Chroma store with synthetic passages and precomputed
vectors (bench/synthetic.py), then asks the golden set's questions. BM25 is built once per store version,
never per query: the first search pays the build, which is reported separately.
Worker: python -m bench.query_bench --chunks N --repeats R  (prints one JSON line)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.common import dir_size_mb, latency_stats, peak_rss_mb, timed_ms
from bench.synthetic import chunk_vectors, real_sentences, sentence_vectors, synthetic_chunks
from bot.retrieval import POOL, HybridRetriever
from evals.golden import load_cases
from ingest.embedding import load_embedder
from ingest.settings import Settings, get_settings
from ingest.store import ChunkStore

BATCH = 5000


def questions(cases: int | None = None) -> list[str]:
    return [turn for case in load_cases()[:cases] for turn in case.turns]


def worker(n_chunks: int, repeats: int, cases: int | None = None) -> dict:
    settings = get_settings()
    embedder = load_embedder(settings)
    sentences = real_sentences(settings.corpus_dir)
    vectors = sentence_vectors(sentences, embedder)
    chunks = synthetic_chunks(sentences, n_chunks)
    with tempfile.TemporaryDirectory() as tmp:
        target = Settings(chroma_path=Path(tmp) / "chroma", corpus_dir=settings.corpus_dir)
        store = ChunkStore(target, embedder)

        def fill() -> None:
            for start in range(0, len(chunks), BATCH):
                part = chunks[start:start + BATCH]
                store.upsert([c.id for c in part], chunk_vectors(part, vectors).tolist(), [c.text for c in part],
                             [c.metadata for c in part])

        fill_ms = timed_ms(fill)
        retriever = HybridRetriever(store)
        build_ms = timed_ms(retriever.index)
        idx = retriever.index()
        asked = questions(cases)
        samples: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": []}
        for _ in range(repeats):
            for q in asked:
                samples["dense"].append(timed_ms(lambda q=q: retriever.dense(q, POOL, None, idx)))
                samples["bm25"].append(timed_ms(lambda q=q: retriever.lexical(q, POOL, None, idx)))
                samples["hybrid"].append(timed_ms(lambda q=q: retriever.search(q, target.top_k)))
        return {"chunks": store.count(), "fill_s": round(fill_ms / 1000, 2), "bm25_build_s": round(build_ms / 1000, 2),
                "latency_ms": {name: latency_stats(v) for name, v in samples.items()},
                "store_mb": dir_size_mb(target.chroma_path), "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cases", type=int, default=None, help="only the first N golden cases' questions")
    args = parser.parse_args()
    print(json.dumps(worker(args.chunks, args.repeats, args.cases)))


if __name__ == "__main__":
    main()
