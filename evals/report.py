"""Write one eval report four ways: eval.json (machines, the app), eval.md (review), eval.html (charts,
no network needed to open it) and junit.xml (one testcase per golden case, for CI test tabs)."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from junit_xml import TestCase, TestSuite, to_xml_report_string

from evals.records import EvalReport, Metrics

HEADLINE = ("pass_rate", "evidence_hit_rate", "faithfulness", "citation_precision", "citation_recall",
            "key_point_recall", "context_precision", "mrr", "refusal_precision", "refusal_recall", "refusal_f1")

_templates = Environment(loader=PackageLoader("evals", "templates"), autoescape=select_autoescape(["html.j2"]),
                         trim_blocks=True, lstrip_blocks=True)


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


_templates.filters["fmt"] = _fmt


def headline(summary: Metrics) -> list[tuple[str, float]]:
    """The 0..1 metrics worth a bar each, retrieval ones included whatever k is."""
    names = [n for n in summary if n.startswith(("hit_rate@", "recall@", "ndcg@"))] + list(HEADLINE)
    return [(n, float(summary[n])) for n in names if n in summary]


SPLIT_ROWS = ("cases", "passed", "pass_rate", "hit_rate@5", "mrr", "evidence_hit_rate", "key_point_recall",
              "faithfulness", "role_attribution", "refusal_precision", "refusal_recall", "refusal_f1",
              "false_refusals", "latency_p95_ms")


def side_by_side(report: EvalReport) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Split names and, per metric, its value in each split (dev next to test)."""
    splits = report.summary_by_split
    names = list(splits)
    metrics = [m for m in SPLIT_ROWS if any(m in s for s in splits.values())]
    return names, [(m, [_fmt(splits[n].get(m, "")) for n in names]) for m in metrics]


def write_all(report: EvalReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    failures = [c for c in report.cases if not c.passed]
    names, rows = side_by_side(report)
    context = {"r": report, "failures": failures, "bars": headline(report.summary), "split_names": names,
               "split_rows": rows}
    files = {
        "eval.json": json.dumps(report.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False),
        "eval.md": _templates.get_template("eval.md.j2").render(context),
        "eval.html": _templates.get_template("eval.html.j2").render(context),
        "junit.xml": junit(report),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in files]


def junit(report: EvalReport) -> str:
    cases = []
    for c in report.cases:
        case = TestCase(c.id, classname=f"careerchat.eval.{(c.tags or ['case'])[0]}",
                        elapsed_sec=c.latency_ms / 1000, stdout=c.answer.answer)
        if not c.passed:
            claims = c.model_dump(mode="json", include={"claims"})["claims"]
            case.add_failure_info(message="; ".join(c.reasons)[:500], output=json.dumps(claims, indent=1))
        cases.append(case)
    suite = TestSuite("careerchat-eval", cases, properties={k: _fmt(v) for k, v in report.summary.items()})
    return to_xml_report_string([suite], prettyprint=True)
