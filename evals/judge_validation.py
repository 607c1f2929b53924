"""A regression check of the faithfulness judge on 66 labelled (claim, passage, supported?) pairs of this corpus.

Half the pairs are hallucinations made here by perturbing true claims (swapped roles, negation, invented
numbers or certifications, a passage from the wrong document). Made by the project, they are no evidence that
the judge works on real answers (that is ``evals/external``); they catch a change that breaks it on this
corpus. Its limits are the [judge.*] tables of ``evals/thresholds.toml``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from evals.claims import Claim
from evals.golden import GoldenSetError, evidence_text
from evals.judge import Judge
from evals.records import JudgeMistake, JudgeReport

JUDGE_SET = Path(__file__).with_name("judge_set.jsonl")


class JudgePair(BaseModel):
    """A labelled claim, the evidence that locates its passage, and that passage (text and section)."""

    claim: str
    supported: bool
    kind: str
    evidence: str
    passage: str = ""
    section: str = ""


def load_pairs(chunks: list[tuple[str, str]], path: Path = JUDGE_SET) -> list[JudgePair]:
    """Judge-set rows with their passage: the first chunk (text, section) containing the row's evidence."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        pair = JudgePair.model_validate_json(line)
        found = next(((text, section) for text, section in chunks if pair.evidence in text), None)
        if found is None:
            raise GoldenSetError(f"judge-set evidence not found in the store: {pair.evidence!r}")
        pairs.append(pair.model_copy(update={"passage": found[0], "section": found[1]}))
    return pairs


def validate(judge: Judge, pairs: list[JudgePair]) -> JudgeReport:
    verdicts = [judge.judge_claims([Claim(p.claim, (1,), p.claim)], [evidence_text(p.section, p.passage)])[0]
                for p in pairs]
    perturbed = [(p, v) for p, v in zip(pairs, verdicts, strict=True) if not p.supported]
    supported = [(p, v) for p, v in zip(pairs, verdicts, strict=True) if p.supported]
    kinds: dict[str, list[bool]] = defaultdict(list)
    for p, v in zip(pairs, verdicts, strict=True):
        kinds[p.kind].append(v.supported == p.supported)
    return JudgeReport(
        judge=judge.name,
        pairs=len(pairs),
        accuracy=sum(v.supported == p.supported for p, v in zip(pairs, verdicts, strict=True)) / len(pairs),
        catch_rate=sum(not v.supported for _, v in perturbed) / max(1, len(perturbed)),
        false_alarm_rate=sum(not v.supported for _, v in supported) / max(1, len(supported)),
        by_kind={k: sum(ok) / len(ok) for k, ok in sorted(kinds.items())},
        mistakes=[JudgeMistake(claim=p.claim, kind=p.kind, expected=p.supported, score=v.score, reason=v.reason)
                  for p, v in zip(pairs, verdicts, strict=True) if v.supported != p.supported],
    )
