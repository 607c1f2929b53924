"""Ingest cost: careerchat's pipeline vs the raw encoder of the same texts, per engine (onnx, torch), and at scale.

The overhead ratio compares, in one process with the model already loaded, a full ``ingest`` (load, clean,
chunk, count tokens, embed, write to Chroma) against encoding exactly the chunk texts it embedded.
Synthetic corpora are ingested each in a fresh worker process so peak RSS is per size.
Worker: python -m bench.ingest_bench --chunks N  (prints one JSON line)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.common import dir_size_mb, peak_rss_mb, timed_ms
from bench.synthetic import real_sentences, write_corpus
from bot.settings import BotSettings, get_settings
from ingest.embedding import load_embedder
from ingest.models import embed_header
from ingest.pipeline import ingest
from ingest.store import ChunkStore


def overhead(corpus: Path, repeats: int, engine: str) -> dict:
    """Best-of-``repeats`` ingest time over best-of raw encode time for the same chunk texts, for one engine."""
    embedder = load_embedder(get_settings().model_copy(update={"embedder": engine}))
    embedder.encode(["warm up"])
    ingest_ms, encode_ms, chunks = [], [], 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            settings = BotSettings(chroma_path=Path(tmp) / "chroma", corpus_dir=corpus)
            ingest_ms.append(timed_ms(lambda s=settings: ingest([corpus], s, embedder, progress=False)))
            stored = list(ChunkStore(settings, embedder).iter_chunks())
            texts = [f"{embed_header(c.metadata['title'], c.metadata['section'])}\n{c.text}" for c in stored]
            chunks = len(texts)
            encode_ms.append(timed_ms(lambda t=texts: embedder.encode(t)))
    return {"engine": engine, "chunks": chunks, "ingest_ms": round(min(ingest_ms), 1),
            "raw_encode_ms": round(min(encode_ms), 1), "overhead_ratio": round(min(ingest_ms) / min(encode_ms), 3),
            "chunks_per_s": round(chunks / (min(ingest_ms) / 1000), 1), "repeats": repeats}


def engines(corpus: Path, repeats: int) -> dict:
    """The ONNX engine against the torch one it replaced (and the opt-in int8 one): throughput, and overhead
    against each raw encoder."""
    runs = {engine: overhead(corpus, repeats, engine) for engine in ("onnx", "torch", "onnx-int8")}
    onnx, torch = runs["onnx"], runs["torch"]
    return runs | {"speedup": round(torch["ingest_ms"] / onnx["ingest_ms"], 2),
                   "int8_speedup": round(torch["ingest_ms"] / runs["onnx-int8"]["ingest_ms"], 2),
                   "onnx_ingest_vs_torch_raw_encode": round(onnx["ingest_ms"] / torch["raw_encode_ms"], 3)}


def worker(n_chunks: int) -> dict:
    settings = get_settings()
    sentences = real_sentences(settings.corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        files = write_corpus(sentences, corpus, n_chunks)
        target = BotSettings(chroma_path=Path(tmp) / "chroma", corpus_dir=corpus)
        embedder = load_embedder(target)
        report = {}
        elapsed = timed_ms(lambda: report.update(ingest([corpus], target, embedder, progress=False).as_dict()))
        return {"target_chunks": n_chunks, "files": files, "chunks": report.get("chunks"), "ingest_s": round(
            elapsed / 1000, 1), "chunks_per_s": round(report.get("chunks", 0) / (elapsed / 1000), 1),
            "store_mb": dir_size_mb(target.chroma_path), "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    print(json.dumps(worker(parser.parse_args().chunks)))


if __name__ == "__main__":
    main()
