"""Rated answers from the app turned into golden cases an adviser reviews, then runs with `eval --golden`.

What a rating implies: thumbs up keeps what the bot did (answer or refuse); thumbs down on a refusal asks for an
answer; thumbs down on an answer keeps "answer" with its cited sentences as evidence candidates, and the comment
says what was wrong. Evidence is always verbatim corpus text, so the case file validates as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from bot.feedback import FeedbackRow
from bot.text import sentences
from evals.golden import GoldenCase

EVIDENCE_CHARS = 120
CANDIDATES = 3


def _clip(text: str) -> str:
    """A leading piece of a sentence, cut at a word: short evidence survives small edits of the guide."""
    text = text.strip()
    if len(text) <= EVIDENCE_CHARS:
        return text
    return text[:EVIDENCE_CHARS].rsplit(" ", 1)[0]


def _first_sentence(text: str) -> str:
    spans = sentences(text)
    return _clip(text[spans[0][0]:spans[0][1]]) if spans else _clip(text)


def _evidence(row: FeedbackRow, text_of: Callable[[str], str | None]) -> tuple[list[str], str]:
    """Evidence candidates and where they came from."""
    cited = [_clip(c.text[s:e]) for c in row.citations for s, e in c.support[:1]]
    cited += [_first_sentence(c.text) for c in row.citations if not c.support]
    if cited:
        return list(dict.fromkeys(e for e in cited if e)), "the sentences the answer cited"
    retrieved = [t for t in (text_of(i) for i in row.retrieved[:CANDIDATES]) if t]
    return list(dict.fromkeys(_first_sentence(t) for t in retrieved)), "passages retrieved but not cited"


def case_from_feedback(row: FeedbackRow, text_of: Callable[[str], str | None]) -> GoldenCase | None:
    """The case a rated answer implies, or None when it cannot be one (an answer with no evidence in the store)."""
    expect = "refuse" if row.refused and row.rating > 0 else "answer"
    evidence, origin = _evidence(row, text_of) if expect == "answer" else ([], "")
    if expect == "answer" and not evidence:
        return None
    verdict = "thumbs up" if row.rating > 0 else "thumbs down"
    was = "refused" if row.refused else "answered"
    note = f"{verdict} on a turn careerchat {was}" + (f"; evidence candidates: {origin}" if origin else "")
    key = f"{row.conversation_id or row.id}:{row.turn if row.turn is not None else ''}:{row.question}"
    return GoldenCase(
        id=f"feedback-{hashlib.sha256(key.encode()).hexdigest()[:10]}",
        turns=[*row.history, row.question], expect=expect, evidence=evidence,
        tags=["feedback", *(["followup"] if row.history else [])],
        comment=f"{note}. {row.comment.strip()}".strip() if row.comment.strip() else note + ".",
    )


def cases_from_feedback(rows: list[FeedbackRow], text_of: Callable[[str], str | None]) -> tuple[list[GoldenCase], int]:
    """Cases for every usable row (newest rating of a turn wins) and how many rows could not become one."""
    cases, skipped = {}, 0
    for row in rows:
        case = case_from_feedback(row, text_of)
        if case is None:
            skipped += 1
        else:
            cases[case.id] = case
    return list(cases.values()), skipped
