"""Train the offline judge's model on the calibration split: ``python -m evals.external.train``.

Each claim of a calibration answer is labelled hallucinated when a human-annotated span lies in it; a logistic
regression learns "hallucinated" from the claim's features, and the cut-off is the one that gives the best
mean F1 over the calibration split's (dataset, task) groups while flagging at most ``MAX_FALSE_ALARMS`` of
their faithful answers. The held-out split is never read here.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.settings import get_settings
from bot.text import words
from evals.claims import Claim, extract
from evals.external import LabelledAnswer, load
from evals.judge import MODEL_FILE, AlignedJudge, JudgeModel
from evals.judge_features import ClaimFeatures
from evals.metrics import binary_scores
from ingest.embedding import load_embedder

MAX_FALSE_ALARMS = 0.20
_WINDOW = 4


def in_span(claim: Claim, spans: list[str]) -> bool:
    """Does an annotated span (or a run of at least four of its words) lie in the claim's sentence?"""
    sentence = " ".join(words(claim.sentence))
    for span in spans:
        tokens = words(span)
        windows = [tokens] if len(tokens) <= _WINDOW else [tokens[i:i + _WINDOW] for i in range(len(tokens) - _WINDOW + 1)]
        if any(f" {' '.join(w)} " in f" {sentence} " for w in windows if w):
            return True
    return False


def claim_rows(judge: AlignedJudge, answers: list[LabelledAnswer]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features and labels of every claim, and the answer each came from."""
    features: list[ClaimFeatures] = []
    labels: list[bool] = []
    owner: list[int] = []
    for i, answer in enumerate(answers):
        claims = extract(answer.answer)
        features += judge.features(claims, answer.passages)
        labels += [answer.hallucinated and in_span(c, answer.spans) for c in claims]
        owner += [i] * len(claims)
        if sys.stderr.isatty():
            print(f"\r{i + 1}/{len(answers)} answers", end="", file=sys.stderr)
    return np.stack([f.vector() for f in features]), np.asarray(labels), owner


def answer_scores(model: JudgeModel, x: np.ndarray, owner: list[int], n: int) -> np.ndarray:
    """Each answer's weakest claim support (1.0 for an answer without claims)."""
    z = (x - np.asarray(model.mean)) / np.asarray(model.scale)
    support = 1 - 1 / (1 + np.exp(-(z @ np.asarray(model.coef) + model.intercept)))
    scores = np.ones(n)
    for i, s in zip(owner, support, strict=True):
        scores[i] = min(scores[i], s)
    return scores


def choose_threshold(scores: np.ndarray, answers: list[LabelledAnswer]) -> tuple[float, dict]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, a in enumerate(answers):
        groups[(a.dataset, a.task)].append(i)
    truth = np.asarray([a.hallucinated for a in answers])
    best: tuple[float, float, dict] = (-1.0, 0.5, {})
    for threshold in np.round(np.arange(0.05, 0.951, 0.01), 2):
        flagged = scores < threshold
        per_group = {f"{d}/{t}": binary_scores(truth[idx], flagged[idx], 1 - scores[idx]) for (d, t), idx in groups.items()}
        if max(g["false_alarm_rate"] for g in per_group.values()) > MAX_FALSE_ALARMS:
            continue
        mean_f1 = float(np.mean([g["f1"] for g in per_group.values()]))
        if mean_f1 > best[0]:
            best = (mean_f1, float(threshold), per_group)
    return best[1], best[2]


def main() -> None:
    started = time.perf_counter()
    answers = load("calibration")
    judge = AlignedJudge(load_embedder(get_settings()), model=JudgeModel(ClaimFeatures.names(), [], [], [], 0.0, 0.5))
    x, y, owner = claim_rows(judge, answers)
    mean, scale = x.mean(axis=0), np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    regression = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit((x - mean) / scale, y)
    model = JudgeModel(ClaimFeatures.names(), mean.round(6).tolist(), scale.round(6).tolist(),
                       regression.coef_[0].round(6).tolist(), round(float(regression.intercept_[0]), 6), 0.5)
    threshold, calibration = choose_threshold(answer_scores(model, x, owner, len(answers)), answers)
    model = JudgeModel(**(asdict(model) | {"threshold": threshold}))
    MODEL_FILE.write_text(json.dumps(asdict(model) | {
        "trained_on": "evals/external/data/*-calibration.jsonl",
        "answers": len(answers), "claims": int(len(y)), "hallucinated_claims": int(y.sum()),
        "calibration": calibration,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"{len(answers)} answers, {len(y)} claims ({int(y.sum())} hallucinated) in {time.perf_counter() - started:.0f} s;"
          f" threshold {threshold}")
    for group, scores in calibration.items():
        print(f"  {group:28} " + "  ".join(f"{k} {v:.3f}" for k, v in scores.items() if isinstance(v, float)))
    print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
