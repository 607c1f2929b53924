"""Public, human-annotated hallucination data: the judge is trained on its calibration split and measured on its
held-out split (see SOURCES.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DATA = Path(__file__).with_name("data")
Split = Literal["calibration", "heldout"]


@dataclass(frozen=True)
class LabelledAnswer:
    """One model answer, the passages it was grounded on, and what human annotators found in it."""

    id: str
    dataset: str
    task: str
    question: str | None
    answer: str
    passages: list[str]
    hallucinated: bool
    spans: list[str]


def load(split: Split, data: Path = DATA) -> list[LabelledAnswer]:
    """Every answer of one split, over all sources."""
    rows = []
    for path in sorted(data.glob(f"*-{split}.jsonl")):
        rows += [LabelledAnswer(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows
