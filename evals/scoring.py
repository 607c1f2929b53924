"""Score answers against the golden set: the same scale for careerchat, another bot or a corrupted copy.

An answer is the ``chat --json`` object of a case's last turn; optionally ``retrieved`` (passage texts in
rank order) for retrieval metrics, which otherwise fall back to the cited passages in citation order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.catalog import RoleCatalog
from bot.citations import markers_match
from evals.attribution import attribution_pairs
from evals.claims import extract
from evals.golden import GoldenCase, evidence_text
from evals.judge import Judge, JudgeError
from evals.metrics import context_precision, key_point_found, percentiles, refusal_scores, retrieval_scores
from evals.records import CaseRecord, CitedPassage, ClaimScore, Metrics, ScoredAnswer

MIN_KEY_POINTS = 0.5
"""A single case fails below this; the thresholds file gates the aggregate. One unsupported claim fails a case."""


@dataclass
class CaseScore:
    id: str
    tags: list[str]
    expect: str
    question: str
    answer: ScoredAnswer
    refused: bool
    evidence_found: list[bool]
    key_points_found: list[bool]
    claims: list[ClaimScore]
    evidence: list[str]
    ranking: list[str]
    latency_ms: float
    attribution: list[tuple[str, int, bool]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def retrieved_relevant(self) -> list[bool]:
        return [any(e in text for e in self.evidence) for text in self.ranking]

    def record(self, split: str) -> CaseRecord:
        return CaseRecord(
            id=self.id, split=split, question=self.question, tags=self.tags, expect=self.expect, passed=self.passed,
            reasons=self.reasons, evidence_found=self.evidence_found, key_points_found=self.key_points_found,
            claims=self.claims, latency_ms=self.latency_ms, answer=self.answer, attribution=self.attribution)


def cited_passages(cited: dict[int, CitedPassage]) -> list[str]:
    """Citation texts (with their section path) by 1-based position, so that [n] names the n-th."""
    return [evidence_text(cited[n].section, cited[n].text) if n in cited else ""
            for n in range(1, max(cited, default=0) + 1)]


def judge_claims(judges: list[Judge], text: str, cited: dict[int, CitedPassage]) -> list[ClaimScore]:
    claims = extract(text)
    passages = cited_passages(cited)
    verdicts = judges[0].judge_claims(claims, passages)
    second: list[bool | None] = [None] * len(claims)
    note = ""
    if len(judges) > 1 and claims:
        try:
            second = [v.supported for v in judges[1].judge_claims(claims, passages)]
        except JudgeError as exc:
            note = f"second opinion unavailable ({exc})"
    return [ClaimScore(c.text, list(c.markers), list(v.supported_by), v.supported, v.score,
                       "; ".join(r for r in (v.reason, note) if r), v.passage, s)
            for c, v, s in zip(claims, verdicts, second, strict=True)]


def score_case(case: GoldenCase, answer: ScoredAnswer, judges: list[Judge], retrieved: list[str] | None,
               latency_ms: float, catalog: RoleCatalog) -> CaseScore:
    refused = answer.refused
    cited = {c.n: c for c in answer.citations}
    cited_text = "\n".join(evidence_text(c.section, c.text) for c in cited.values())
    text = answer.answer
    scored = [] if refused else judge_claims(judges, text, cited)
    ranking = retrieved if retrieved is not None else [evidence_text(cited[n].section, cited[n].text)
                                                       for n in sorted(cited)]
    result = CaseScore(
        id=case.id, tags=case.tags, expect=case.expect, question=case.turns[-1], answer=answer, refused=refused,
        evidence_found=[e in cited_text for e in case.evidence],
        key_points_found=[not refused and key_point_found(k, text) for k in case.key_points],
        claims=scored,
        evidence=case.evidence,
        ranking=ranking,
        latency_ms=latency_ms,
        attribution=[] if refused else attribution_pairs(text, cited, catalog),
    )
    if refused != (case.expect == "refuse"):
        result.reasons.append("refused an answerable question" if refused else "answered instead of refusing")
    if not refused:
        if not markers_match(text, set(cited)):
            result.reasons.append(f"[n] markers do not match the citations {sorted(cited)}")
        wrong = [f"'{label}' cites [{n}] ({cited[n].role or cited[n].section})"
                 for label, n, ok in result.attribution if not ok]
        if wrong:
            result.reasons.append("role attribution: " + "; ".join(wrong)[:300])
        result.reasons += [f"unsupported claim: '{c.sentence}' ({c.reason}; closest passage sentence: '{c.passage}')"
                           for c in scored if not c.entailed]
    if case.expect == "answer" and not refused:
        missing = [e for e, ok in zip(case.evidence, result.evidence_found, strict=True) if not ok]
        if missing:
            result.reasons.append(f"evidence not cited: {missing}")
        if case.key_points and sum(result.key_points_found) / len(case.key_points) < MIN_KEY_POINTS:
            result.reasons.append("key points missing: " + ", ".join(
                k for k, ok in zip(case.key_points, result.key_points_found, strict=True) if not ok))
    return result


def summarize(results: list[CaseScore], k: int) -> Metrics:
    answerable = [r for r in results if r.expect == "answer"]
    answered = [r for r in answerable if not r.refused]
    all_claims = [c for r in results for c in r.claims]
    pairs = [(c, n) for c in all_claims for n in c.markers]
    key_points = [ok for r in answerable for ok in r.key_points_found]
    second = [c for c in all_claims if c.second_opinion is not None]
    summary = {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": sum(r.passed for r in results) / max(1, len(results)),
        "evidence_hit_rate": sum(all(r.evidence_found) for r in answered) / max(1, len(answerable)),
        **retrieval_scores({r.id: r.ranking[:k] for r in answerable}, {r.id: r.evidence for r in answerable}, k),
        "context_precision": sum(context_precision(r.retrieved_relevant[:k]) for r in answerable) / max(1, len(answerable)),
        "faithfulness": sum(c.entailed for c in all_claims) / max(1, len(all_claims)),
        "citation_precision": sum(n in c.supported_by for c, n in pairs) / max(1, len(pairs)),
        "citation_recall": sum(bool(c.supported_by) for c in all_claims) / max(1, len(all_claims)),
        "key_point_recall": sum(key_points) / max(1, len(key_points)),
        "role_attribution": sum(ok for r in results for *_, ok in r.attribution) / max(
            1, sum(len(r.attribution) for r in results)),
        **refusal_scores([r.expect == "refuse" for r in results], [r.refused for r in results]),
        "false_refusals": len(answerable) - len(answered),
        **{f"latency_{name}_ms": value for name, value in percentiles([r.latency_ms for r in results]).items()},
        "claims": len(all_claims),
    }
    if second:
        summary["llm_faithfulness"] = sum(bool(c.second_opinion) for c in second) / len(second)
        summary["judge_agreement"] = sum(c.second_opinion == c.entailed for c in second) / len(second)
    return summary


def pass_rate_by_tag(results: list[CaseScore]) -> dict[str, float]:
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for tag in r.tags:
            by_tag[tag].append(r.passed)
    return {tag: sum(v) / len(v) for tag, v in sorted(by_tag.items())}
