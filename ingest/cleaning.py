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


def atx_headings(markdown: str) -> str:
    """Every heading written as ``#`` lines: an underlined (setext) one (``Title`` over ``=====``, ``Section`` over
    ``-----``) becomes ``#``/``##``, and a decoration before a heading's words (``### >> Privacy Analyst``) goes, so
    the headings, and the roles and fields they name, read as any other guide's. Code blocks stay as written; a
    ``---`` after a blank line is a rule, not a heading."""
    lines = markdown.split("\n")
    out: list[str] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        underline = None if fenced else _SETEXT.match(line)
        if underline and out and out[-1].strip() and not out[-1].lstrip().startswith(("#", "-", "*", "+", ">", "|")) \
                and len(underline.group(1)) >= 3:
            out[-1] = f"{'#' if underline.group(1)[0] == '=' else '##'} {out[-1].strip()}"
            continue
        out.append(line if fenced else _ATX.sub(r"\1 ", line))
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


def clean_text(text: str) -> str:
    text = normalize_unicode(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = drop_boilerplate(text)
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
