"""A PDF's text as Markdown: headings from the fonts a word processor gives them, paragraphs re-flowed.

A PDF stores positioned lines, not structure, so a guide exported from a word processor loses its headings
and breaks every sentence where a line wraps. Here a short line set larger than the body text, or wholly bold
or in capitals, becomes a heading (larger sizes rank higher); a gap wider than the body's line spacing, or a
line that stops well short of the right margin before a capital, ends a paragraph or list item; a line
repeated at the top or bottom of most pages (a running header, "Page 3 of 9") is dropped; a table becomes a
Markdown pipe table (``ingest/pdf_tables.py``). Roles and fields
then come from the same Markdown rules as every other guide's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from ingest.pdf_tables import Band, continued, find_tables, join_wrapped
from ingest.tables import term_line

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[•◦▪▫‣∙·●○■□–*-]|\d{1,2}[.)])\s")
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”')]$")
_HEADING_SCALE = 1.15
"""How much larger than the body text a line must be to be a heading: above rounding, below any heading style."""
_SHORT_HEADING_WORDS = 12
_TERM_WORDS = 6
_FULL_LINE = 0.8
"""A wrapped line reaches at least this share of the text width (the next word did not fit); a shorter one
ended on purpose."""


@dataclass(frozen=True)
class PdfLine:
    """One printed line: its text, font size and weight, the white space above it on its page, where it ends."""

    text: str
    size: float
    bold: bool
    gap: float | None
    page: int
    left: float
    right: float
    marked: bool = False
    """Drawn bullet: a small filled shape just left of the line (browsers and word processors draw list discs)."""
    table: bool = False
    """The line is a whole table, its text a Markdown pipe table (``ingest/pdf_tables.py``)."""


def page_lines(page, number: int) -> list[PdfLine]:
    """The page's lines in reading order (a ``pdfplumber`` page); a table is one line holding all of it."""
    bands = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if chars and line["text"].strip():
            bands.append((line, Band(chars, line["top"], line["bottom"], round(median(c["size"] for c in chars), 1))))
    tables = {t.first: t for t in find_tables([b for _, b in bands], [e["top"] for e in page.horizontal_edges])}
    shapes = [s for s in page.curves + page.rects if s.get("fill")]
    lines: list[PdfLine] = []
    previous_bottom: float | None = None
    skip_to = 0
    for i, (line, band) in enumerate(bands):
        if i < skip_to:
            continue
        gap = None if previous_bottom is None else band.top - previous_bottom
        if i in tables:
            rows = [b for _, b in bands[i:tables[i].last + 1]]
            chars = [c for b in rows for c in b.chars]
            lines.append(PdfLine(tables[i].markdown, band.size, False, gap, number, min(c["x0"] for c in chars),
                                 max(c["x1"] for c in chars), table=True))
            previous_bottom, skip_to = max(b.bottom for b in rows), tables[i].last + 1
            continue
        size = band.size
        bold = sum(bool(_BOLD.search(c.get("fontname", ""))) for c in band.chars) == len(band.chars)
        marked = any(s["x1"] - s["x0"] <= 0.6 * size and s["bottom"] - s["top"] <= 0.6 * size
                     and line["x0"] - 3 * size <= s["x0"] and s["x1"] <= line["x0"]
                     and line["top"] <= (s["top"] + s["bottom"]) / 2 <= line["bottom"] for s in shapes)
        lines.append(PdfLine(line["text"].strip(), size, bold, gap, number, line["x0"], line["x1"], marked))
        previous_bottom = band.bottom
    return lines


def _running_lines(pages: list[list[PdfLine]]) -> set[str]:
    """Header and footer text (digits ignored): a short line found first or last on most pages, and on two at
    least (a browser prints "1/2" and the date on both pages of a two-page guide)."""
    edges = Counter(_key(line) for lines in pages for line in {*lines[:1], *lines[-1:]}
                    if len(line.text.split()) <= _SHORT_HEADING_WORDS)
    return {key for key, count in edges.items() if count >= max(2, 0.6 * len(pages))}


def _key(line: PdfLine) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


@dataclass(frozen=True)
class _Body:
    """The body text's measure: its font size, its usual space between lines and its left and right edges."""

    size: float
    spacing: float
    left: float
    right: float

    def continues(self, previous: PdfLine, line: PdfLine) -> bool:
        """Whether ``line`` carries on the paragraph ``previous`` is in (neither is a heading): same size, no
        bullet, and the usual spacing after a line that ran to the margin, or a new page after an open sentence."""
        if previous.size != line.size or line.marked or previous.table or line.table or _BULLET.match(line.text):
            return False
        short = previous.right < self.left + _FULL_LINE * (self.right - self.left)
        if line.page != previous.page:
            return not short and not _ENDS_SENTENCE.search(previous.text)
        if line.gap is None or line.gap > self.spacing * 1.5 + 1:
            return False
        if line.left < previous.left - line.size and _ENDS_SENTENCE.search(previous.text):
            return False  # an indented block (a glossary's definition) is over
        return not (short and (_ENDS_SENTENCE.search(previous.text) or line.text[:1].isupper()))


def to_markdown(pages: list[list[PdfLine]]) -> str:
    """Markdown with ``#`` headings, one paragraph or bullet per block. A PDF with no heading gets one per page
    (``## Page 2``) so citations can name the page; a paragraph running onto the next page stays whole."""
    running = _running_lines(pages)
    lines = [line for page in pages for line in page if _key(line) not in running]
    if not lines:
        return ""
    sizes = Counter({line.size: 0 for line in lines})
    for line in lines:
        sizes[line.size] += len(line.text)
    size = sizes.most_common(1)[0][0]
    terms = _glossary_terms(lines, size)
    levels = {key: level for key, level in _heading_levels(lines, size).items() if key not in terms}
    body = [line for line in lines if line.size == size and id(line) not in levels and not line.table] or lines
    spacing = median([line.gap for line in body if line.gap is not None] or [0.0])
    measure = _Body(size, spacing, min(line.left for line in body), max(line.right for line in body))
    blocks: list[str] = []
    previous: PdfLine | None = None
    for line in lines:
        level = levels.get(id(line))
        if line.table and previous is not None and previous.table and line.page == previous.page + 1 \
                and abs(line.left - previous.left) <= 0.5 * line.size \
                and (whole := continued(blocks[-1], line.text)) is not None:
            blocks[-1] = whole  # a table running onto the next page
        elif level is not None and previous is not None and levels.get(id(previous)) == level \
                and line.page == previous.page and (line.gap or 0) <= line.size * 0.6:
            blocks[-1] += f" {line.text}"
        elif level is not None:
            blocks.append(f"{'#' * level} {line.text}")
        elif id(line) in terms:
            blocks.append(line.text)
        elif previous is not None and id(previous) in terms:
            blocks[-1] = term_line(blocks[-1], line.text)
        elif previous is not None and id(previous) not in levels and measure.continues(previous, line):
            blocks[-1] = join_wrapped(blocks[-1], line.text)
        else:
            if not levels and (previous is None or line.page != previous.page):
                blocks.append(f"## Page {line.page}")
            typed = _BULLET.match(line.text) and not line.text[0].isdigit()
            blocks.append(f"- {line.text[1:].strip()}" if typed else f"- {line.text}" if line.marked else line.text)
        previous = line
    return "\n\n".join(blocks) + "\n"


def _glossary_terms(lines: list[PdfLine], body_size: float) -> set[int]:
    """A definition list's terms (by ``id``): short body-size lines, each over a definition set in further than a
    character's width (as browsers print ``<dl>``), two at least. Bold or not, a term is no heading: it reads as
    an HTML guide's glossary does ("VPAT — Voluntary Product Accessibility Template, ...")."""
    found = {id(line) for line, definition in zip(lines, lines[1:], strict=False)
             if line.size == definition.size == body_size and line.page == definition.page
             and definition.left >= line.left + 1.5 * line.size and not (line.table or definition.table)
             and not any(x.marked or _BULLET.match(x.text) for x in (line, definition))
             and len(line.text.split()) <= _TERM_WORDS and not _ENDS_SENTENCE.search(line.text)}
    return found if len(found) >= 2 else set()


def _heading_levels(lines: list[PdfLine], body_size: float) -> dict[int, int]:
    """Markdown level of each heading line (by ``id``): the title (``#``) is the largest size when only the
    document's first lines use it, else the first line when it is a heading (as a plain-text guide's first line
    is its title); other sizes rank from ``##`` down, and short bold or capitalised body-size lines come last."""
    words = Counter[float]()
    for line in lines:
        words[line.size] += len(line.text.split())
    count = Counter(line.size for line in lines)
    lines = [line for line in lines if not line.table]
    large = [line for line in lines if line.size >= body_size * _HEADING_SCALE and len(line.text) > 1
             and words[line.size] <= _SHORT_HEADING_WORDS * count[line.size]]
    bold = [line for line in lines if line.size < body_size * _HEADING_SCALE and (line.bold or line.text.isupper())
            and len(line.text.split()) <= _SHORT_HEADING_WORDS and not _ENDS_SENTENCE.search(line.text)]
    sizes = sorted({line.size for line in large}, reverse=True)
    top = [line for line in large if line.size == sizes[0]] if sizes else []
    title = bool(top) and all(line is first for line, first in zip(top, lines, strict=False))
    ranks = {size: 2 + i for i, size in enumerate(sizes[1:] if title else sizes)}
    levels = {id(line): 1 if title and line.size == sizes[0] else min(ranks[line.size], 6) for line in large}
    levels.update({id(line): min(2 + len(ranks), 6) for line in bold})
    if not title and id(lines[0]) in levels:
        levels[id(lines[0])] = 1
    return levels
