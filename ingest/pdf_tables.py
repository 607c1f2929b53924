"""Tables printed in a PDF, rebuilt as Markdown pipe tables.

A PDF keeps a table as loose lines: a cell that wraps and its middle-aligned neighbours land on different
lines, so read line by line the row "IT auditor | Spreadsheets, SQL, audit frameworks | £30,000" comes out as
"Spreadsheets, SQL, audit ... IT auditor £30,000 frameworks". Here lines whose words stand in columns (gaps
much wider than a space) make a table; its columns start where several lines start a cell; a cell is the run of
lines in one column set at the usual line spacing, each line ending where the next word would not have fitted,
with no ruled line between; a row is every cell whose lines overlap it vertically. The pipe table then goes
through the same Markdown rules as a table in a ``.md`` guide.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

_CELL_GAP = 0.9
"""A gap between words wider than this share of the font size separates cells (a space is about 0.25)."""
_WORD_GAP = 0.15
"""A gap between two characters wider than this share of the font size is a space."""
_FILLED = 0.8
"""A wrapped line and the word that did not fit fill at least this share of the column (the rest is padding)."""
_SAME_SIZE = 0.5
"""Font sizes this close (points) are one: a page's running header, set smaller, is no row of the table below it."""
_MIN_ROWS_LINES = 3
"""Lines in columns a table needs: one such line is a label and its value, or a stray wide space."""


@dataclass(frozen=True)
class Band:
    """One printed line of a page: its characters (``pdfplumber`` dicts) and where it sits."""

    chars: list[dict]
    top: float
    bottom: float
    size: float

    def segments(self) -> list[list[dict]]:
        """Runs of characters split where the white space is too wide for a space between words."""
        runs: list[list[dict]] = [[]]
        for char in self.chars:
            if runs[-1] and char["x0"] - runs[-1][-1]["x1"] > _CELL_GAP * self.size:
                runs.append([])
            runs[-1].append(char)
        return [r for r in runs if r]


@dataclass(frozen=True)
class Table:
    """A table found among a page's bands: the bands it spans (``first`` to ``last``) and its Markdown."""

    first: int
    last: int
    markdown: str


def find_tables(bands: list[Band], rules: list[float]) -> list[Table]:
    """Every table among the page's bands (in reading order); ``rules`` are the heights of the page's horizontal
    lines (a bordered table's row lines)."""
    tables = []
    columnar = [len(b.segments()) >= 2 for b in bands]
    prose = [b.top - a.bottom for a, b, first, second in zip(bands, bands[1:], columnar, columnar[1:], strict=False)
             if not first and not second]
    spacing = median(prose) if prose else 0.25 * median(b.size for b in bands) if bands else 0.0
    start = 0
    while start < len(bands):
        header_line = start + 1 < len(bands) and abs(bands[start + 1].size - bands[start].size) > _SAME_SIZE
        if not columnar[start] or header_line:
            start += 1
            continue
        end = _table_end(bands, columnar, start)
        while start and bands[start - 1].bottom > bands[start].top:  # a header cell set higher than the others
            start -= 1
        if sum(columnar[start:end + 1]) >= _MIN_ROWS_LINES:
            markdown = _rebuild(bands[start:end + 1], spacing, rules)
            if markdown:
                tables.append(Table(start, end, markdown))
        start = end + 1
    return tables


def _table_end(bands: list[Band], columnar: list[bool], start: int) -> int:
    """The last band of the table whose first line in columns is ``start``. Lines in columns of the same size carry
    it on; so do up to three lines set close between two of those (one where narrow gutters ran two cells
    together; more only inside the table's left edge: a long cell wrapping on alone, a centred header's second
    line), and after the last, lines that start where a column starts (the last row's long cell) or overlap the
    line before."""
    left = min(c["x0"] for c in bands[start].chars)
    end = start
    while end + 1 < len(bands):
        following = next((n for n in range(end + 1, min(end + 5, len(bands))) if columnar[n]), None)
        between = bands[end + 1:following] if following is not None else []
        if columnar[end + 1] and abs(bands[end + 1].size - bands[end].size) <= _SAME_SIZE:
            end += 1
            left = min(left, bands[end].chars[0]["x0"])
        elif following is not None and all(
                (len(between) == 1 or b.chars[0]["x0"] > left + 0.5 * b.size) and b.top - a.bottom < 1.5 * b.size
                for a, b in zip(bands[end:following], between, strict=False)):
            end = following
        else:
            break
    starts = _column_starts(bands[start:end + 1])
    while end + 1 < len(bands) and (bands[end + 1].top < bands[end].bottom or (
            bands[end + 1].top - bands[end].bottom < 1.5 * bands[end + 1].size
            and any(abs(bands[end + 1].chars[0]["x0"] - s) <= 1 for s in starts[1:]))):
        end += 1
    return end


def _column_starts(bands: list[Band]) -> list[float]:
    """Left edges where at least two lines start a cell and no character of the table crosses (a centred header
    cell wrapped over two lines starts two lines close together, inside its column)."""
    size = max(b.size for b in bands)
    lefts = sorted(s[0]["x0"] for b in bands for s in b.segments())
    clusters: list[list[float]] = []
    for left in lefts:
        if clusters and left - clusters[-1][-1] <= 0.5 * size:
            clusters[-1].append(left)
        else:
            clusters.append([left])
    chars = [c for b in bands for c in b.chars]
    return [left for left in (min(c) for c in clusters if len(c) >= 2)
            if not any(c["x0"] < left - 0.5 < c["x1"] for c in chars)]


@dataclass
class _Cell:
    column: int
    top: float
    bottom: float
    words: list[str]
    width: float
    """How wide the cell's last line is: a line that would have had room for the next word did not wrap."""

    def goes_on(self, band: Band, first_word: float, spacing: float, room: float, rules: list[float]) -> bool:
        """Whether the band's text in this column (``first_word`` wide at its start) wraps on from the cell: the
        usual line spacing, the word too wide to fit after the cell's last line, and no row line between."""
        return (band.top - self.bottom <= spacing + 0.12 * band.size
                and self.width + 0.3 * band.size + first_word >= _FILLED * room
                and not any(self.bottom <= rule <= band.top for rule in rules))


def _rebuild(bands: list[Band], spacing: float, rules: list[float]) -> str:
    starts = _column_starts(bands)
    if len(starts) < 2:
        return ""
    edge = max(c["x1"] for b in bands for c in b.chars)
    widths = [end - start for start, end in zip(starts, [*starts[1:], edge], strict=True)]
    cells: list[_Cell] = []
    open_cells: dict[int, _Cell] = {}
    for band in bands:
        parts: dict[int, list[dict]] = {}
        for char in band.chars:
            column = max((i for i, s in enumerate(starts) if char["x0"] >= s - 1), default=0)
            parts.setdefault(column, []).append(char)
        for column, chars in parts.items():
            text = _text(chars, band.size)
            width = chars[-1]["x1"] - chars[0]["x0"]
            first_word = _first_word(chars, band.size)
            cell = open_cells.get(column)
            if cell is not None and cell.goes_on(band, first_word, spacing, widths[column], rules):
                cell.words.append(text)
                cell.bottom, cell.width = band.bottom, width
            else:
                cell = _Cell(column, band.top, band.bottom, [text], width)
                cells.append(cell)
                open_cells[column] = cell
    rows: list[list[_Cell]] = []
    for cell in sorted(cells, key=lambda c: c.top):
        if rows and cell.top < max(c.bottom for c in rows[-1]) - 0.2 * bands[0].size:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    if len(rows) < 2:
        return ""
    lines = []
    for n, row in enumerate(rows):
        texts = ["" for _ in starts]
        for cell in sorted(row, key=lambda c: c.top):
            for part in cell.words:
                texts[cell.column] = join_wrapped(texts[cell.column], part) if texts[cell.column] else part
        lines.append("| " + " | ".join(t.replace("|", "/") for t in texts) + " |")
        if n == 0:
            lines.append("|" + " --- |" * len(starts))
    return "\n".join(lines)


def continued(first: str, more: str) -> str | None:
    """One pipe table from ``first`` (closing a page) and ``more`` (opening the next at the same left edge), its
    heading row once: a row of ``more`` unless it repeats ``first``'s (a word processor repeats it or not).
    ``None`` when their columns differ."""
    top, rest = first.split("\n"), more.split("\n")
    if top[1] != rest[1]:
        return None
    return "\n".join([*top, *(rest[2:] if rest[0] == top[0] else [rest[0], *rest[2:]])])


def _first_word(chars: list[dict], size: float) -> float:
    end = next((a for a, b in zip(chars, chars[1:], strict=False) if b["x0"] - a["x1"] > _WORD_GAP * size), chars[-1])
    return end["x1"] - chars[0]["x0"]


def _text(chars: list[dict], size: float) -> str:
    """The characters' text with a space wherever the gap between two is wider than a letter's kerning."""
    out = ""
    for previous, char in zip([None, *chars], chars, strict=False):
        if previous is not None and char["x0"] - previous["x1"] > _WORD_GAP * size:
            out += " "
        out += char["text"]
    return out.strip()


def join_wrapped(text: str, more: str) -> str:
    """A wrapped line joined back: a hyphen at the line end stays (``well-`` + ``known``) with no space, as does
    a dash of a range (``£65k–`` + ``£110k``)."""
    joined = (text.endswith("-") and text[-2:-1].isalpha()) or (text.endswith(("–", "—")) and text[-2:-1].isalnum())
    return f"{text}{more}" if joined else f"{text} {more}"
