"""Citation markers as real models write them, rewritten to the one form the rest of careerchat reads: ``[n]``.

Models asked for ``[n]`` also write ``[1][2]``, ``[1, 2]``, ``[1-3]``, ``【1】``, ``(Source 1)`` or
``[Passage 2]``; reading only ``[n]`` would count their cited sentences as uncited.
"""

from __future__ import annotations

import re

_NUMBERS = r"\d+(?:\s*(?:[-–]|,|&|and)\s*\d+)*"
_NAME = r"(?:sources?|passages?|docs?|documents?|refs?|references?|citations?)\s*#?\s*"
_STYLES = re.compile(
    rf"\[\s*(?:{_NAME})?({_NUMBERS})\s*\]"  # [1] [1, 2] [1-3] [Source 1]
    rf"|【\s*(?:{_NAME})?({_NUMBERS})\s*】"  # 【1】
    rf"|\(\s*{_NAME}({_NUMBERS})\s*\)",  # (Source 1) — a bare "(1)" is left alone: it is often a list item
    re.IGNORECASE,
)
MARKER = re.compile(r"\s*\[(\d+)\]")
"""The canonical marker, after ``normalize``."""
MAX_RANGE = 20
"""A range wider than this ("[1-300]") is not a citation list; its end points are kept."""


def numbers(listed: str) -> list[int]:
    """``"1, 3-5"`` -> [1, 3, 4, 5]: ranges expanded, order kept, repeats dropped."""
    found: list[int] = []
    for part in re.split(r"\s*(?:,|&|and)\s*", listed):
        ends = [int(n) for n in re.split(r"\s*[-–]\s*", part) if n]
        if len(ends) == 2 and 0 <= ends[1] - ends[0] <= MAX_RANGE:
            ends = list(range(ends[0], ends[1] + 1))
        found += ends
    return list(dict.fromkeys(found))


def normalize(text: str) -> str:
    """Every marker style rewritten as adjacent ``[n]`` markers."""
    def canonical(match: re.Match[str]) -> str:
        listed = next(g for g in match.groups() if g is not None)
        return "".join(f"[{n}]" for n in numbers(listed))

    return _STYLES.sub(canonical, text)


def find(text: str) -> list[int]:
    """The passage numbers a text cites, in order of first use."""
    return list(dict.fromkeys(int(n) for n in MARKER.findall(normalize(text))))


def strip(text: str) -> str:
    """The text without its markers."""
    return MARKER.sub("", normalize(text)).strip()
