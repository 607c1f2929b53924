"""Numbers as values, so "seven" matches "7", "1,200" matches "1200" and "$1.5 million" matches "1,500,000".

A judge that compares digit strings flags faithful answers that spell a number out and misses none of the
invented ones; one that reads list numbering ("1.") or the answer's own length ("84 words") as facts
flags answers for their formatting.
"""

from __future__ import annotations

import re

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_WORD_NUMBER = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.])(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d|[.,]\d)"
    rf"|(?P<words>(?:{_WORD_NUMBER})(?:[- ](?:{_WORD_NUMBER}))?))"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|k|m)\b)?"
    rf"(?!\s*(?:words?|sentences?|paragraphs?|bullet points?)\b)",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:\(?\d+[.)]|[-*•])\s+", re.MULTILINE)


def _word_value(text: str) -> int:
    total = 0
    for part in re.split(r"[- ]", text.lower()):
        total += _UNITS.get(part, 0) + _TENS.get(part, 0)
    return total


def values(text: str) -> set[float]:
    """Every number the text states, as a value; list numbering and word counts are not statements."""
    found: set[float] = set()
    for match in _NUMBER.finditer(_LIST_ITEM.sub("", text)):
        if match["digits"]:
            value = float(match["digits"].replace(",", ""))
        else:
            if match["words"].lower() in ("one", "zero"):  # "one of the", "at zero cost": rarely a quantity
                continue
            value = float(_word_value(match["words"]))
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        found.add(round(value, 6))
    return found


def unsupported(claim: str, source: str) -> set[float]:
    """Values the claim states that the source never does."""
    return values(claim) - values(source)
