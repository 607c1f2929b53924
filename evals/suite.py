"""One eval run end to end: splits -> answers -> validated judge -> scores per split -> report and breaches.

Each split is scored on its own (``summary_by_split``) and dev and test are shown side by side, so a metric
that only holds on the data the rules were tuned on is visible as a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from bot.chat import Engine
from evals.gate import THRESHOLDS, breaches, compare, gaps, load_open, load_report, load_thresholds, split_open
from evals.golden import GoldenCase, evidence_texts, load_cases, resolve_evidence
from evals.judge import AlignedJudge, Judge, LLMJudge
from evals.judge_validation import load_pairs, validate
from evals.records import EvalReport, Metrics
from evals.runner import load_answers, run_careerchat
from evals.scoring import CaseScore, pass_rate_by_tag, score_case, summarize
from evals.splits import Split, discover, suite_settings
from ingest.pipeline import ingest


@dataclass
class SplitRun:
    split: Split
    engine: Engine
    cases: list[GoldenCase]


def split_engine(engine: Engine, split: Split) -> Engine:
    """The main engine for the seed suite; for another suite, its own store with the seeds and its guides only
    (a store last filled from another folder of the same name keeps none of that folder's guides)."""
    if not split.corpora:
        return engine
    settings = suite_settings(engine.settings, split.corpora)
    ingest([engine.settings.corpus_dir, *split.corpora], settings, engine.embedder, only=True, progress=False)
    return Engine(settings, engine.embedder)


def prepare(engine: Engine, splits: list[Split]) -> list[SplitRun]:
    engines: dict[tuple[Path, ...], Engine] = {}
    runs = []
    for split in splits:
        if split.corpora not in engines:
            engines[split.corpora] = split_engine(engine, split)
        cases = [c for path in split.files for c in load_cases(path)]
        resolve_evidence(cases, evidence_texts(engines[split.corpora].retriever.index()))
        runs.append(SplitRun(split, engines[split.corpora], cases))
    return runs


def faithfulness_note(backends: list[str]) -> str:
    """What the faithfulness figure is evidence of, for the backend(s) that made the answers."""
    if backends == ["extractive"]:
        return ("Faithfulness is true by construction here: the extractive backend only quotes passage sentences, "
                "so its score is no evidence that the judge works. That evidence is the judge's score on the held-out "
                "split of public human-annotated answers (`careerchat eval judge`, README).")
    return (f"Faithfulness is the offline judge's verdict on answers from {', '.join(backends) or 'no backend'}; one "
            "unsupported claim fails a case. The judge's held-out score on public data: `careerchat eval judge`.")


def run_eval(
    engine: Engine,
    *,
    splits: list[Split] | None = None,
    golden: Path | None = None,
    answers: Path | None = None,
    judge: str = "lexical",
    thresholds: Path = THRESHOLDS,
    baseline: Path | None = None,
    progress: bool = False,
) -> EvalReport:
    limits = load_thresholds(thresholds)
    old = load_report(baseline) if baseline else None
    if golden is not None:
        splits = [Split("custom", "all", (golden,), ())]
    runs = prepare(engine, splits if splits is not None else discover())
    index = engine.retriever.index()
    judges: list[Judge] = [AlignedJudge(engine.embedder)]
    if judge == "llm":
        judges.append(LLMJudge(engine.settings))
    validation = validate(judges[0], load_pairs([(text, meta.get("section", ""))
                                                 for text, meta in zip(index.texts, index.metas, strict=True)]))

    by_split: dict[str, list[CaseScore]] = {}
    bar = tqdm(total=sum(len(r.cases) for r in runs), desc="eval", unit="case", disable=not progress)
    for run in runs:
        produced = load_answers(answers, run.cases) if answers else run_careerchat(run.engine, run.cases)
        catalog = run.engine.retriever.index().catalog
        by_split[run.split.name] = []
        for p in produced:
            by_split[run.split.name].append(score_case(p.case, p.answer, judges, p.retrieved, p.latency_ms, catalog))
            bar.update()
    bar.close()
    results = [r for scored in by_split.values() for r in scored]
    backends = sorted({r.answer.backend or "unknown" for r in results if not r.refused})
    k = engine.settings.top_k
    judge_metrics: Metrics = {"judge_catch_rate": validation.catch_rate,
                              "judge_false_alarm_rate": validation.false_alarm_rate}
    summaries = {name: summarize(scored, k) for name, scored in by_split.items()}
    scopes = ["judge", *summaries, *(f"{suite} dev-test gap" for suite in gaps(summaries))]
    failing, still_open, now_met = split_open(breaches(summaries, judge_metrics, limits), load_open(thresholds), scopes)
    report = EvalReport(
        system=f"answers from {answers.name}" if answers else f"careerchat ({engine.settings.backend})",
        k=k,
        summary=summarize(results, k) | judge_metrics,
        summary_by_split=summaries,
        faithfulness_backends=backends,
        faithfulness_note=faithfulness_note(backends),
        by_tag=pass_rate_by_tag(results),
        judge=validation,
        thresholds=limits,
        breaches=failing,
        open_targets=still_open,
        open_targets_met=now_met,
        cases=[r.record(name) for name, scored in by_split.items() for r in scored],
    )
    if old:
        report.baseline = compare(report, old)
    return report
