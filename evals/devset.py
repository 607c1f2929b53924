"""Run a question set through careerchat and check evidence, markers and refusals.

Used by the tests (the dev set is a regression gate) and to calibrate the refusal policy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.chat import Conversation, Engine
from bot.models import Answer

DEV_SET = Path(__file__).with_name("dev_set.jsonl")


@dataclass
class CaseResult:
    id: str
    expect: str
    answer: Answer
    evidence_found: list[bool]
    markers_valid: bool

    @property
    def refusal_correct(self) -> bool:
        return self.answer.refused == (self.expect == "refuse")

    @property
    def passed(self) -> bool:
        return self.refusal_correct and self.markers_valid and all(self.evidence_found)


def load_cases(path: Path = DEV_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def markers_valid(answer: Answer) -> bool:
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    return used == {c.n for c in answer.citations}


def run_case(engine: Engine, case: dict, **options) -> CaseResult:
    conversation = Conversation(engine)
    answer = None
    for turn in case["turns"]:
        answer = conversation.ask(turn, **options)
    assert answer is not None
    cited = "\n".join(c.text for c in answer.citations)
    return CaseResult(
        id=case["id"],
        expect=case["expect"],
        answer=answer,
        evidence_found=[evidence in cited for evidence in case.get("evidence", [])],
        markers_valid=markers_valid(answer),
    )


def summarize(results: list[CaseResult]) -> dict[str, float]:
    answerable = [r for r in results if r.expect == "answer"]
    refused = [r for r in results if r.answer.refused]
    should_refuse = [r for r in results if r.expect == "refuse"]
    true_refusals = [r for r in refused if r.expect == "refuse"]
    return {
        "cases": len(results),
        "evidence_hit_rate": sum(all(r.evidence_found) for r in answerable) / max(1, len(answerable)),
        "markers_valid_rate": sum(r.markers_valid for r in results) / max(1, len(results)),
        "refusal_precision": len(true_refusals) / max(1, len(refused)),
        "refusal_recall": len(true_refusals) / max(1, len(should_refuse)),
        "false_refusals": len([r for r in answerable if r.answer.refused]),
    }
