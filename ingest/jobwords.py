"""The words that end a job title ("engineer", "analyst", ...), read from the same vocabulary file the bot uses,
so that "one place for each rule" holds: ingest needs them to tell a role heading from a field heading."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ingest.settings import IngestSettings


@lru_cache
def job_words(path: Path | None = None) -> frozenset[str]:
    """Lower-case job words; an unreadable file means none (structure then falls back to shape alone)."""
    try:
        data = tomllib.loads((path or IngestSettings.model_fields["vocabulary"].default).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    return frozenset(w.lower() for table in ("role_suffixes", "role_nouns") for w in data.get(table, {}).get("words", []))


def names_a_job(heading: str, words: frozenset[str]) -> bool:
    """ "Frontend engineer", "Game Developers": the heading's last word is a job word."""
    last = heading.strip().rstrip(")").split()[-1:] if heading.strip() else []
    return bool(last) and last[0].lower().strip("().,:") in words
