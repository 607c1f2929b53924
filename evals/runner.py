"""Where the answers come from: careerchat itself, or a JSONL file of answers produced elsewhere."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from bot.chat import Conversation, Engine
from evals.golden import GoldenCase, GoldenSetError, evidence_texts
from evals.records import ScoredAnswer


@dataclass
class Produced:
    case: GoldenCase
    answer: ScoredAnswer
    retrieved: list[str] | None
    latency_ms: float


def run_careerchat(engine: Engine, cases: list[GoldenCase], **options) -> Iterator[Produced]:
    """Each case in a fresh conversation; latency is the last turn's wall time."""
    texts = evidence_texts(engine.retriever.index())
    for case in cases:
        conversation = Conversation(engine)
        for turn in case.turns[:-1]:
            conversation.ask(turn, **options)
        started = time.perf_counter()
        answer = conversation.ask(case.turns[-1], **options)
        latency = (time.perf_counter() - started) * 1000
        yield Produced(case, ScoredAnswer.model_validate(answer.public()), [texts.get(i, "") for i in answer.retrieved],
                       round(latency, 2))


def load_answers(path: Path, cases: list[GoldenCase]) -> list[Produced]:
    """One line per case: {"id": ..., plus the `chat --json` object of its last turn}; optional "retrieved"."""
    by_id = {c.id: c for c in cases}
    answers: dict[str, ScoredAnswer] = {}
    retrieved: dict[str, list[str] | None] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldenSetError(f"cannot read answers file {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            case_id, answer = row["id"], ScoredAnswer.model_validate(row)
            ranked = TypeAdapter(list[str] | None).validate_python(row.get("retrieved"))
        except (json.JSONDecodeError, KeyError, TypeError, ValidationError) as exc:
            raise GoldenSetError(f"{path}:{number}: not an answer line ({_first_error(exc)})") from exc
        if case_id not in by_id:
            raise GoldenSetError(f"{path}:{number}: unknown case id {case_id!r}")
        answers[case_id], retrieved[case_id] = answer, ranked
    missing = [c.id for c in cases if c.id not in answers]
    if missing:
        raise GoldenSetError(f"{path}: no answer for {len(missing)} case(s): {', '.join(missing[:10])}")
    return [Produced(c, answers[c.id], retrieved[c.id], answers[c.id].timings.get("total_ms", 0.0)) for c in cases]


def _first_error(exc: Exception) -> str:
    """A validation error's first problem in one line ("citations.0.text: Field required")."""
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        return f"{'.'.join(map(str, error['loc'])) or 'line'}: {error['msg']}"
    return str(exc)
