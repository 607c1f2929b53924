"""Find a cleaned document's own structure: chapters, role headings, labelled fields.

Sections are spans of the cleaned text, so chunk offsets point back into the document exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Section

# Labels that mark a heading as a role (a job) rather than a topic.
ROLE_FIELDS = frozenset(
    {"role", "day in the life", "career path", "backgrounds", "alternative routes", "what you do",
     "you'll like it if", "starter project"}
)
_FIELD = re.compile(r"^[ \t]*(?:[•*\-][ \t]+)?(?P<label>[A-Z][^:\n]{0,40}?):[ \t]+\S")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_CHAPTER = re.compile(r"^(?:chapter|part)\s+\w+\s*[-–—:.]\s*", re.IGNORECASE)
_BULLET = re.compile(r"^[ \t]*(?:[•*\-]|\d+[.)])[ \t]")


@dataclass
class _Block:
    """A blank-line separated paragraph (or a single bullet line) with its span."""

    start: int
    end: int
    text: str


def _blocks(text: str, start: int = 0, end: int | None = None) -> list[_Block]:
    """Paragraphs split on blank lines; each bullet line is its own block."""
    end = len(text) if end is None else end
    blocks: list[_Block] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_end = pos + len(line)
        if line.strip():
            starts_new = not blocks or blocks[-1].end < pos - 1 or _BULLET.match(line)
            if starts_new:
                indent = len(line) - len(line.lstrip())
                blocks.append(_Block(pos + indent, line_end, line[indent:]))
            else:
                blocks[-1].end = line_end
                blocks[-1].text = text[blocks[-1].start : line_end]
        pos = line_end + 1
    return blocks


def _field_label(block: _Block) -> str | None:
    match = _FIELD.match(block.text)
    if match and len(match["label"].split()) <= 6:
        return match["label"].strip()
    return None


def short_heading(heading: str) -> str:
    """'Chapter 2 – Engineering: Building the Machine' -> 'Engineering'."""
    heading = _CHAPTER.sub("", heading.strip())
    return heading.split(": ", 1)[0].strip() or heading


def _split_fields(path: tuple[str, ...], blocks: list[_Block], role: str | None) -> list[Section]:
    """Each labelled block becomes a child section; unlabelled blocks stay with the parent."""
    sections: list[Section] = []
    for block in blocks:
        label = _field_label(block)
        sub = path + (label,) if label else path
        last = sections[-1] if sections else None
        if last and last.path == sub and not label:
            sections[-1] = Section(last.path, last.start, block.end, role)
        else:
            sections.append(Section(sub, block.start, block.end, role))
    return sections


def _is_plain_heading(block: _Block) -> bool:
    line = block.text.strip()
    return (
        "\n" not in line
        and len(line) <= 100
        and not _BULLET.match(block.text)
        and not line.endswith((".", ",", ";", ":", "!", "?"))
    )


def plain_text_sections(text: str, title: str) -> list[Section]:
    """Headings are short unpunctuated lines; a heading whose body has role fields is a role."""
    blocks = _blocks(text)
    if blocks and blocks[0].text.strip() == title:
        blocks = blocks[1:]
    groups: list[tuple[str | None, list[_Block]]] = [(None, [])]
    for block in blocks:
        if _is_plain_heading(block):
            groups.append((block.text.strip(), []))
        else:
            groups[-1][1].append(block)

    sections: list[Section] = []
    chapter: tuple[str, ...] = ()
    for heading, body in groups:
        is_role = any((_field_label(b) or "").lower() in ROLE_FIELDS for b in body)
        if heading is None:
            path: tuple[str, ...] = ()
        elif is_role:
            path = chapter + (short_heading(heading),)
        else:
            chapter = (short_heading(heading),)
            path = chapter
        role = short_heading(heading) if heading and is_role else None
        sections.extend(_split_fields(path, body, role))
    return sections


def markdown_sections(text: str, title: str) -> list[Section]:
    """Markdown headings give the path; a heading nested under another is a role."""
    headings: list[tuple[int, int, int, str]] = []  # (line start, body start, level, name)
    pos = 0
    for line in text.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            headings.append((pos, pos + len(line) + 1, len(match[1]), match[2].strip()))
        pos += len(line) + 1

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    bounds = [(0, 0, 0, "")] + headings
    for i, (_, body_start, level, name) in enumerate(bounds):
        body_end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        if i:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
        path = tuple(n for lvl, n in stack if not (lvl == 1 and n == title))
        role = path[-1] if len(path) >= 2 else None
        sections.extend(_split_fields(path, _blocks(text, body_start, body_end), role))
    return sections
