"""Read corpus files of each supported format into cleaned ``Document``s.

A file that cannot be used becomes a ``Skipped`` with a reason a person can act on; loaders never raise
for bad input, so one broken file never stops an ingest.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import frontmatter
from bs4 import BeautifulSoup, NavigableString
from charset_normalizer import from_bytes

from ingest.cleaning import (
    atx_headings,
    clean_text,
    interview_headings,
    list_headings,
    numbered_headings,
    panel_headings,
    strip_emphasis,
    underlined_headings,
)
from ingest.jobwords import JobWords
from ingest.models import Document, Skipped
from ingest.pdf_layout import page_lines, to_markdown
from ingest.structure import markdown_sections, plain_text_sections
from ingest.tables import markdown_tables, row_lines, term_line


class LoadError(Exception):
    """A file that cannot be ingested; the message is the reason shown to the user."""


def decode(data: bytes) -> str:
    """UTF-8 when it is; otherwise the detected legacy encoding, Windows Western (cp1252, a superset of latin-1's
    printable characters) whenever it reads as cleanly as the detector's pick: on short English text the detector
    may prefer cp1250, which turns a latin-1 "£" into "Ł"."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        found = from_bytes(data)
        best = found.best()
        if best is None:
            raise LoadError("binary or undecodable file") from None
        western = next((m for m in found if m.encoding == "cp1252" and m.chaos <= best.chaos), best)
        return str(western)


def _text_title(text: str, fallback: str) -> str:
    first = text.split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 120 else fallback


def load_text(data: bytes, stem: str) -> tuple[str, str, dict[str, str], bool]:
    raw = decode(data)
    # Layouts read as Markdown before the lines are joined: reStructuredText-style headings, a transcript's turns.
    for as_markdown in (underlined_headings, panel_headings):
        if (markdown := as_markdown(raw.replace("\r\n", "\n"))) is not None:
            text = clean_text(markdown)
            return text, _first_markdown_heading(text) or _text_title(text, stem), {}, True
    text = clean_text(raw)
    if (outline := numbered_headings(text)) is not None:  # numbered sections read as Markdown headings
        return clean_text(outline), _text_title(text, stem), {}, True
    return text, _text_title(text, stem), {}, False


def load_markdown(data: bytes, stem: str) -> tuple[str, str, dict[str, str], bool]:
    raw = decode(data)
    try:
        post = frontmatter.loads(raw)
        body, meta = post.content, dict(post.metadata)
    except Exception as exc:  # malformed YAML must not lose the document
        body, meta = raw, {"front_matter_error": str(exc)}
    metadata = {
        str(key): clean_text(", ".join(map(str, value)) if isinstance(value, list) else str(value)).strip()
        for key, value in meta.items()
    }
    plain = list_headings(strip_emphasis(atx_headings(body)))
    text = clean_text(markdown_tables(interview_headings(panel_headings(plain) or plain)))
    title = metadata.get("title") or _first_markdown_heading(text) or stem
    return text, title, metadata, True


def _first_markdown_heading(text: str) -> str | None:
    for line in text.split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return None


_SPACES = re.compile(r"\s+")
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def load_html(data: bytes, stem: str) -> tuple[str, str, dict[str, str], bool]:
    """Visible text only; headings become markdown headings so structure survives."""
    soup = BeautifulSoup(decode(data), "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer", "form", "iframe", "svg"]):
        tag.decompose()
    for string in soup.find_all(string=True):  # as a browser shows it: a line break in the source is a space
        if type(string) is NavigableString and not string.find_parent(["pre", "textarea"]):
            string.replace_with(_SPACES.sub(" ", string))
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    if soup.head:
        soup.head.decompose()
    for table in soup.find_all("table")[::-1]:  # innermost first: a nested table is one cell of its parent
        _replace_table(table)
    for glossary in soup.find_all("dl"):
        pairs = [(dt.get_text(" ", strip=True), dt.find_next_sibling("dd")) for dt in glossary.find_all("dt")]
        glossary.replace_with("\n\n" + "\n\n".join(
            term_line(term, dd.get_text(" ", strip=True) if dd else "") for term, dd in pairs) + "\n\n")
    # A collapsible block's summary heads what it expands to, one level below the heading above it (and below
    # the block it is nested in).
    summaries = soup.select("details > summary")
    levels = [(int(above.name[1]) if (above := summary.find_previous(HEADINGS)) else 1)
              + len(summary.find_parents("details")) for summary in summaries]
    for summary, level in zip(summaries, levels, strict=True):
        summary.name = f"h{min(level, 6)}"
    for heading in soup.find_all(HEADINGS):
        level = int(heading.name[1])
        heading.replace_with(f"\n\n{'#' * level} {heading.get_text(' ', strip=True)}\n\n")
    for block in soup.find_all(["p", "div", "section", "article", "li", "tr", "br", "ul", "ol", "table"]):
        block.insert_before("\n\n" if block.name != "li" else "\n- ")
        block.insert_after("\n")
    text = clean_text(interview_headings(soup.get_text()))
    title = title or _first_markdown_heading(text) or stem
    return text, clean_text(title).strip(), {}, True


def _replace_table(table) -> None:
    """Rows as lines naming their first cell, each other cell labelled by its column heading (the first row
    made only of ``th`` cells)."""
    rows = table.find_all("tr")
    cells = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"], recursive=False)] for tr in rows]
    head = next((i for i, tr in enumerate(rows) if tr.find("th", recursive=False) and not tr.find("td", recursive=False)),
                None)
    headers = cells[head] if head is not None else []
    lines = row_lines([row for i, row in enumerate(cells) if i != head], headers)
    table.replace_with("\n\n" + "\n\n".join(lines) + "\n\n")


def load_pdf(data: bytes, stem: str) -> tuple[str, str, dict[str, str], bool]:
    """Markdown rebuilt from the fonts and layout (``ingest/pdf_layout.py``)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page_lines(page, n) for n, page in enumerate(pdf.pages, 1)]
            title = str((pdf.metadata or {}).get("Title") or "").strip()
    except (PdfminerException, ValueError, KeyError, TypeError) as exc:
        if any(isinstance(arg, PDFEncryptionError) for arg in exc.args):
            raise LoadError("password-protected PDF") from None
        detail = f" ({exc})" if str(exc) else ""
        raise LoadError(f"corrupt PDF{detail}") from None
    text = clean_text(markdown_tables(to_markdown(pages)))
    return text, title or _first_markdown_heading(text) or stem, {}, True


LOADERS: dict[str, Callable[[bytes, str], tuple[str, str, dict[str, str], bool]]] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
}


def load_file(path: Path, source: str, max_bytes: int, job_words: JobWords | None = None) -> Document | Skipped:
    """``job_words`` end a job title (from the vocabulary file); they tell a role heading from a field heading."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        return Skipped(str(path), f"unsupported file type '{path.suffix or path.name}'")
    try:
        size = path.stat().st_size
        if size == 0:
            return Skipped(str(path), "empty file")
        if size > max_bytes:
            return Skipped(str(path), f"file too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB limit)")
        text, title, metadata, is_markdown = loader(path.read_bytes(), path.stem)
    except LoadError as exc:
        return Skipped(str(path), str(exc))
    except OSError as exc:
        return Skipped(str(path), f"cannot read: {exc.strerror or exc}")
    if not text.strip():
        return Skipped(str(path), "no text content")
    sections = (markdown_sections if is_markdown else plain_text_sections)(text, title, job_words)
    return Document(source=source, path=str(path), title=title, text=text, sections=sections, metadata=metadata)


def discover(root: Path) -> Iterator[Path | Skipped]:
    """Files under ``root`` (or ``root`` itself), never following a link out of the root or into a loop."""
    if root.is_file():
        yield root
        return
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root) or not target.is_file():
                    yield Skipped(str(path), "symbolic link pointing outside the corpus folder (or broken)")
                    continue
            yield path
