"""One eval run end to end: golden set -> answers -> validated judge -> scores -> report dict and breaches."""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm

from bot.chat import Engine
from evals.gate import THRESHOLDS, breaches, compare, load_report, load_thresholds
from evals.golden import GOLDEN_SET, load_cases, resolve_evidence
from evals.judge import Judge, LexicalJudge, LLMJudge
from evals.judge_validation import load_pairs, validate
from evals.runner import load_answers, run_careerchat
from evals.scoring import pass_rate_by_tag, score_case, summarize


def run_eval(
    engine: Engine,
    *,
    golden: Path = GOLDEN_SET,
    answers: Path | None = None,
    judge: str = "lexical",
    thresholds: Path = THRESHOLDS,
    baseline: Path | None = None,
    progress: bool = False,
) -> dict:
    limits = load_thresholds(thresholds)
    old = load_report(baseline) if baseline else None
    cases = load_cases(golden)
    index = engine.retriever.index()
    resolve_evidence(cases, index.text_by_id)
    judges: list[Judge] = [LexicalJudge(engine.embedder)]
    if judge == "llm":
        judges.append(LLMJudge(engine.settings))
    validation = validate(judges[0], load_pairs([(text, meta.get("section", ""))
                                                 for text, meta in zip(index.texts, index.metas, strict=True)]))

    produced = load_answers(answers, cases) if answers else run_careerchat(engine, cases)
    bar = tqdm(produced, total=len(cases), desc="eval", unit="case", disable=not progress)
    results = [score_case(p.case, p.answer, judges, p.retrieved, p.latency_ms) for p in bar]
    k = engine.settings.top_k
    summary = summarize(results, k) | {
        "judge_catch_rate": validation.catch_rate, "judge_false_alarm_rate": validation.false_alarm_rate}
    report = {
        "system": f"answers from {answers.name}" if answers else f"careerchat ({engine.settings.backend})",
        "k": k,
        "summary": summary,
        "by_tag": pass_rate_by_tag(results),
        "judge": validation.to_dict(),
        "thresholds": limits,
        "breaches": breaches(summary, limits),
        "cases": [r.to_dict() | {"question": r.question} for r in results],
    }
    if old:
        report["baseline"] = compare(report, old)
    return report
