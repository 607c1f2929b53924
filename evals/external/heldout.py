"""Measure a judge on the held-out split of the public data: ``careerchat eval judge``.

Answer level, as the annotators labelled: an answer is hallucinated when any span is, and the judge flags it
when any claim is unsupported. Scores are reported per (dataset, task) group, never pooled across groups
whose hallucination rates differ.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from evals.external import LabelledAnswer, load
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
