"""Measure a judge on the held-out split of the public data: ``careerchat eval judge``.

Answer level, as the annotators labelled: an answer is hallucinated when any span is, and the judge flags it
when any claim is unsupported. Scores are reported per (dataset, task) group, never pooled across groups
whose hallucination rates differ.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from evals.external import LabelledAnswer, load
from evals.gate import heldout_breaches, load_open, load_thresholds, split_open
from evals.judge import Judge, judge_answer
from evals.metrics import binary_scores

LONG = 7


@dataclass(frozen=True)
class HeldoutReport:
    judge: str
    groups: dict[str, dict[str, float | int]]
    """Scores per "dataset/task"."""
    seconds_per_answer: float
    sentences_per_answer: float
    seconds_per_long_answer: float
    """Mean time for answers of ``LONG`` claims or more, batching included: the speed target's unit."""


def run(judge: Judge, answers: list[LabelledAnswer] | None = None,
        progress: Callable[[int, int], None] | None = None) -> HeldoutReport:
    answers = load("heldout") if answers is None else answers
    flagged, scores, sentence_counts, seconds = [], [], [], []
    for i, answer in enumerate(answers):
        started = time.perf_counter()
        verdict = judge_answer(judge, answer.answer, answer.passages)
        seconds.append(time.perf_counter() - started)
        flagged.append(not verdict.faithful)
        scores.append(1 - verdict.score)
        sentence_counts.append(len(verdict.claims))
        if progress:
            progress(i + 1, len(answers))
    long_answers = [t for t, n in zip(seconds, sentence_counts, strict=True) if n >= LONG]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(answers):
        groups[f"{a.dataset}/{a.task}"].append(i)
    truth, flagged_, scores_ = (np.asarray([a.hallucinated for a in answers]), np.asarray(flagged), np.asarray(scores))
    return HeldoutReport(
        judge=judge.name,
        groups={name: binary_scores(truth[idx], flagged_[idx], scores_[idx]) for name, idx in sorted(groups.items())},
        seconds_per_answer=round(sum(seconds) / max(1, len(answers)), 4),
        sentences_per_answer=round(float(np.mean(sentence_counts)) if sentence_counts else 0.0, 2),
        seconds_per_long_answer=round(float(np.mean(long_answers)) if long_answers else 0.0, 4),
    )


def save(report: HeldoutReport, out: Path, command: str) -> None:
    """The report with the command, date and machine that produced it: a results file the README can cite."""
    record = {"command": command, "date": datetime.now(UTC).strftime("%Y-%m-%d"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record | asdict(report), indent=2) + "\n", encoding="utf-8")


def gate(report: HeldoutReport) -> tuple[list[str], list[str], list[str]]:
    """(breaches, open targets still missed, open targets now met) under the "heldout" scopes of the thresholds."""
    timing = {"seconds_per_answer": report.seconds_per_answer, "seconds_per_long_answer": report.seconds_per_long_answer}
    scopes = ["heldout", *(f"heldout {group}" for group in report.groups)]
    return split_open(heldout_breaches(report.groups, timing, load_thresholds()), load_open(), scopes)
