"""Query benchmarks on the real corpus: retrieval latency per method, warm `ask` latency, cold start.

Prints a Markdown table and writes bench/results/query.json. Usage: python -m bench.run [--quick|--full]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.chat import Engine
from evals.golden import load_cases
from evals.suite import run_eval
from ingest.settings import get_settings

RESULTS = Path(__file__).with_name("results")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (< 1 minute)")
    parser.add_argument("--full", action="store_true", help="more repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 10

    engine = Engine(get_settings())
    retriever = engine.retriever
    idx = retriever.index()
    questions = [turn for case in load_cases() for turn in case.turns]
    rows: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": [], "ask (warm)": []}
    for question in questions:
        rows["dense"] += timed(lambda q=question: retriever.dense(q, 50, None, idx), repeats)
        rows["bm25"] += timed(lambda q=question: retriever.lexical(q, 50, None, idx), repeats)
        rows["hybrid"] += timed(lambda q=question: retriever.search(q, 5), repeats)
        rows["ask (warm)"] += timed(lambda q=question: engine.ask(q), max(1, repeats // 3))

    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("careerchat")), "ask", "What does an SRE do?"],
                   capture_output=True, check=True)
    cold = (time.perf_counter() - start) * 1000
    quality = run_eval(engine)["summary"]

    result = {
        "chunks": len(idx.ids),
        "latency_ms": {
            name: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "p99": percentile(v, 0.99),
                   "mean": statistics.fmean(v), "n": len(v)}
            for name, v in rows.items()
        },
        "cold_ask_ms": cold,
        "dev_set": quality,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "query.json").write_text(json.dumps(result, indent=2))
    print(f"Query latency on {len(idx.ids)} chunks ({len(questions)} dev questions, ms)\n")
    print("| operation | p50 | p95 | p99 | n |\n| --- | ---: | ---: | ---: | ---: |")
    for name, stats in result["latency_ms"].items():
        print(f"| {name} | {stats['p50']:.1f} | {stats['p95']:.1f} | {stats['p99']:.1f} | {stats['n']} |")
    print(f"| cold `careerchat ask` (process start to answer) | {cold:.0f} | | | 1 |")
    print(f"\nDev set: evidence hit rate {quality['evidence_hit_rate']:.1%}, refusal precision "
          f"{quality['refusal_precision']:.0%}, recall {quality['refusal_recall']:.0%}, "
          f"false refusals {quality['false_refusals']}")


if __name__ == "__main__":
    main()
