"""Tables and definition lists as sentences a reader (and the retriever) can quote.

A table row read as bare text runs its cells together ("Embedded software engineer0 (graduate schemes)£32k"), and
a glossary loses its terms from their definitions. Each row becomes one line that names its first cell and labels
every other cell with its column heading; each term stays with its definition.
"""

from __future__ import annotations

import re

from ingest.jobwords import job_words, names_a_job

ROW = re.compile(r"^(?P<name>[^—\n]{1,80}?) — \S")
"""A row line as ``row_line`` writes it: "Release manager — Typical day: ...; Salary range: ..."."""
ROW_LABEL = re.compile(r"(?:^[^—\n]{1,80}? — |; )([A-Z][^:;\n]{0,40}):")
"""Each labelled cell's column heading in a row line."""
ROW_CELL_BREAK = re.compile(r"; (?=[A-Z][^:;\n]{0,40}: )")
"""Where one labelled cell of a row line ends and the next begins."""
CELL_LABEL = re.compile(r"^(?:[^—\n]{1,80}? — )?([A-Z][^:;\n]{0,40}): ")
"""The column heading of one cell of a row line (the first cell comes after the row's name)."""
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def row_line(cells: list[str], headers: list[str]) -> str:
    """"Solutions architect — Salary range: £65k–£110k; Travel: 1–2 days a week." (no headers: cells by "; ")."""
    cells = [" ".join(c.split()) for c in cells]
    if not any(cells):
        return ""
    first, rest = cells[0], cells[1:]
    labels = headers[1:] if len(headers) == len(cells) else [""] * len(rest)
    parts = [f"{label}: {cell}" if label else cell for label, cell in zip(labels, rest, strict=True) if cell]
    line = f"{first} — {'; '.join(parts)}" if first and parts else first or "; ".join(parts)
    return line if line.endswith((".", "!", "?")) else f"{line}."


def term_line(term: str, definition: str) -> str:
    """"Firmware — Software stored on a device's own chip.": a glossary entry that keeps its term."""
    term, definition = " ".join(term.split()), " ".join(definition.split())
    return f"{term} — {definition}" if term and definition else term or definition


def row_lines(rows: list[list[str]], headers: list[str]) -> list[str]:
    """One line per row; a table whose column headings are the jobs it compares ("| | Data steward | IT trainer |",
    its rows "Salary", "Hours") is read by column, so each line is one job's."""
    words = job_words()
    jobs = sum(names_a_job(h, words) for h in headers[1:])
    # Every column heading a job, or half of them under a blank corner cell (a job's name need not end in a job word).
    by_column = jobs == len(headers) - 1 or not headers[0].strip() and 2 * jobs >= len(headers) - 1
    if len(headers) >= 3 and by_column and not any(names_a_job(row[0], words) for row in rows if row):
        rows, headers = [[h, *(row[n] if n < len(row) else "" for row in rows)] for n, h in enumerate(headers) if n], \
            ["", *(row[0] if row else "" for row in rows)]
    return [line for line in (row_line(row, headers) for row in rows) if line]


def markdown_tables(text: str) -> str:
    """Pipe tables (a header row, a ``|---|`` row, body rows) rewritten as row lines; other text unchanged."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" in lines[i] and i + 1 < len(lines) and _SEPARATOR_ROW.match(lines[i + 1]) and "-" in lines[i + 1]:
            headers = _cells(lines[i])
            i += 2
            rows = []
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells(lines[i]))
                i += 1
            out += [part for line in row_lines(rows, headers) for part in (line, "")]
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]
