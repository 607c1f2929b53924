"""What every benchmark shares: timing statistics, peak memory, disk size, log-log slopes, tables, results."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("results")


def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def latency_stats(samples: list[float]) -> dict[str, float]:
    p50, p95, p99 = np.percentile(samples, [50, 95, 99]) if samples else (0.0, 0.0, 0.0)
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2), "p99": round(float(p99), 2),
            "mean": round(float(np.mean(samples)) if samples else 0.0, 2), "n": len(samples)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far: VmHWM, which starts afresh in every process. ru_maxrss (the
    fallback off Linux) is carried over from the parent through fork and exec, so a worker started by a process
    that had built a big index reported the parent's peak as its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dir_size_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 2)


def loglog_slope(sizes: list[float], costs: list[float]) -> float | None:
    """How a cost grows with size: 1.0 = linear, 0 = flat. None with fewer than two usable points."""
    points = [(s, c) for s, c in zip(sizes, costs, strict=True) if s > 0 and c > 0]
    if len(points) < 2:
        return None
    xs, ys = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return round(float(np.polyfit(xs, ys, 1)[0]), 3)


def table(headers: list[str], rows: list[list[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return "" if value is None else str(value)

    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def provenance() -> dict:
    """What a committed result must say about itself: the command, when, and on what machine."""
    return {"command": "python -m bench.run " + " ".join(sys.argv[1:]),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                       f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
                       f"{platform.system()} {platform.release()}, Python {platform.python_version()}"}


def write_result(name: str, data: dict, out: Path = RESULTS) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps({"provenance": provenance(), **data}, indent=2))
    return path


def run_worker(module: str, *args: str) -> dict:
    """Run ``python -m module args`` in a fresh process (so its peak RSS is its own) and read its JSON line."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
