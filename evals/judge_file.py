"""``careerchat judge FILE.jsonl``: the eval suite's judge for answers from anywhere, one JSON line in, one out.

In: ``{"id", "answer", "passages": [text, ...]}``; markers in the answer name passages by position, and a
claim without a marker is checked against every passage. Out: ``{"id", "faithful", "score", "claims": [...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from evals.judge import AnswerVerdict, Judge, judge_answer


class JudgeRequest(BaseModel):
    id: str
    answer: str
    passages: list[str]


class JudgeFileError(ValueError):
    """A line that is not a judge request; the message names the line."""


def read_requests(path: Path) -> list[JudgeRequest]:
    """Every request of the file, checked before any is judged, so a bad line costs no judging time."""
    requests = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            requests.append(JudgeRequest.model_validate_json(line))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors())
            raise JudgeFileError(f"{path}:{number}: {problems}") from None
    return requests


def verdict_line(request: JudgeRequest, verdict: AnswerVerdict) -> str:
    return json.dumps({
        "id": request.id, "faithful": verdict.faithful, "score": verdict.score,
        "claims": [{"text": c.text, "supported": c.supported, "score": c.score, "reason": c.reason,
                    "passage": c.passage} for c in verdict.claims],
    }, ensure_ascii=False)


def judge_file(judge: Judge, requests: list[JudgeRequest]) -> Iterator[str]:
    for request in requests:
        yield verdict_line(request, judge_answer(judge, request.answer, request.passages))
