"""Ingest cost: careerchat's pipeline vs the raw encoder of the same texts, per engine, and at scale.

The overhead ratio compares, in one process with the model already loaded, a full ``ingest`` (load, clean,
chunk, count tokens, embed, write to Chroma) against embedding exactly the chunk texts it embedded with the
embedder's own passage path (``embed_documents``: bf16 torch where it is on). Engines: onnx with bf16 passages,
onnx fp32, torch (the engine before #17) and the opt-in int8 graph. Synthetic corpora are ingested each in a
fresh worker process so peak RSS is per size.
Worker: python -m bench.ingest_bench --chunks N [--passage-bf16 auto|always|never]  (prints one JSON line)
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

ENGINES = {"onnx, bf16 passages": ("onnx", "always"), "onnx fp32": ("onnx", "never"),
           "torch": ("torch", "never"), "onnx-int8": ("onnx-int8", "never")}
"""Row label -> (``CAREERCHAT_EMBEDDER``, ``CAREERCHAT_PASSAGE_BF16``)."""


def overhead(corpus: Path, repeats: int, engine: str) -> dict:
    """Best-of-``repeats`` ingest time over best-of raw encode time for the same chunk texts, for one engine."""
    name, bf16 = ENGINES[engine]
    embedder = load_embedder(get_settings().model_copy(update={"embedder": name, "passage_bf16": bf16}))
    embedder.expect(1)
    embedder.embed_documents(["warm up"])
    ingest_ms, encode_ms, chunks = [], [], 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            settings = BotSettings(chroma_path=Path(tmp) / "chroma", corpus_dir=corpus)
            ingest_ms.append(timed_ms(lambda s=settings: ingest([corpus], s, embedder, progress=False)))
            stored = list(ChunkStore(settings, embedder).iter_chunks())
            texts = [f"{embed_header(c.metadata['title'], c.metadata['section'])}\n{c.text}" for c in stored]
            chunks = len(texts)
            encode_ms.append(timed_ms(lambda t=texts: embedder.embed_documents(t)))
    return {"engine": engine, "chunks": chunks, "ingest_ms": round(min(ingest_ms), 1),
            "raw_encode_ms": round(min(encode_ms), 1), "overhead_ratio": round(min(ingest_ms) / min(encode_ms), 3),
            "chunks_per_s": round(chunks / (min(ingest_ms) / 1000), 1), "repeats": repeats}


def engines(corpus: Path, repeats: int) -> dict:
    """Each engine's throughput and overhead against its own raw encoder; speedups against the torch ingest
    that #17 started from."""
    runs = {engine: overhead(corpus, repeats, engine) for engine in ENGINES}
    torch = runs["torch"]
    return {"runs": runs, "speedup_vs_torch": {e: round(torch["ingest_ms"] / r["ingest_ms"], 2) for e, r in runs.items()},
            "ingest_vs_torch_raw_encode": {e: round(r["ingest_ms"] / torch["raw_encode_ms"], 3)
                                           for e, r in runs.items()}}


def worker(n_chunks: int, passage_bf16: str) -> dict:
    """Ingest time of ``n_chunks`` synthetic chunks; loading torch where bf16 is on is part of it."""
    settings = get_settings()
    sentences = real_sentences(settings.corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        files = write_corpus(sentences, corpus, n_chunks)
        target = BotSettings(chroma_path=Path(tmp) / "chroma", corpus_dir=corpus, passage_bf16=passage_bf16)
        embedder = load_embedder(target)
        report = {}
        elapsed = timed_ms(lambda: report.update(ingest([corpus], target, embedder, progress=False).as_dict()))
        return {"target_chunks": n_chunks, "passage_bf16": passage_bf16, "passages": embedder.passage_precision,
                "files": files, "chunks": report.get("chunks"), "ingest_s": round(elapsed / 1000, 1),
                "chunks_per_s": round(report.get("chunks", 0) / (elapsed / 1000), 1),
                "store_mb": dir_size_mb(target.chroma_path), "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--passage-bf16", default="auto", choices=["auto", "always", "never"])
    args = parser.parse_args()
    print(json.dumps(worker(args.chunks, args.passage_bf16)))


if __name__ == "__main__":
    main()
