"""Saved conversations in the SQLite file that also holds feedback, so a refresh or a shared link finds them.

A conversation is read by its id alone, so ids are 128-bit random tokens and nothing lists conversations
without a key: the owner's page carries a second random token (the owner key) that may add turns and lists
that owner's recent conversations; a shared link carries only the id and opens read-only.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Answer

SCHEMA = """
create table if not exists conversations (
    id text primary key,
    owner text not null,
    created_at text not null,
    updated_at text not null,
    title text not null default ''
);
create index if not exists conversations_owner on conversations (owner, updated_at);
create table if not exists turns (
    conversation_id text not null references conversations (id),
    n integer not null,
    answer text not null,
    primary key (conversation_id, n)
);
"""
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")
TITLE_CHARS = 80


def new_token() -> str:
    """128 random bits, URL-safe: unguessable, so knowing an id is the permission to read."""
    return secrets.token_urlsafe(16)


def is_token(value: str | None) -> bool:
    return bool(value) and TOKEN.fullmatch(value) is not None


@dataclass
class SavedConversation:
    id: str
    owner: str
    title: str
    updated_at: str
    history: list[Answer] = field(default_factory=list)


def connect(path: Path) -> sqlite3.Connection:
    """The app's SQLite file, created with its parent folder; WAL so readers never block the writer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("pragma journal_mode=wal")
    return conn


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(path) as conn:
            conn.executescript(SCHEMA)

    def create(self, owner: str) -> str:
        if not is_token(owner):
            raise ValueError("an owner key is a random token (see new_token)")
        conversation_id, now = new_token(), datetime.now(UTC).isoformat()
        with connect(self.path) as conn:
            conn.execute("insert into conversations (id, owner, created_at, updated_at) values (?, ?, ?, ?)",
                         (conversation_id, owner, now, now))
        return conversation_id

    def append(self, conversation_id: str, owner: str, answer: Answer) -> int:
        """Adds a turn; only the owner key that created the conversation may. Returns the turn's number."""
        with connect(self.path) as conn:
            row = conn.execute("select owner, title from conversations where id = ?", (conversation_id,)).fetchone()
            if row is None or not secrets.compare_digest(row[0], owner):
                raise PermissionError("only the owner of a conversation can add to it")
            n = conn.execute("select count(*) from turns where conversation_id = ?", (conversation_id,)).fetchone()[0]
            conn.execute("insert into turns (conversation_id, n, answer) values (?, ?, ?)",
                         (conversation_id, n, answer.model_dump_json()))
            title = row[1] or " ".join(answer.question.split())[:TITLE_CHARS]
            conn.execute("update conversations set updated_at = ?, title = ? where id = ?",
                         (datetime.now(UTC).isoformat(), title, conversation_id))
        return n

    def load(self, conversation_id: str) -> SavedConversation | None:
        if not is_token(conversation_id):
            return None
        with connect(self.path) as conn:
            row = conn.execute("select id, owner, title, updated_at from conversations where id = ?",
                               (conversation_id,)).fetchone()
            if row is None:
                return None
            turns = conn.execute("select answer from turns where conversation_id = ? order by n",
                                 (conversation_id,)).fetchall()
        return SavedConversation(*row, history=[Answer.model_validate_json(t[0]) for t in turns])

    def recent(self, owner: str, limit: int = 10) -> list[SavedConversation]:
        """The owner's latest conversations that have at least one turn, newest first (turns not loaded)."""
        if not is_token(owner):
            return []
        with connect(self.path) as conn:
            rows = conn.execute(
                "select id, owner, title, updated_at from conversations where owner = ? and title != '' "
                "order by updated_at desc limit ?", (owner, limit)).fetchall()
        return [SavedConversation(*row) for row in rows]
