"""A regression check of the faithfulness judge on 66 labelled (claim, passage, supported?) pairs of this corpus.

Half the pairs are hallucinations made here by perturbing true claims (swapped roles, negation, invented
numbers or certifications, a passage from the wrong document). Made by the project, they are no evidence that
the judge works on real answers (that is ``evals/external``); they catch a change that breaks it on this
corpus. It passes when it catches at least 90% of them with at most 10% false alarms.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from evals.claims import Claim
from evals.golden import GoldenSetError, evidence_text
from evals.judge import Judge

JUDGE_SET = Path(__file__).with_name("judge_set.jsonl")
MIN_CATCH, MAX_FALSE_ALARM = 0.90, 0.10


@dataclass
class JudgeReport:
    judge: str
    pairs: int
    accuracy: float
    catch_rate: float
    false_alarm_rate: float
    by_kind: dict[str, float]
    mistakes: list[dict]

    @property
    def passed(self) -> bool:
        return self.catch_rate >= MIN_CATCH and self.false_alarm_rate <= MAX_FALSE_ALARM

    def to_dict(self) -> dict:
        return asdict(self) | {"passed": self.passed}


def load_pairs(chunks: list[tuple[str, str]], path: Path = JUDGE_SET) -> list[dict]:
    """Judge-set rows with their passage: the first chunk (text, section) containing the row's evidence."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        found = next(((text, section) for text, section in chunks if row["evidence"] in text), None)
        if found is None:
            raise GoldenSetError(f"judge-set evidence not found in the store: {row['evidence']!r}")
        pairs.append(row | {"passage": found[0], "section": found[1]})
    return pairs


def validate(judge: Judge, pairs: list[dict]) -> JudgeReport:
    verdicts = [judge.judge_claims([Claim(p["claim"], (1,), p["claim"])], [evidence_text(p["section"], p["passage"])])[0]
                for p in pairs]
    perturbed = [(p, v) for p, v in zip(pairs, verdicts, strict=True) if not p["supported"]]
    supported = [(p, v) for p, v in zip(pairs, verdicts, strict=True) if p["supported"]]
    kinds: dict[str, list[bool]] = defaultdict(list)
    for p, v in zip(pairs, verdicts, strict=True):
        kinds[p["kind"]].append(v.supported == p["supported"])
    return JudgeReport(
        judge=judge.name,
        pairs=len(pairs),
        accuracy=sum(v.supported == p["supported"] for p, v in zip(pairs, verdicts, strict=True)) / len(pairs),
        catch_rate=sum(not v.supported for _, v in perturbed) / max(1, len(perturbed)),
        false_alarm_rate=sum(not v.supported for _, v in supported) / max(1, len(supported)),
        by_kind={k: sum(ok) / len(ok) for k, ok in sorted(kinds.items())},
        mistakes=[{"claim": p["claim"], "kind": p["kind"], "expected": p["supported"], "score": v.score,
                   "reason": v.reason} for p, v in zip(pairs, verdicts, strict=True) if v.supported != p["supported"]],
    )
