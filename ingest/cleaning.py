"""Turn raw document text into clean, searchable text.

Every later offset refers to the output of :func:`clean_text`, so cleaning happens once, up front.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Hyphen look-alikes become "-" so that "day‑to‑day" (U+2011) matches a typed "day-to-day".
_HYPHENS = dict.fromkeys(map(ord, "\u00ad\u2010\u2011\u2012\u2043\u2212"), "-")
_HYPHENS[0x00AD] = None  # soft hyphen: invisible, drop it

# Lines that only ever come from a web page's comment form or footer.
_BOILERPLATE = re.compile(
    r"^\s*(leave a (comment|reply)|your email address will not be published.*|required fields are marked.*"
    r"|post comment|save my name, email.*|cancel reply|©.*all rights reserved\.?|copyright ©.*)\s*$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_unicode(text: str) -> str:
    """Repair mojibake, unify quotes/hyphens and apply NFKC: the same mapping is used for queries."""
    text = ftfy.fix_text(text, uncurl_quotes=True, normalization="NFC")
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    return _CONTROL.sub("", text)


_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")


_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATX = re.compile(r"^(#{1,6})[ \t]+[^\w\s\"'“‘(\[]+[ \t]*(?=\w)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MARKED = re.compile(r"^[ \t]*[▶►▸▹■◆◇★☆➤➜→»][ \t]*(?P<name>\w[^\n]{0,80}?)[ \t]*$")
"""A line of its own that a symbol marks ("▶ Data steward"): a heading, where it ends in no punctuation."""


def atx_headings(markdown: str) -> str:
    """Every heading written as ``#`` lines: an underlined (setext) one (``Title`` over ``=====``, ``Section`` over
    ``-----``) becomes ``#``/``##``, and a decoration before a heading's words (``### >> Privacy Analyst``) goes, so
    the headings, and the roles and fields they name, read as any other guide's; a line of its own marked by a
    symbol ("▶ Data steward") is a heading one level below the one above it. Code blocks stay as written; a
    ``---`` after a blank line is a rule, not a heading."""
    lines = markdown.split("\n")
    out: list[str] = []
    fenced = False
    level = 1  # of the heading above: a marked line is one level below it
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and (atx := re.match(r"^(#{1,6})[ \t]", line)):
            level = len(atx[1])
        marked = None if fenced else _MARKED.match(line)
        if marked and not marked["name"].endswith((".", ",", ";", ":", "!", "?")):
            out.append(f"{'#' * min(level + 1, 6)} {marked['name']}")
            continue
        underline = None if fenced else _SETEXT.match(line)
        if underline and out and out[-1].strip() and not out[-1].lstrip().startswith(("#", "-", "*", "+", ">", "|")) \
                and len(underline.group(1)) >= 3:
            out[-1] = f"{'#' if underline.group(1)[0] == '=' else '##'} {out[-1].strip()}"
            continue
        out.append(line if fenced else _ATX.sub(r"\1 ", line))
    return "\n".join(out)


_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?[ \t]+(?P<name>[A-Za-z][^\n]{0,80}?)[ \t]*$")


def numbered_headings(text: str) -> str | None:
    """A plain-text guide laid out as a numbered outline ("1. CLOUD ARCHITECT", "1.1 What the job is", "2. ...") as
    Markdown, each numbered line a heading one level deeper per number ("## CLOUD ARCHITECT", "### What the job
    is") and its first line the title; None when the text is no such outline. A line ending in a full stop is an
    item ("5.2 Highest pay: cloud architect."), and an outline needs two top-level numbers and a sub-number."""
    lines = text.split("\n")
    found = {n: m for n, line in enumerate(lines) if (m := _NUMBERED.match(line.strip()))
             and not line.rstrip().endswith((".", ",", ";", ":", "!", "?"))}
    tops = {m["number"] for m in found.values() if "." not in m["number"]}
    if len(tops) < 2 or not any("." in m["number"] for m in found.values()):
        return None
    out = [f"# {lines[0].strip()}" if lines and lines[0].strip() else ""]
    for n, line in enumerate(lines[1:], 1):
        match = found.get(n)
        out.append(f"\n{'#' * (match['number'].count('.') + 2)} {match['name']}\n" if match else line)
    return "\n".join(out)


_ADORNMENT = re.compile(r"^([=\-~^*#+`'\".:_])\1{2,}[ \t]*$")
_FIELD = re.compile(r"^:(?P<label>[^:\n]{1,60}):[ \t]+(?=\S)")
_DIRECTIVE = re.compile(r"^\.\.[ \t]+(?P<name>[A-Za-z][\w-]*)::[ \t]*")


def underlined_headings(text: str) -> str | None:
    """A plain-text guide written in reStructuredText style as Markdown: a line underlined (or over- and
    underlined) by a run of one symbol at least as long as it is a heading, one level deeper per adornment style
    in the order they first appear, as reStructuredText ranks them; a field (":Typical pay: ...") is a "Label:"
    line and a directive (".. note:: ...") a "Note:" line, each with its indented lines joined on. None when the
    text has fewer than two such headings."""
    lines = text.split("\n")
    styles: list[tuple[str, bool]] = []
    out: list[str] = []
    headings = 0
    n = 0
    while n < len(lines):
        line = lines[n].rstrip()
        over = _ADORNMENT.match(line) and n + 2 < len(lines) and lines[n + 2].rstrip() == line
        at = n + 1 if over else n
        title = lines[at].strip() if at < len(lines) else ""
        under = lines[at + 1].rstrip() if at + 1 < len(lines) else ""
        if title and not _ADORNMENT.match(title) and _ADORNMENT.match(under) and len(under) >= len(title) \
                and (not over or under == line) and (over or at == 0 or not lines[at - 1].strip()):
            style = (under[0], bool(over))
            if style not in styles:
                styles.append(style)
            out += ["", f"{'#' * min(styles.index(style) + 1, 6)} {title}", ""]
            headings += 1
            n = at + 2
            continue
        field, directive = _FIELD.match(line), _DIRECTIVE.match(line)
        if field or directive:
            label = field["label"] if field else directive["name"].capitalize()
            body = [line[(field or directive).end():].strip()]
            while n + 1 < len(lines) and lines[n + 1][:1].isspace() and lines[n + 1].strip():
                n += 1
                body.append(lines[n].strip())
            out.append(f"{label}: {' '.join(b for b in body if b)}")
        else:
            out.append(line)
        n += 1
    return "\n".join(out) if headings >= 2 else None


_QUESTION = re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.][ \t]+(?P<question>\S.*\?)[ \t]*$", re.MULTILINE)
_ANSWER = re.compile(r"^[ \t]*(?:A|Answer)[ \t]*[:.][ \t]+(?=\S)", re.MULTILINE)
_HEADING_LEVEL = re.compile(r"^(#{1,6})[ \t]")


def interview_headings(markdown: str) -> str:
    """An interview's "Q: What does a normal day look like?" lines become sub-headings of the heading above them and
    its "A:" prefixes go: each answer is then a section headed by the question it answers (a field where every
    interview asks it), and no "Q:" line is ever quoted as an answer. Only in a text with two or more of each."""
    if len(_QUESTION.findall(markdown)) < 2 or len(_ANSWER.findall(markdown)) < 2:
        return markdown
    out: list[str] = []
    level = 1
    for line in markdown.split("\n"):
        if heading := _HEADING_LEVEL.match(line):
            level = len(heading.group(1))
        elif question := _QUESTION.match(line):
            line = f"{'#' * min(level + 1, 6)} {question['question']}"
        else:
            line = _ANSWER.sub("", line)
        out.append(line)
    return "\n".join(out)


_TURN = re.compile(r"^(?P<speaker>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}(?: \([^()\n]{1,60}\))?):[ \t]+(?P<said>\S.*)$")


def panel_headings(text: str) -> str | None:
    """A transcript ("Marcus (host): ... what does a normal day look like?" / "Priya (firmware engineer): I write
    ...") as Markdown: each answer a section headed by its speaker, under the question it answers, so that a pay
    question finds the turns that answer the host's question about money and the host's lines are never quoted
    as anyone's answer. The host is the speaker most of whose turns ask something. None when the text is no
    transcript (fewer than six turns, or no host and two others who speak twice)."""
    lines = text.split("\n")
    turns = {n: m for n, line in enumerate(lines) if (m := _TURN.match(line.strip()))}
    spoken: dict[str, list[str]] = {}
    for match in turns.values():
        spoken.setdefault(match["speaker"], []).append(match["said"])
    asking = {s: sum("?" in t for t in said) / len(said) for s, said in spoken.items() if len(said) >= 2}
    host = max(asking, key=asking.get, default="")
    if len(turns) < 6 or asking.get(host, 0) < 0.5 or sum(len(v) >= 2 for s, v in spoken.items() if s != host) < 2:
        return None
    first_names = {s.split()[0].lower() for s in spoken}
    titled = bool(lines[0].strip()) and 0 not in turns
    out = [f"# {lines[0].strip()}"] if titled else []
    topic = ""
    for n in range(int(titled), len(lines)):
        line, match = lines[n], turns.get(n)
        if match is None:
            out.append(line)
        elif match["speaker"] == host:
            said = [re.sub(rf"^(?:{'|'.join(map(re.escape, first_names))}),\s*", "", t, flags=re.IGNORECASE)
                    for t in re.split(r"(?<=[.!?])\s+", match["said"]) if t.strip(" ?.!,").lower() not in first_names]
            asked = " ".join([t for t in said if t.endswith("?")] or said)
            # "Tomasz, same question." points at a question it does not say: no heading rather than a wrong one.
            topic = asked[:1].upper() + asked[1:] if "?" in asked or len(asked.split()) > 3 else ""
        else:
            out += ["", f"## {match['speaker']}", *([f"### {topic}"] if topic else []), "", match["said"]]
    return "\n".join(out)


_PARENT_ITEM = re.compile(r"^[-*+][ \t]+(?P<name>[^\n.:;!?]{1,60}?)[ \t]*$")
_CHILD_ITEM = re.compile(r"^(?P<indent>[ \t]+)[-*+][ \t]+\S")


def list_headings(markdown: str) -> str:
    """A top-level list item that only names something ("- Scrum master") over indented items of its own ("  - Day
    to day: ...", "  - Typical pay: ...") is a heading, one level below the heading above it, with its items
    under it: a guide written as one nested list names its roles as another guide's headings do."""
    lines = markdown.split("\n")
    out: list[str] = []
    level = 1
    n = 0
    while n < len(lines):
        line = lines[n]
        if heading := _HEADING_LEVEL.match(line):
            level = len(heading.group(1))
        parent = _PARENT_ITEM.match(line)
        child = _CHILD_ITEM.match(lines[n + 1]) if parent and n + 1 < len(lines) else None
        if parent and child and len(parent["name"].split()) <= 6:
            out += ["", f"{'#' * min(level + 1, 6)} {parent['name']}", ""]
            indent = len(child["indent"])
            n += 1
            while n < len(lines) and (lines[n][:indent].isspace() or not lines[n].strip()) and lines[n][:1] != "#":
                if not lines[n].strip() and (n + 1 >= len(lines) or not lines[n + 1][:1].isspace()):
                    break
                out.append(lines[n][indent:] if lines[n][:indent].isspace() else lines[n])
                n += 1
            continue
        out.append(line)
        n += 1
    return "\n".join(out)


def strip_emphasis(markdown: str) -> str:
    """``**Definition:**`` -> ``Definition:``: emphasis markers are layout, and must never reach an answer."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), markdown)


def drop_boilerplate(text: str) -> str:
    """Remove comment-form trailers and copyright footers, and a title repeated on consecutive lines."""
    kept: list[str] = []
    for line in text.split("\n"):
        if _BOILERPLATE.match(line):
            continue
        if line.strip() and _last_content_line(kept) == line.strip():
            continue
        kept.append(line)
    return "\n".join(kept)


def _last_content_line(lines: list[str]) -> str | None:
    for line in reversed(lines):
        if line.strip():
            return line.strip()
    return None


_NOT_PROSE = re.compile(r"^\s*(#|\||```|~~~|>)")
_NEW_UNIT = re.compile(r"^\s*([-*+•]\s|\d{1,2}[.)]\s|#|\||```|~~~|>|[A-Z][^:\n]{0,40}:\s)")
"""A line that starts something of its own: a list item, heading, table row, code fence, quote or "Label: ..."."""
_BULLET_LINE = re.compile(r"^\s*([-*+•]|\d{1,2}[.)])\s+\S")
WRAPPED_WIDTH = 120
"""A text whose lines are at most about this long is written hard-wrapped; one with longer lines is not."""


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at (the 90th percentile of its prose lines' lengths), if it was."""
    lengths = sorted(len(line) for line in lines if line.strip() and not _NEW_UNIT.match(line))
    if len(lengths) < 8:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    return width if 40 <= width <= WRAPPED_WIDTH else None


def join_wrapped_lines(text: str) -> str:
    """A paragraph a writer wrapped at a fixed width ("responsible for a" / "fleet of around 300 databases") is one
    line again, so a sentence is never cut in two at a wrap. A line breaks inside a sentence when the next starts in
    lower case, when it is as long as the text's wrap width (it was wrapped), or when it continues a list item
    indented; a line that starts something of its own (a heading, list item, "Label: ...", table row, code) never
    joins, and a word hyphenated across the break ("year-" / "end") is one word again."""
    lines = text.split("\n")
    width = wrap_width(lines)
    out: list[str] = []
    fenced = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        last = out[-1] if out else ""
        joins = not fenced and last.strip() and line.strip() and not _NOT_PROSE.match(last) and not _NEW_UNIT.match(line) \
            and not last.rstrip().endswith(":") and (
                line[:1].islower() and re.search(r"[\w,)\-]$", last)
                or width is not None and len(last) >= 0.75 * width and not line[:1].isspace()
                or line[:1].isspace() and _BULLET_LINE.match(last) is not None)
        if joins:
            gap = "" if re.search(r"[A-Za-z]-$", last) and line.lstrip()[:1].islower() else " "
            out[-1] = f"{last.rstrip()}{gap}{line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


_SHORT_ITEM = re.compile(r"^[ \t]*[-*+•][ \t]+(?P<item>[^\n.:;!?]{1,60}?)[ \t]*$")


def inline_short_lists(text: str) -> str:
    """A list of short items under a lead-in ("You can get into this job through:" / "- a college course" / "- an
    apprenticeship") as one sentence, "You can get into this job through: a college course; an apprenticeship.",
    so that no item is ever quoted alone ("- working towards this role" means nothing without its lead-in)."""
    lines = text.split("\n")
    out: list[str] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        items: list[str] = []
        at = n + 1
        while at < len(lines) and not lines[at].strip() and not items:
            at += 1
        while at < len(lines) and (item := _SHORT_ITEM.match(lines[at])) and len(item["item"].split()) <= 6:
            items.append(item["item"])
            at += 1
        if line.rstrip().endswith(":") and not line.lstrip().startswith(("#", "|", "-", "*")) and len(items) >= 2 \
                and (at == len(lines) or not lines[at].strip()):
            out.append(f"{line.rstrip()} {'; '.join(items)}.")
            n = at
            continue
        out.append(line)
        n += 1
    return "\n".join(out)


def clean_text(text: str) -> str:
    text = normalize_unicode(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = inline_short_lists(join_wrapped_lines(drop_boilerplate(text)))
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
