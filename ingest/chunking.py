"""Pack each section's sentences into passages that fit the embedder whole.

A chunk never spans two sections, never exceeds the model's window (header included), and repeats the
previous chunk's last sentence(s) as overlap when they are short enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.models import Chunk, Document, Section, embed_header

# A sentence ends at . ! ? (optionally closed by a quote or bracket) before whitespace and a word that does not
# go on in lower case (a quoted question "...longer?" and then ... is one sentence), or at a line end. Dots
# leading to a figure ("Educational services ........ 9%") are a table row's leader, not its end.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\.\.)[\"')\]”’]*\s+(?![a-z])|(?<=\.\.)[\"')\]”’]*\s+(?![a-z\d$€£])|\n+")
_WORD = re.compile(r"\S+")
_CLOSERS = "\"')]”’"


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        closed = match.start() + len(match[0]) - len(match[0].lstrip(_CLOSERS))  # its closing quote stays on it
        if text[pos:closed].strip():
            spans.append((pos, closed))
        pos = match.end()
    if text[pos:end].strip():
        spans.append((pos, end))
    return [_strip_span(text, s, e) for s, e in spans]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int, budget: int, count: Callable[[str], int]) -> list[tuple[int, int]]:
    """A sentence longer than the window is cut at word boundaries into pieces that fit."""
    pieces: list[tuple[int, int]] = []
    piece_start = None
    last_end = start
    for word in _WORD.finditer(text, start, end):
        if piece_start is None:
            piece_start = word.start()
        elif count(text[piece_start : word.end()]) > budget:
            pieces.append((piece_start, last_end))
            piece_start = word.start()
        last_end = word.end()
    if piece_start is not None:
        pieces.append((piece_start, last_end))
    return pieces


class Chunker:
    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, overlap_tokens: int = 40) -> None:
        self.count = count_tokens
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    def budget(self, header: str) -> int:
        """Tokens left for the passage once [CLS], [SEP] and the header line are paid for."""
        return self.max_tokens - 2 - self.count(header + "\n")

    def chunk_section(self, doc: Document, section: Section) -> list[tuple[int, int]]:
        budget = self.budget(embed_header(doc.title, " > ".join(section.path)))
        units: list[tuple[int, int]] = []
        for s, e in sentence_spans(doc.text, section.start, section.end):
            fits = self.count(doc.text[s:e]) <= budget
            units.extend([(s, e)] if fits else _split_long(doc.text, s, e, budget, self.count))

        spans: list[tuple[int, int]] = []
        current: list[tuple[int, int]] = []
        for unit in units:
            if current and self.count(doc.text[current[0][0] : unit[1]]) > budget:
                spans.append((current[0][0], current[-1][1]))
                current = self._overlap(doc.text, current, unit, budget)
            current.append(unit)
        if current:
            spans.append((current[0][0], current[-1][1]))
        return spans

    def _overlap(
        self, text: str, previous: list[tuple[int, int]], nxt: tuple[int, int], budget: int
    ) -> list[tuple[int, int]]:
        kept: list[tuple[int, int]] = []
        for unit in reversed(previous[1:]):
            candidate = [unit, *kept]
            if self.count(text[candidate[0][0] : candidate[-1][1]]) > self.overlap_tokens:
                break
            if self.count(text[candidate[0][0] : nxt[1]]) > budget:
                break
            kept = candidate
        return kept

    def chunk(self, doc: Document) -> list[Chunk]:
        chunks: list[Chunk] = []
        for section in doc.sections:
            name = " > ".join(section.path)
            for start, end in self.chunk_section(doc, section):
                chunks.append(
                    Chunk(doc.source, doc.path, doc.title, name, section.role, start, end, len(chunks),
                          doc.text[start:end], section.field)
                )
        return chunks
