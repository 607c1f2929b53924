"""The golden set: questions, what the answer must rest on, and what it must say.

Evidence is written as verbatim substrings of the cleaned corpus and resolved to chunks at run time, so
re-chunking never invalidates the set; `careerchat eval` refuses to run a set whose evidence is missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

TAGS = ("fact", "comparison", "followup", "false_premise", "out_of_scope", "injection", "cross_cutting", "paraphrase",
        "aspect", "pay", "feedback")


class GoldenCase(BaseModel):
    id: str
    turns: list[str] = Field(min_length=1)
    expect: Literal["answer", "refuse"]
    evidence: list[str] = Field(default_factory=list, description="Verbatim corpus substrings the answer must cite.")
    key_points: list[str] = Field(default_factory=list, description="Facts the answer text must state.")
    tags: list[str] = Field(default_factory=list)
    comment: str = Field("", description="Why the case exists or what to check (a user's feedback comment).")

    @model_validator(mode="after")
    def _answerable_cases_have_evidence(self) -> GoldenCase:
        if self.expect == "answer" and not self.evidence:
            raise ValueError("an answerable case needs at least one evidence substring")
        unknown = set(self.tags) - set(TAGS)
        if unknown:
            raise ValueError(f"unknown tags {sorted(unknown)}; use {', '.join(TAGS)}")
        return self


class GoldenSetError(ValueError):
    """A golden set that cannot be used as it is; the message says which line and why."""


def load_cases(path: Path) -> list[GoldenCase]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldenSetError(f"cannot read golden set {path}: {exc}") from exc
    cases: list[GoldenCase] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            cases.append(GoldenCase.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise GoldenSetError(f"{path}:{number}: not JSON ({exc})") from exc
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}" for e in exc.errors())
            raise GoldenSetError(f"{path}:{number}: {problems}") from exc
    ids = [c.id for c in cases]
    if len(ids) != len(set(ids)):
        raise GoldenSetError(f"{path}: duplicate case ids {sorted({i for i in ids if ids.count(i) > 1})}")
    return cases


def evidence_text(section: str, text: str) -> str:
    """What a reader sees of a passage, its section heading included: evidence may quote either."""
    return f"{section}\n{text}"


def evidence_texts(index) -> dict[str, str]:
    """Chunk id -> its evidence text, for every chunk of a retriever index."""
    return {i: evidence_text(m.get("section", ""), t) for i, t, m in zip(index.ids, index.texts, index.metas, strict=True)}


def resolve_evidence(cases: list[GoldenCase], chunks: dict[str, str]) -> dict[str, list[str]]:
    """Evidence string -> ids of the chunks that contain it; raises when any string matches no chunk."""
    resolved = {e: [cid for cid, text in chunks.items() if e in text] for c in cases for e in c.evidence}
    missing = sorted(e for e, ids in resolved.items() if not ids)
    if missing:
        raise GoldenSetError(f"evidence not found in the store (re-ingest, or fix the golden set): {missing}")
    return resolved
