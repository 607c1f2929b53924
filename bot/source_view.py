"""A cited passage where it stands in its guide: the whole top-level section (or document) rebuilt from the
store's chunks, with the cited chunk and its supporting sentences located in it.

Chunks are exact slices of the cleaned document (``start``/``end``), so overlapping chunks of one section
merge back into its text; headings between sections are shown from the section paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.models import Citation

if TYPE_CHECKING:  # the store module loads chromadb: the app's first paint should not wait for it
    from ingest.store import ChunkStore, StoredChunk


@dataclass
class Block:
    """One section's text; ``cited`` and ``support`` are character spans of ``text``."""

    section: str
    text: str
    cited: tuple[int, int] | None = None
    support: list[tuple[int, int]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return self.section.split(" > ")[-1] if self.section else ""


@dataclass
class SourceView:
    title: str
    breadcrumbs: list[str]
    blocks: list[Block]

    @property
    def found(self) -> bool:
        """False when the cited chunk is no longer in the store (the guide changed since the answer)."""
        return any(b.cited for b in self.blocks)


def _top(section: str) -> str:
    return section.split(" > ")[0]


def _merge(chunks: list[StoredChunk], citation: Citation) -> Block:
    """One section's chunks (in reading order) joined at their document offsets, overlaps counted once."""
    text, end, block = "", None, Block(section=chunks[0].metadata.get("section", ""), text="")
    for chunk in chunks:
        start = int(chunk.metadata.get("start", 0))
        if end is None or start >= end:
            offset = len(text) + (1 if text else 0)
            text += (" " if text else "") + chunk.text
        else:  # an overlap: the chunk repeats the previous one's last sentences
            offset = len(text) - (end - start)
            text += chunk.text[end - start:]
        end = max(end or 0, start + len(chunk.text))
        if chunk.id == citation.id:
            block.cited = (offset, offset + len(chunk.text))
            block.support = [(offset + s, offset + e) for s, e in citation.support]
    block.text = text
    return block


def source_view(store: ChunkStore, citation: Citation, whole_document: bool = False) -> SourceView:
    """The section (or, asked for, the whole guide) that ``citation`` came from."""
    chunks = store.chunks_of(citation.source)
    cited = next((c for c in chunks if c.id == citation.id), None)
    section = cited.metadata.get("section", "") if cited else citation.section
    first = cited or (chunks[0] if chunks else None)
    title = first.metadata.get("title", "") if first else ""
    shown = chunks if whole_document else [c for c in chunks if _top(c.metadata.get("section", "")) == _top(section)]
    blocks: list[Block] = []
    run: list[StoredChunk] = []
    for chunk in shown:
        if run and chunk.metadata.get("section", "") != run[-1].metadata.get("section", ""):
            blocks.append(_merge(run, citation))
            run = []
        run.append(chunk)
    if run:
        blocks.append(_merge(run, citation))
    crumbs = [title or citation.source, *[part for part in section.split(" > ") if part]]
    return SourceView(title=title, breadcrumbs=crumbs, blocks=blocks)
