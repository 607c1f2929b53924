"""Smoke test: every benchmark code path runs on tiny inputs and writes its JSON (no timing asserted)."""

import json
import subprocess
import sys

import pytest

from .conftest import cli_env


@pytest.mark.timeout(600)  # ~3 min alone; the subprocess has its own 600 s limit, and a busy CI machine doubles it
def test_benchmarks_run_on_tiny_inputs(store_settings, tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--sizes", "60,120", "--ingest-sizes", "30", "--cases", "6",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600, env={**__import__("os").environ, **cli_env(store_settings)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("ingest", "query", "ask", "app", "quality"):
        assert (out / f"{name}.json").exists(), name
    app = json.loads((out / "app.json").read_text())
    assert "skipped" in app or app["usable_after_server_start_s"] > 0 and app["full_answer_ms"]["n"] == 3
    query = json.loads((out / "query.json").read_text())
    assert [r["chunks"] for r in query["runs"]] == [60, 120]
    assert set(query["runs"][0]["latency_ms"]) == {"dense", "bm25", "hybrid"}
    assert "hybrid" in query["loglog_slopes"]
    assert all(r["serve_loaded_saved_index"] and r["first_question_s"] > 0 for r in query["runs"])
    ingest = json.loads((out / "ingest.json").read_text())
    runs = ingest["engines"]["runs"]
    assert set(runs) == {"onnx, bf16 passages", "onnx fp32", "torch", "onnx-int8"}
    assert all(r["overhead_ratio"] > 0 and r["chunks"] == runs["torch"]["chunks"] for r in runs.values())
    assert all(x > 0 for x in ingest["engines"]["speedup_vs_torch"].values())
    assert ingest["scale"][0]["chunks"] > 0 and ingest["scale_fp32"][0]["passages"] == "fp32"
    assert ingest["scale"][0]["passages"] == "fp32", "30 passages are too few for auto to load torch"
    ask = json.loads((out / "ask.json").read_text())
    assert set(ask["cold_ask_s"]) == {"onnx", "torch"} and ask["chat_json_s"] > 0
    quality = json.loads((out / "quality.json").read_text())
    assert set(quality["splits"]) == {"seed/dev", "seed/test"}
    assert all({"command", "date", "machine"} <= json.loads((out / f"{n}.json").read_text())["provenance"].keys()
               for n in ("ingest", "query", "ask", "app", "quality")), "every result says how, when and where it was made"
    assert set(quality["splits"]["seed/test"]["systems"]) == {"careerchat", "dense-only", "bm25-only", "langchain-tutorial"}
    assert "| system |" in done.stdout and "### Retrieval latency" in done.stdout
