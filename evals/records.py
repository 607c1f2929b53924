"""Typed records the eval modules hand each other, and the shape of eval.json.

An answer file line, careerchat's own answer, a scored case and the whole report are validated models, so a
malformed answers file fails with the line and field at fault, and eval.json keeps one documented shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

Metrics = dict[str, float | int]
"""One summary: metric name -> value (counts stay integers)."""


@dataclass
class ClaimScore:
    sentence: str
    markers: list[int]
    supported_by: list[int]
    entailed: bool
    score: float = 1.0
    reason: str = ""
    passage: str = ""
    """The passage sentence closest to the claim."""
    second_opinion: bool | None = None


class CitedPassage(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int
    text: str
    section: str = ""
    role: str = ""
    title: str = ""
    source: str = ""


class ScoredAnswer(BaseModel):
    """An answer as the eval reads it: careerchat's ``chat --json`` object, or one line of another system's file."""

    model_config = ConfigDict(extra="allow")

    answer: str
    refused: bool = False
    citations: list[CitedPassage] = Field(default_factory=list)
    backend: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)


class CaseRecord(BaseModel):
    """One scored golden case as eval.json, eval.md, the junit file and the app's eval page show it."""

    id: str
    split: str
    question: str
    tags: list[str]
    expect: str
    passed: bool
    reasons: list[str]
    evidence_found: list[bool]
    key_points_found: list[bool]
    claims: list[ClaimScore]
    latency_ms: float
    answer: ScoredAnswer
    attribution: list[tuple[str, int, bool]]


class Delta(BaseModel):
    baseline: float
    current: float
    delta: float


class BaselineComparison(BaseModel):
    deltas: dict[str, Delta]
    newly_failing: list[str]
    newly_passing: list[str]


class JudgeMistake(BaseModel):
    claim: str
    kind: str
    expected: bool
    score: float
    reason: str


class JudgeReport(BaseModel):
    """The judge on the project's own labelled pairs: a regression check ([judge.*] in thresholds.toml)."""

    judge: str
    pairs: int
    accuracy: float
    catch_rate: float
    false_alarm_rate: float
    by_kind: dict[str, float]
    mistakes: list[JudgeMistake]


class EvalReport(BaseModel):
    model_config = ConfigDict(extra="ignore")

    system: str
    k: int
    summary: Metrics
    summary_by_split: dict[str, Metrics] = Field(default_factory=dict)
    faithfulness_backends: list[str] = Field(default_factory=list)
    faithfulness_note: str = ""
    by_tag: dict[str, float] = Field(default_factory=dict)
    judge: JudgeReport | None = None
    thresholds: dict[str, dict[str, dict[str, float]]] = Field(default_factory=dict)
    breaches: list[str] = Field(default_factory=list)
    open_targets: list[str] = Field(default_factory=list)
    open_targets_met: list[str] = Field(default_factory=list)
    cases: list[CaseRecord]
    baseline: BaselineComparison | None = None
