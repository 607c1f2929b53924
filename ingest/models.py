"""Typed records that flow through ingestion."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def embed_header(title: str, section: str) -> str:
    """Context prepended for embedding (and lexical indexing) so a field like "What you do:" knows its role."""
    return f"{title} > {section}" if section else title


@dataclass(frozen=True)
class Section:
    """A leaf of a document's own structure: its body is ``text[start:end]`` of the cleaned document."""

    path: tuple[str, ...]
    start: int
    end: int
    role: str | None = None
    field: str | None = None
    """The repeated label or sub-heading this span sits under ("Day in the life", "Pay"), if any."""


@dataclass
class Document:
    """A cleaned document: ``text`` is what offsets and chunks refer to."""

    source: str
    path: str
    title: str
    text: str
    sections: list[Section]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    source: str
    path: str
    title: str
    section: str
    role: str | None
    start: int
    end: int
    index: int
    text: str
    field: str | None = None

    @property
    def embed_text(self) -> str:
        return f"{embed_header(self.title, self.section)}\n{self.text}"

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def id(self) -> str:
        """Derived from content so that an unchanged passage keeps its id (and its embedding) forever."""
        key = "\x1f".join((self.source, self.section, self.text))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def metadata(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "path": self.path,
            "title": self.title,
            "section": self.section,
            "role": self.role or "",
            "field": self.field or "",
            "start": self.start,
            "end": self.end,
            "chunk_index": self.index,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
