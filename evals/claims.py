"""The claims of an answer: its sentences that say something about the world, each with the passages it cites.

LLM answers open with sentences about the task or the sources ("Based on the provided passages, here is the
answer:"), close with courtesies and say what the sources lack; none of those can be supported by a passage,
so judging them would flag faithful answers. Headings, part labels and list numbering are not claims either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.citations import is_framing, split_claims
from bot.markers import normalize
from bot.text import content_stems, stem

_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*:?\s*$|[A-Z][^.!?]{0,60}:\s*$)")
_SOURCE_WORDS = r"(?:provided |given |above |following |retrieved )?(?:passages?|sources?|context|information|articles?|documents?|texts?|excerpts?|guides?|corpus|news|data)"
_LEAD_IN = re.compile(
    rf"^(?:(?:based on|according to|as (?:stated|mentioned|described|noted) in|from|per|in) (?:the |these |this )?"
    rf"(?:(?:passages?|sources?|documents?|articles?) \d+|{_SOURCE_WORDS})(?: provided| given| above)?,?\s*"
    rf"|(?:the |these |this )?{_SOURCE_WORDS} (?:\d+ )?(?:mentions?|states?|says?|notes?|explains?|indicates?|suggests?|"
    rf"reports?|describes?|shows?)(?: that)?,?\s*)",
    re.IGNORECASE,
)
_ABSENCE = re.compile(
    rf"\b(?:{_SOURCE_WORDS})\b.*\b(?:not|no|n't|nor|neither|without)\b.*\b(?:mention|provide|contain|include|say|state|"
    rf"specif|give|address|discuss|offer|cover)|\b(?:not|no)\b.*\b(?:mentioned|provided|specified|stated|available|given)\b.*"
    rf"\b(?:{_SOURCE_WORDS})\b|\bno (?:specific |further )?information\b",
    re.IGNORECASE,
)
META_STEMS = frozenset(stem(w) for w in """passage passages source sources context information provided provide given
    based answer answers question questions summary summarize summarized summarizing following here hope helps help
    note article document text excerpt response query sure certainly happy assist key points point overview below
    above brief briefly mentioned mention mentions please let further details detail additional regarding topic
    clarification clarify""".split())


@dataclass(frozen=True)
class Claim:
    text: str
    """The sentence without markers, list numbering or a lead-in about the sources."""
    markers: tuple[int, ...]
    sentence: str
    """The sentence as written (markers removed): what a human annotator's span is found in."""


def is_meta(sentence: str) -> bool:
    """A sentence about the task, the sources or the answer itself, not about the world."""
    if _ABSENCE.search(sentence):
        return True
    stems = content_stems(_LEAD_IN.sub("", sentence.strip()))
    return not stems or all(s in META_STEMS for s in stems) or (
        sentence.rstrip().endswith(":") and sum(s not in META_STEMS for s in stems) <= 2)


def extract(answer: str) -> list[Claim]:
    """Every claim of an answer, in order."""
    found: list[Claim] = []
    for line in normalize(answer).split("\n"):
        if not line.strip() or is_framing(line) or _HEADING.match(line):
            continue
        for sentence, markers in split_claims(line)[1]:
            if sentence and not is_meta(sentence):
                found.append(Claim(_LEAD_IN.sub("", sentence).strip(), tuple(markers), sentence))
    return found
