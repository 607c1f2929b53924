"""Find a cleaned document's own structure: chapters, role headings, labelled fields.

Sections are spans of the cleaned text, so chunk offsets point back into the document exactly. What is a
role and what is a field comes from the document's shape, never from a list of names: a label or sub-heading
that repeats under two or more headings is a field ("Day in the life:", "### Responsibilities"), a heading
with such fields (or nested under a topic) is a role, and a guide with no role headings is about the role
its title names, its headings being that role's fields ("What They Do", "Pay").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ingest.jobwords import NAME_WORDS, JobWords, introduced_job, job_in, job_words, lists_jobs, names_a_job
from ingest.models import Section
from ingest.stopwords import STOPWORDS
from ingest.tables import ROW, ROW_LABEL

_FIELD = re.compile(r"^[ \t]*(?:[•*\-][ \t]+)?(?P<label>[A-Z][^:\n—]{0,40}?):[ \t]+\S")
"""A run-in label ("Pay: ..."); not a table row's "Role — Column: value" line (ingest/tables.py)."""
_DASH_FIELD = re.compile(r"^[ \t]*(?:[•*\-][ \t]+)?(?P<label>[A-Z][^:\n—–-]{0,40}?)[ \t]+[-–][ \t]+\S")
"""A label run in with a dash ("Pay band - ..."): a field only where the document repeats it, as prose may open
with one ("Monday - ..."). Not an em dash: loaders write a glossary's "term — definition" with one."""
_LIST_LABEL = re.compile(r"^[ \t]*(?P<label>[A-Z][^:\n]{0,40}?):[ \t]*$")
"""A line of its own that introduces a list ("Pay and hours:" then "1. ...", "2. ..."): the list's field label."""
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_CHAPTER = re.compile(r"^(?:(?:chapter|part)\s+\w+\s*[-–—:.]|\(?\d{1,2}[.)])\s*", re.IGNORECASE)
"""A heading's number: "Chapter 2 –", "Part one:", "1)", "2." name no role."""
_BULLET = re.compile(r"^[ \t]*(?:[•*\-]|\d+[.)])[ \t]")
_TITLE_PARTS = re.compile(r":\s+|\s+[–—-]\s+")
"""A title's parts: "Careers in Digital Accessibility: The Accessibility Specialist" names its job in the last."""
_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)


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
            starts_new = not blocks or blocks[-1].end < pos - 1 or _BULLET.match(line) \
                or _heading_line(blocks[-1]) and not _heading_line(_Block(0, 0, line))
            if starts_new:
                indent = len(line) - len(line.lstrip())
                blocks.append(_Block(pos + indent, line_end, line[indent:]))
            else:
                blocks[-1].end = line_end
                blocks[-1].text = text[blocks[-1].start : line_end]
        pos = line_end + 1
    return blocks


def _heading_line(block: _Block) -> bool:
    """A block that is one short line with no end punctuation and no label, followed directly by text ("What they
    do" over its paragraph, "PENETRATION TESTER" over "Median pay: ..."): a heading without the blank line. Over
    another such line ("Career Profile") it is a title with its subtitle, read together as before."""
    return _is_plain_heading(block) and len(block.text) <= 60 and not _FIELD.match(block.text) \
        and block.text[:1].isupper()


def _field_label(block: _Block, fields: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The block's run-in or list label; one run in with a dash only where it is among the document's ``fields``."""
    dashed = _DASH_FIELD.match(block.text)
    if dashed and dashed["label"].strip().lower() in fields:
        return dashed["label"].strip()
    match = _FIELD.match(block.text) or _LIST_LABEL.match(block.text)
    if match and len(match["label"].split()) <= 6:
        return match["label"].strip()
    return None


def _label_candidates(block: _Block) -> set[str]:
    """Every label the block may open with, lower-cased: whether one is a field depends on its repeating."""
    dashed = _DASH_FIELD.match(block.text)
    return {label.lower() for label in (_field_label(block), dashed and dashed["label"].strip()) if label}


def short_heading(heading: str) -> str:
    """'Chapter 2 – Engineering: Building the Machine' -> 'Engineering'."""
    heading = _CHAPTER.sub("", heading.strip())
    return heading.split(": ", 1)[0].strip() or heading


def _split_fields(path: tuple[str, ...], blocks: list[_Block], role: str | None, fields: set[str]) -> list[Section]:
    """Each labelled block becomes a child section; unlabelled blocks stay with the parent."""
    sections: list[Section] = []
    listing: str | None = None
    for block in blocks:
        label = _facts_labels(block, fields) or _field_label(block, fields)
        if label and label.lower() not in fields and not _LIST_LABEL.match(block.text) and _prose_label(label):
            label = None
        # The items of a list a label line introduces belong to that label's field.
        if label and _LIST_LABEL.match(block.text):
            listing = label
        elif not _BULLET.match(block.text):
            listing = None
        field = label or listing
        sub = path + (field,) if field else path
        last = sections[-1] if sections else None
        if last and last.path == sub and not label:
            sections[-1] = replace(last, end=block.end)
        else:
            sections.append(Section(sub, block.start, block.end, role, field))
    return sections


def _prose_label(label: str) -> bool:
    """A run-in "label" that reads as the start of a sentence ("Travel is part of the job: ...", "Hours follow the
    customer: ..."), not a name: a verb-like word after its first, where a field's name is a noun phrase."""
    return len(label.split()) >= 3 and any(w.lower() in _LINKING for w in label.split()[1:])


_LINKING = frozenset("is are was were be follow follows means mean can will do does has have".split())


def _facts_labels(block: _Block, fields: set[str]) -> str | None:
    """A block of label lines that opens with a label the document repeats ("Median pay: ...", then "Job outlook:
    ..." under each role): a quick-facts list, named by all its labels, so it answers for each, not the first only."""
    lines = block.text.split("\n")
    labels = [m["label"].strip() for line in lines if (m := _FIELD.match(line))]
    if len(lines) < 2 or len(labels) < len(lines) or labels[0].lower() not in fields:
        return None
    return ", ".join(labels)


def _is_plain_heading(block: _Block) -> bool:
    line = block.text.strip()
    return (
        "\n" not in line
        and len(line) <= 100
        and not _BULLET.match(block.text)
        and not line.endswith((".", ",", ";", ":", "!", "?"))
    )


def _repeated_labels(groups: list[list[_Block]]) -> set[str]:
    """Labels used under two or more headings: the document's fields."""
    homes = Counter(label for body in groups for label in set().union(*map(_label_candidates, body)))
    return {label for label, count in homes.items() if count >= 2}


def _singular(name: str) -> tuple[str, ...]:
    words = name.lower().split()
    return (*words[:-1], words[-1].removesuffix("s"))


def _is_name(heading: str, words: JobWords) -> bool:
    """A heading that is a job's name ("Frontend Engineer", "Game developers"), not a sentence about one."""
    return names_a_job(heading, words) and not any(w.lower() in STOPWORDS and not w.isupper() for w in heading.split())


def _heading_jobs(headings: list[str], words: JobWords) -> dict[str, str]:
    """The job each heading names: the heading itself when it is a job's name ("## Frontend engineer"), else the
    job within it (an FAQ's "What do solutions architects earn?"). A longer name is cut to the name another heading
    writes ("a future solutions architect" -> "solutions architect"), and each job is written one way."""
    found = {h: n for h in dict.fromkeys(headings)
             if (n := introduced_job(h, words) or _labelled_job(h, words)
                 or (h if _is_name(h, words) else job_in(h, words)))}
    names = {_singular(n) for n in found.values()}

    def shortest(name: str) -> tuple[str, ...]:
        key = _singular(name)
        return min((key[i:] for i in range(len(key)) if key[i:] in names), key=len)

    written: dict[tuple[str, ...], str] = {}
    for name in found.values():
        key = shortest(name)
        if key not in written or written[key].lower().endswith("s") and not name.lower().endswith("s"):
            written[key] = " ".join(name.split()[-len(key):])
    return {h: written[shortest(n)] for h, n in found.items()}


def _labelled_job(heading: str, words: JobWords) -> str | None:
    """The job after a short label ("Role: Quantum software engineer", "Profile 2: Cloud architect")."""
    label, colon, job = heading.partition(": ")
    if colon and len(label.split()) <= 3 and names_a_job(job, words) and not names_a_job(label, words):
        return job.strip()
    return None


def _role_name(heading: str, words: JobWords) -> str:
    """A role heading's role: the job of the person it introduces ("Meet Dana, embedded firmware engineer") or
    the job after a label, else the heading."""
    return introduced_job(heading, words) or _labelled_job(heading, words) or heading




def _rows_by_role(sections: list[Section], text: str, words: JobWords) -> list[Section]:
    """A table row outside every role's section whose first cell is a role the document describes (a comparison
    table above the roles' own sections), or names a job ("Technical support analyst — Typical starting salary:
    ..."), is about that role, not about the table's heading."""
    roles = {_singular(s.role): s.role for s in sections if s.role}

    def owner_of(name: str) -> str | None:
        name = name.strip()
        return roles.get(_singular(name)) or (name if len(name.split()) <= NAME_WORDS + 2 and names_a_job(name, words)
                                              else None)

    out: list[Section] = []
    for section in sections:
        blocks = _blocks(text, section.start, section.end) if not section.role else []
        owners = [owner_of(m["name"]) if (m := ROW.match(b.text)) else None for b in blocks]
        if not any(owners):
            out.append(section)
            continue
        for n, (block, owner) in enumerate(zip(blocks, owners, strict=True)):
            start = section.start if n == 0 else block.start
            end = section.end if n == len(blocks) - 1 else blocks[n + 1].start
            if n and owners[n - 1] is None and owner is None:
                out[-1] = replace(out[-1], end=end)
            elif owner:  # its field: the columns it states, so its "Salary range" answers pay as a "Pay" heading
                out.append(replace(section, start=start, end=end, role=owner, path=(*section.path, owner),
                                   field=", ".join(ROW_LABEL.findall(block.text)) or None))
            else:
                out.append(replace(section, start=start, end=end))
    return out


def _sibling_roles(sections: list[Section], text: str) -> list[Section]:
    """A heading beside role headings, at their level and under the same parent, is a role too when most of its
    siblings are, it reads as a name and its text names it ("Data steward" over "A data steward is ...", beside
    "Embedded security engineer"): a job's name need not end in a job word. "Quick comparison" is no role."""
    named = {s.path[:n + 1] for s in sections for n in range(len(s.path))
             if s.path[n].lower().rstrip("s") in text[s.start:s.end].lower()}
    names: dict[tuple[str, ...], dict[str, bool]] = {}
    for section in sections:
        for depth in range(len(section.path)):
            siblings = names.setdefault(section.path[:depth], {})
            is_role = section.role == section.path[depth] or siblings.get(section.path[depth], False)
            siblings[section.path[depth]] = is_role
    adopted: dict[tuple[str, ...], str] = {}
    for parent, siblings in names.items():
        roles = sum(siblings.values())
        if roles >= 2 and 2 * roles >= len(siblings):
            adopted |= {(*parent, name): name for name, is_role in siblings.items()
                        if not is_role and _reads_as_name(name) and (*parent, name) in named}
    return [replace(s, role=adopted.get(s.path[:n + 1], s.role)) if not s.role else s
            for s in sections for n in [next((d for d in range(len(s.path)) if s.path[:d + 1] in adopted), 0)]]


def _reads_as_name(heading: str) -> bool:
    """A short noun phrase ("Data steward"), not a sentence, question or topic list."""
    words = heading.split()
    return 1 <= len(words) <= 4 and not heading.endswith(("?", ".", ":", "!")) and "," not in heading \
        and not any(w.lower() in STOPWORDS for w in words[1:])


def _with_fields(sections: list[Section], title: str, words: JobWords) -> list[Section]:
    """A guide without role headings is about its title's role (the part of the title that names a job: "Careers in
    Digital Accessibility: The Accessibility Specialist" is about "Accessibility Specialist"), its own headings
    being that role's fields; when the title names no job ("Frontend notes", "Careers FAQ") but headings do ("##
    Frontend engineer", "## Can a robotics engineer work from home?"), each such heading is about its job."""
    if any(s.role for s in sections):
        return sections
    if not names_a_job(title, words) or lists_jobs(title, words):
        jobs = _heading_jobs([s.path[0] for s in sections if s.path], words)
        if jobs:
            return [replace(s, role=jobs[s.path[0]]) if s.path and s.path[0] in jobs else s for s in sections]
    role = next((p for p in reversed(_TITLE_PARTS.split(title)) if names_a_job(p, words)), None)
    if role is None:  # "My route into tech: notes from twelve years of careers advice" is about no one role
        return sections
    role = _ARTICLE.sub("", role.strip()) or title
    return [replace(s, role=role, field=s.field or (s.path[-1] if s.path else None)) for s in sections]


def plain_text_sections(text: str, title: str, words: JobWords | None = None) -> list[Section]:
    """Headings are short unpunctuated lines; a heading whose body has the document's fields is a role. A first
    line taken for the title is the first role's heading when the lines under it have the roles' fields (a guide
    that opens with "Game developer" and its "Pay:" line, then "Technical writer" and hers)."""
    words = job_words() if words is None else words
    blocks = _blocks(text)
    titled = bool(blocks) and blocks[0].text.strip() == title
    groups: list[tuple[str | None, list[_Block]]] = [(None, [])]
    for block in blocks[1:] if titled else blocks:
        if _is_plain_heading(block):
            groups.append((block.text.strip(), []))
        else:
            groups[-1][1].append(block)
    fields = _repeated_labels([body for _, body in groups])
    if titled and any((_field_label(b, fields) or "").lower() in fields for b in groups[0][1]):
        groups[0] = (title, groups[0][1])

    repeated = {h for h, n in Counter(h.lower() for h, _ in groups if h).items() if n >= 2}
    sections: list[Section] = []
    chapter: tuple[str, ...] = ()
    current: tuple[str, tuple[str, ...], str] | None = None  # the role heading above: its text, path and role
    for heading, body in groups:
        is_role = any((_field_label(b, fields) or "").lower() in fields for b in body)
        role, field = None, None
        if heading is None:
            path: tuple[str, ...] = ()
        elif is_role:
            path = chapter + (short_heading(heading),)
            role = _role_name(short_heading(heading), words)
            current = (heading, path, role)
        elif current and (current[0].isupper() and not heading.isupper() or heading.lower() in repeated):
            # "What they do" under "PENETRATION TESTER": a sub-heading of the role, in a lesser style or repeated
            # under each role.
            path, role, field = current[1] + (short_heading(heading),), current[2], short_heading(heading)
        else:
            chapter = (short_heading(heading),)
            path, current = chapter, None
        sections.extend(replace(s, field=s.field or field) for s in _split_fields(path, body, role, fields))
    return _rows_by_role(_with_fields(sections, title, words), text, words)


def markdown_sections(text: str, title: str, words: JobWords | None = None) -> list[Section]:
    """Markdown headings give the path (a lone level-1 heading is the document's title). A sub-heading repeated
    under two parents is a field and its parent a role; a topic nested under a chapter is a role too; anything
    under a role belongs to that role."""
    words = job_words() if words is None else words
    headings: list[tuple[int, int, int, str]] = []  # (line start, body start, level, name)
    pos = 0
    for line in text.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            headings.append((pos, pos + len(line) + 1, len(match[1]), _CHAPTER.sub("", match[2].strip()) or match[2]))
        pos += len(line) + 1
    lone_h1 = [name for _, _, level, name in headings if level == 1]
    is_title = {title} | (set(lone_h1) if len(lone_h1) == 1 else set())

    bounds = [(0, 0, 0, "")] + headings
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[int, str]] = []
    for i, (_, _, level, name) in enumerate(bounds):
        if i:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
        paths.append(tuple(n for lvl, n in stack if not (lvl == 1 and n in is_title)))
    parents = Counter((p[-1].lower(), p[:-1]) for p in paths if len(p) >= 2)
    field_headings = {name for name, count in Counter(name for name, _ in parents).items() if count >= 2}
    bodies = [_blocks(text, body_start, bounds[i + 1][0] if i + 1 < len(bounds) else len(text))
              for i, (_, body_start, _, _) in enumerate(bounds)]
    labels = _repeated_labels(bodies)
    with_fields = {p[:-1] for p in paths if p and p[-1].lower() in field_headings}
    with_fields |= {p for p, body in zip(paths, bodies, strict=True)
                    if any((_field_label(b, labels) or "").lower() in labels for b in body)}

    sections: list[Section] = []
    for path, body in zip(paths, bodies, strict=True):
        is_field = bool(path) and (path[-1].lower() in field_headings or len(path) >= 2 and path[-1].endswith("?"))
        topics = path[:-1] if is_field else path
        depth = next((j for j in range(1, len(topics) + 1) if topics[:j] in with_fields or j >= 2), None)
        role = _role_name(topics[depth - 1], words) if depth else None
        field = path[-1] if is_field or (depth and len(topics) > depth) else None
        sections.extend(replace(s, field=s.field or field) for s in _split_fields(path, body, role, labels))
    return _rows_by_role(_sibling_roles(_with_fields(sections, title, words), text), text, words)
