"""Metric functions, each small enough to check against a hand-computed example (tests/test_eval_metrics.py).

Retrieval metrics are computed by ranx at the level of evidence strings, not chunks: a case's relevant
"documents" are its evidence strings, and a retrieved chunk stands for every evidence string it contains.
That way overlapping chunks carrying the same sentence neither double-count nor dilute recall.
"""

from __future__ import annotations

import warnings

import numpy as np

from bot.text import content_stems

RETRIEVAL_METRICS = ("hit_rate", "recall", "mrr", "ndcg")


def evidence_run(ranked_texts: list[str], evidence: list[str]) -> dict[str, float]:
    """A ranked list of passage texts as a ranx run over evidence strings (and unmatched passages)."""
    run: dict[str, float] = {}
    for rank, text in enumerate(ranked_texts):
        score = float(len(ranked_texts) - rank)
        found = [e for e in evidence if e in text]
        for key in found or [f"passage-{rank}"]:
            run.setdefault(key, score)
    return run


def retrieval_scores(rankings: dict[str, list[str]], evidence: dict[str, list[str]], k: int) -> dict[str, float]:
    """Mean hit@k, recall@k, MRR and nDCG@k over the cases that have evidence."""
    from ranx import Qrels, Run, evaluate

    cases = [c for c in rankings if evidence.get(c)]
    if not cases:
        return {f"{m}@{k}" if m != "mrr" else m: 0.0 for m in RETRIEVAL_METRICS}
    qrels = Qrels({c: dict.fromkeys(evidence[c], 1) for c in cases})
    run = Run({c: evidence_run(rankings[c], evidence[c]) or {"none": 0.0} for c in cases})
    names = [f"hit_rate@{k}", f"recall@{k}", f"mrr@{k}", f"ndcg@{k}"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's harmless uint64 cast warning
        scores = evaluate(qrels, run, names, make_comparable=True)
    return {name.replace(f"mrr@{k}", "mrr"): float(value) for name, value in scores.items()}


def context_precision(relevant: list[bool]) -> float:
    """RAGAS-style: mean of precision@i over the ranks i that hold a relevant passage (0 when none do)."""
    hits, total = 0, 0.0
    for i, rel in enumerate(relevant, 1):
        if rel:
            hits += 1
            total += hits / i
    return total / hits if hits else 0.0


def key_point_found(key_point: str, answer: str) -> bool:
    """Every content word of the key point (stemmed) occurs in the answer."""
    return set(content_stems(key_point)) <= set(content_stems(answer))


def refusal_scores(expected: list[bool], refused: list[bool]) -> dict[str, float]:
    """Precision, recall and F1 of refusing, where "should refuse" is the positive class."""
    tp = sum(e and r for e, r in zip(expected, refused, strict=True))
    precision = tp / max(1, sum(refused))
    recall = tp / max(1, sum(expected))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"refusal_precision": precision, "refusal_recall": recall, "refusal_f1": f1}


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0}
    p50, p95 = np.percentile(values, [50, 95])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2)}


def auroc(truth: np.ndarray, score: np.ndarray) -> float:
    """Chance that a random positive scores above a random negative (ties count half): Mann-Whitney U."""
    positives, negatives = score[truth], score[~truth]
    if not len(positives) or not len(negatives):
        return float("nan")
    greater = (positives[:, None] > negatives[None, :]).sum() + 0.5 * (positives[:, None] == negatives[None, :]).sum()
    return float(greater / (len(positives) * len(negatives)))


def binary_scores(truth: np.ndarray, flagged: np.ndarray, score: np.ndarray) -> dict[str, float | int]:
    """A detector's answer-level scores, "hallucinated" being the positive class; ``score`` ranks for AUROC."""
    truth, flagged = np.asarray(truth, dtype=bool), np.asarray(flagged, dtype=bool)
    tp, fp = int((truth & flagged).sum()), int((~truth & flagged).sum())
    fn, tn = int((truth & ~flagged).sum()), int((~truth & ~flagged).sum())
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    false_alarm = fp / max(1, fp + tn)
    return {
        "answers": int(len(truth)), "hallucinated": int(truth.sum()),
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "balanced_accuracy": (recall + 1 - false_alarm) / 2, "false_alarm_rate": false_alarm,
        "auroc": auroc(truth, np.asarray(score, dtype=float)),
    }
