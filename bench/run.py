"""careerchat benchmarks: ingest, query at scale, end-to-end ask and cold start, quality vs baselines.

Every benchmark prints a Markdown table and writes bench/results/<name>.json. No timing is asserted
anywhere; tests/test_bench.py only runs these code paths on tiny inputs.

    python -m bench.run --quick     # < 3 minutes: small scales
    python -m bench.run --full      # 10k-chunk ingest, 1k/10k/100k-chunk stores
    python -m bench.run --full --sizes 1000,10000,100000,1000000   # make bench-full: adds a 1M-chunk store
    python -m bench.run --only query --sizes 1000,2000
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import RESULTS, latency_stats, loglog_slope, run_worker, table, timed_ms, write_result

COLD_RUNS = 5
BENCHMARKS = ("ingest", "query", "ask", "app", "quality")
PROFILES = {
    "quick": {"overhead_repeats": 1, "ingest_sizes": [600], "fp32_ingest_sizes": [], "query_sizes": [1000, 4000],
              "repeats": 1},
    "full": {"overhead_repeats": 3, "ingest_sizes": [1000, 10000], "fp32_ingest_sizes": [1000, 10000],
             "query_sizes": [1000, 10000, 100000], "repeats": 3},
}


def bench_ingest(profile: dict, out: Path) -> str:
    from bench.ingest_bench import engines
    from bot.settings import get_settings

    real = engines(get_settings().corpus_dir, profile["overhead_repeats"])
    scale = [run_worker("bench.ingest_bench", "--chunks", str(n)) for n in profile["ingest_sizes"]]
    fp32 = [run_worker("bench.ingest_bench", "--chunks", str(n), "--passage-bf16", "never")
            for n in profile["fp32_ingest_sizes"]]
    slopes = {key: loglog_slope([s["chunks"] for s in scale], [s[key] for s in scale])
              for key in ("ingest_s", "store_mb", "peak_rss_mb")}
    write_result("ingest", {"engines": real, "scale": scale, "scale_fp32": fp32, "loglog_slopes": slopes}, out)
    runs = real["runs"]
    rows = [[f"real corpus, {e} ({r['chunks']} chunks)", r["ingest_ms"] / 1000, r["raw_encode_ms"] / 1000,
             r["overhead_ratio"], r["chunks_per_s"], None, None] for e, r in runs.items()]
    rows += [[f"synthetic {s['chunks']:,} chunks, onnx, {s['passages']} passages", s["ingest_s"], None, None,
              s["chunks_per_s"], s["store_mb"], s["peak_rss_mb"]] for s in scale + fp32]
    rows.append(["log-log slope vs chunks (default engine)", slopes["ingest_s"], None, None, None, slopes["store_mb"],
                 slopes["peak_rss_mb"]])
    speedups = ", ".join(f"{e} {x}x" for e, x in real["speedup_vs_torch"].items())
    return ("### Ingest\n\n" + table(
        ["corpus, engine", "ingest s", "raw encode s", "overhead", "chunks/s", "store MB", "peak RSS MB"], rows)
        + f"\n\nReal-corpus ingest throughput against the torch ingest: {speedups}. Ingest time over the old torch "
          f"raw encoder: " + ", ".join(f"{e} {x}" for e, x in real["ingest_vs_torch_raw_encode"].items()) + ".")


def bench_query(profile: dict, out: Path) -> str:
    extra = ["--cases", str(profile["cases"])] if profile.get("cases") else []
    runs = [run_worker("bench.query_bench", "--chunks", str(n), "--repeats", str(profile["repeats"]), *extra)
            for n in profile["query_sizes"]]
    sizes = [r["chunks"] for r in runs]
    slopes = {m: loglog_slope(sizes, [r["latency_ms"][m]["p95"] for r in runs]) for m in ("dense", "bm25", "hybrid")}
    slopes |= {k: loglog_slope(sizes, [r[k] for r in runs])
               for k in ("fill_s", "store_mb", "peak_rss_mb", "bm25_build_s", "first_question_s")}
    # A 1M-chunk run (make bench-full, about an hour) keeps its own file beside the everyday 1k-100k one.
    write_result("query-1m" if max(sizes) >= 1_000_000 else "query", {"runs": runs, "loglog_slopes": slopes}, out)
    rows = []
    for r in runs:
        lat = r["latency_ms"]
        rows.append([f"{r['chunks']:,}", *(lat[m][p] for m in ("dense", "bm25", "hybrid") for p in ("p50", "p95", "p99")),
                     r["fill_s"], r["bm25_build_s"], r["first_question_s"], r["store_mb"], r["index_mb"],
                     r["peak_rss_mb"]])
    rows.append(["log-log slope", None, slopes["dense"], None, None, slopes["bm25"], None, None, slopes["hybrid"],
                 None, slopes["fill_s"], slopes["bm25_build_s"], slopes["first_question_s"], slopes["store_mb"], None,
                 slopes["peak_rss_mb"]])
    headers = ["chunks", *(f"{m} {p}" for m in ("dense", "bm25", "hybrid") for p in ("p50", "p95", "p99")),
               "store fill s", "index build s", "new server's first answer s", "store MB", "index MB", "peak RSS MB"]
    return "### Retrieval latency (ms) by store size\n\n" + table(headers, rows)


def bench_ask(profile: dict, out: Path) -> str:
    """Warm end-to-end `ask` per backend on the real corpus, and a cold `careerchat ask` process."""
    from bench.query_bench import questions
    from bot.chat import Engine
    from bot.settings import get_settings

    settings = get_settings()
    engine = Engine(settings)
    asked = questions(profile.get("cases"))
    backends = ["extractive"] + (["openai"] if settings.llm_configured else [])
    warm = {}
    for backend in backends:
        engine.ask(asked[0], backend=backend)
        warm[backend] = latency_stats([timed_ms(lambda q=q, b=backend: engine.ask(q, backend=b))
                                       for _ in range(profile["repeats"]) for q in asked])
    cold = {engine: cold_ask_s(engine) for engine in ("onnx", "torch")}
    piped = piped_chat_s(asked)
    write_result("ask", {"chunks": engine.store.count(), "warm_ms": warm, "cold_ask_s": cold,
                         "chat_json_turns": len(asked[:10]), "chat_json_s": piped,
                         "openai": "measured" if settings.llm_configured else "not configured (no endpoint)"}, out)
    rows = [[f"warm ask ({b})", s["p50"], s["p95"], s["p99"], s["n"]] for b, s in warm.items()]
    rows += [[f"cold `careerchat ask`, {e} embedder (process start to answer)", s * 1000, None, None, COLD_RUNS]
             for e, s in cold.items()]
    rows.append([f"`careerchat chat --json`, {len(asked[:10])} piped turns (process start to last answer)",
                 piped * 1000, None, None, 1])
    note = "" if settings.llm_configured else "\n\nThe openai backend is not measured: no endpoint is configured here."
    return "### End-to-end ask (ms)\n\n" + table(["operation", "p50", "p95", "p99", "n"], rows) + note


def cold_ask_s(engine: str) -> float:
    """Median of COLD_RUNS fresh processes, after one unmeasured run that brings the files into the disk cache."""
    command = [str(Path(sys.executable).with_name("careerchat")), "ask", "What does an SRE do?"]
    env = {**os.environ, "CAREERCHAT_EMBEDDER": engine}

    def run() -> None:
        subprocess.run(command, capture_output=True, check=True, env=env)

    run()
    return round(statistics.median(timed_ms(run) for _ in range(COLD_RUNS)) / 1000, 2)


def piped_chat_s(asked: list[str]) -> float:
    command = [str(Path(sys.executable).with_name("careerchat")), "chat", "--json"]
    lines = "".join(q + "\n" for q in asked[:10])
    return round(timed_ms(lambda: subprocess.run(command, input=lines, text=True, capture_output=True,
                                                 check=True)) / 1000, 2)


def bench_quality(profile: dict, out: Path) -> str:
    from bench.quality_bench import compare
    from bot.settings import get_settings
    from ingest.embedding import load_embedder

    settings = get_settings()
    result = compare(settings, load_embedder(settings), profile.get("cases"))
    write_result("quality", result, out)
    parts = []
    for split, scored in result["splits"].items():
        metrics = list(next(iter(scored["systems"].values())))
        rows = [[name, *(values.get(m) for m in metrics)] for name, values in scored["systems"].items()]
        parts.append(f"#### {split} ({scored['cases']} cases, k={result['k']})\n\n" + table(["system", *metrics], rows))
    return "### Quality on the seed suite, dev and test side by side\n\n" + "\n\n".join(parts)


def bench_app(profile: dict, out: Path) -> str:
    result = run_worker("bench.app_bench")
    write_result("app", result, out)
    if "skipped" in result:
        return f"### The app in Chromium\n\nSkipped: {result['skipped']}."
    rows = [["server start to a usable chat box", result["usable_after_server_start_s"] * 1000, None],
            ["first question: Enter to first text", result["first_answer_first_text_ms"], None],
            ["first question: Enter to the full answer with its sources", result["first_answer_full_ms"], None],
            [f"all {result['questions']} questions: Enter to first text", result["first_text_ms"]["p50"],
             result["first_text_ms"]["p95"]],
            [f"all {result['questions']} questions: Enter to the full answer", result["full_answer_ms"]["p50"],
             result["full_answer_ms"]["p95"]]]
    return "### The app in Chromium (ms)\n\n" + table(["moment", "ms (p50)", "p95"], rows)


RUNNERS = {"ingest": bench_ingest, "query": bench_query, "ask": bench_ask, "app": bench_app, "quality": bench_quality}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small scales, < 3 minutes (default)")
    mode.add_argument("--full", action="store_true", help="10k-chunk ingest and 1k/10k/100k-chunk stores")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run just this benchmark (repeatable)")
    parser.add_argument("--sizes", help="override the store sizes of the query benchmark, e.g. 1000,2000")
    parser.add_argument("--ingest-sizes", help="override the synthetic ingest sizes (default and fp32 engines), e.g. 200")
    parser.add_argument("--cases", type=int, help="use only the first N golden cases (smoke runs)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON results")
    args = parser.parse_args(argv)
    profile = dict(PROFILES["full" if args.full else "quick"])
    if args.sizes:
        profile["query_sizes"] = [int(n) for n in args.sizes.split(",")]
    if args.ingest_sizes:
        profile["ingest_sizes"] = profile["fp32_ingest_sizes"] = [int(n) for n in args.ingest_sizes.split(",")]
    profile["cases"] = args.cases
    started = time.perf_counter()
    for name in args.only or BENCHMARKS:
        print(RUNNERS[name](profile, args.out), "\n", flush=True)
    print(f"({'full' if args.full else 'quick'} profile, {time.perf_counter() - started:.0f} s; JSON in {args.out})")


if __name__ == "__main__":
    main()
