"""Thumbs up/down with an optional comment, kept in a local SQLite file (parameterized SQL only)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Answer

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


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record(self, answer: Answer, rating: int, comment: str = "") -> int:
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (thumbs up) or -1 (thumbs down)")
        citations = json.dumps([c.model_dump() for c in answer.citations], ensure_ascii=False)
        with self._connect() as conn:
            cursor = conn.execute(
                "insert into feedback (created_at, rating, comment, question, answer, citations, backend) "
                "values (?, ?, ?, ?, ?, ?, ?)",
                (datetime.now(UTC).isoformat(), rating, comment, answer.question, answer.answer, citations,
                 answer.backend),
            )
            return int(cursor.lastrowid)

    def rows(self) -> list[dict]:
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute("select * from feedback order by id")]
