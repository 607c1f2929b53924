"""Thumbs up/down with a comment, one row per answered turn, in the app's SQLite file (parameterized SQL only).

A row is keyed by its conversation and turn, so a later click or an edited comment updates it instead of
adding a second, contradicting row. Rows written before turns were keyed keep working (their key is empty).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from bot.conversations import connect
from bot.models import Answer, Citation

SCHEMA = """
create table if not exists feedback (
    id integer primary key autoincrement,
    created_at text not null,
    rating integer not null check (rating in (-1, 1)),
    comment text not null default '',
    question text not null,
    answer text not null,
    citations text not null,
    backend text not null
)
"""
ADDED_COLUMNS = {
    "conversation_id": "text",
    "turn": "integer",
    "history": "text not null default '[]'",
    "refused": "integer not null default 0",
    "retrieved": "text not null default '[]'",
    "updated_at": "text",
}


class FeedbackRow(BaseModel):
    """One rated answer as the adviser's review sees it."""

    id: int
    created_at: str
    rating: int
    comment: str
    question: str
    answer: str
    citations: list[Citation]
    backend: str
    conversation_id: str | None = None
    turn: int | None = None
    history: list[str] = Field(default_factory=list, description="The questions asked before this one.")
    refused: bool = False
    retrieved: list[str] = Field(default_factory=list, description="Chunk ids retrieved for the answer.")


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(path) as conn:
            conn.execute(SCHEMA)
            present = {row[1] for row in conn.execute("pragma table_info(feedback)")}
            for name, kind in ADDED_COLUMNS.items():
                if name not in present:
                    conn.execute(f"alter table feedback add column {name} {kind}")
            if "refused" not in present:  # older rows: a refusal is the answer that cites nothing
                conn.execute("update feedback set refused = 1 where citations = '[]'")
            conn.execute("create unique index if not exists feedback_turn on feedback (conversation_id, turn)")

    def record(self, answer: Answer, rating: int, comment: str = "", *, conversation_id: str | None = None,
               turn: int | None = None, history: list[str] | None = None) -> int:
        """Saves a rating and comment; the same conversation turn again updates its row. Returns the row id."""
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (thumbs up) or -1 (thumbs down)")
        now = datetime.now(UTC).isoformat()
        values = {
            "rating": rating, "comment": comment, "question": answer.question, "answer": answer.answer,
            "citations": json.dumps([c.model_dump() for c in answer.citations], ensure_ascii=False),
            "backend": answer.backend, "history": json.dumps(history or [], ensure_ascii=False),
            "refused": int(answer.refused), "retrieved": json.dumps(answer.retrieved), "updated_at": now,
        }
        columns = {"created_at": now, "conversation_id": conversation_id, "turn": turn, **values}
        with connect(self.path) as conn:
            # One statement on the (conversation, turn) index: two clicks at once still leave one row.
            row = conn.execute(
                f"insert into feedback ({', '.join(columns)}) values ({', '.join('?' for _ in columns)}) "
                f"on conflict (conversation_id, turn) do update set {', '.join(f'{k} = excluded.{k}' for k in values)} "
                "returning id", tuple(columns.values())).fetchone()
        return int(row[0])

    def rows(self) -> list[FeedbackRow]:
        with connect(self.path) as conn:
            conn.row_factory = lambda cursor, row: dict(zip([c[0] for c in cursor.description], row, strict=True))
            found = conn.execute("select * from feedback order by id").fetchall()
        return [FeedbackRow.model_validate({
            **row, "citations": json.loads(row["citations"]), "history": json.loads(row["history"] or "[]"),
            "retrieved": json.loads(row["retrieved"] or "[]"), "refused": bool(row["refused"]),
        }) for row in found]

    def of_conversation(self, conversation_id: str) -> dict[int, tuple[int, str]]:
        """Turn -> (rating, comment) already given, so a reopened conversation shows them."""
        with connect(self.path) as conn:
            found = conn.execute("select turn, rating, comment from feedback where conversation_id = ? and turn is not "
                                 "null", (conversation_id,)).fetchall()
        return {turn: (rating, comment) for turn, rating, comment in found}

    def counts(self) -> dict[tuple[str, int], int]:
        """(answer kind, rating) -> rows: how answers and refusals are received."""
        with connect(self.path) as conn:
            found = conn.execute("select refused, rating, count(*) from feedback group by refused, rating").fetchall()
        return {("refusal" if refused else "answer", rating): n for refused, rating, n in found}
