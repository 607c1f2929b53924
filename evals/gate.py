"""The CI gate: thresholds from ``evals/thresholds.toml`` and deltas against an older report."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from evals.golden import GoldenSetError

THRESHOLDS = Path(__file__).with_name("thresholds.toml")


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GoldenSetError(f"cannot read thresholds {path}: {exc}") from exc
    unknown = set(data) - {"min", "max"}
    if unknown:
        raise GoldenSetError(f"{path}: only [min] and [max] tables are allowed, found {sorted(unknown)}")
    return {"min": dict(data.get("min", {})), "max": dict(data.get("max", {}))}


def breaches(metrics: dict[str, float], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Every threshold a metric misses, as a readable line; a threshold on an unknown metric is a breach too."""
    found = []
    for bound, limits in thresholds.items():
        for name, limit in limits.items():
            if name not in metrics:
                found.append(f"{name}: no such metric (thresholds name one the report does not have)")
            elif (bound == "min" and metrics[name] < limit) or (bound == "max" and metrics[name] > limit):
                found.append(f"{name} = {metrics[name]:.3f}, {'below the minimum' if bound == 'min' else 'above the maximum'}"
                             f" {limit}")
    return found


def load_report(path: Path) -> dict:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldenSetError(f"{path} is not an eval.json report: {exc}") from exc
    if not isinstance(report, dict) or not {"summary", "cases"} <= report.keys():
        raise GoldenSetError(f"{path} is not an eval.json report: it needs 'summary' and 'cases'")
    return report


def compare(current: dict, baseline: dict) -> dict:
    """Per-metric deltas and the cases that passed in the baseline but fail now."""
    old, new = baseline["summary"], current["summary"]
    deltas = {name: {"baseline": old[name], "current": value, "delta": value - old[name]}
              for name, value in new.items() if isinstance(value, int | float) and isinstance(old.get(name), int | float)}
    passed_before = {c["id"] for c in baseline["cases"] if c.get("passed")}
    return {
        "deltas": deltas,
        "newly_failing": [c["id"] for c in current["cases"] if not c["passed"] and c["id"] in passed_before],
        "newly_passing": [c["id"] for c in current["cases"] if c["passed"] and c["id"] not in passed_before],
    }
