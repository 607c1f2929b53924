"""Role attribution: each labelled part of an answer cites only passages about the role its label names.

Read from the answer text, so it works for any system: a ``**Label**`` line opens a part, and a
"How to decide" line ``- Label: ...`` is its own part. A label that names a role (as the guides' catalog
knows it) must match the role heading of every passage its sentences cite; a label that names no role
(a topic such as "Portfolio blueprint") must be the cited passage's role, a heading on its section path, or the
title of its guide (the heading above every passage: the answerer shows a passage under no heading but its field
with its guide's title).
The rule is ``RoleCatalog.fits``; the extractive answerer labels its parts with it, so for that answerer this holds
by construction; for an LLM it is a real check.
"""

from __future__ import annotations

import re

from bot.catalog import RoleCatalog
from bot.markers import MARKER, normalize
from evals.records import CitedPassage

_PART = re.compile(r"^\s*\*\*(?P<label>[^*]+?)\*\*\s*$")
_DECIDE_LINE = re.compile(r"^\s*[-*•]\s+(?P<label>[^:\[\]]{1,60}):\s")


def attribution_pairs(answer: str, citations: dict[int, CitedPassage], catalog: RoleCatalog) -> list[tuple[str, int, bool]]:
    """(part label, citation number, consistent) for every marker under a labelled part."""
    pairs: list[tuple[str, int, bool]] = []
    label: str | None = None
    for line in normalize(answer).split("\n"):
        part = _PART.match(line)
        if part:
            label = part["label"].strip()
            continue
        decide = _DECIDE_LINE.match(line) if label and label.lower() == "how to decide" else None
        line_label = decide["label"].strip() if decide else label
        if not line_label:
            continue
        for n in (int(m) for m in MARKER.findall(line)):
            if n in citations:
                pairs.append((line_label, n, catalog.fits(line_label, citations[n].role, citations[n].section, citations[n].title)))
    return pairs
