"""Figure questions ("what share of DBA jobs are in education?"): what they count, and which sentences give it.

The refusal policy asks whether a passage about the role gives the figure; the extractive answer puts the
sentences that give it first.
"""

from __future__ import annotations

import re
from itertools import takewhile

from bot.models import Passage
from bot.text import GENERIC, STOPWORDS, content_stems, sentences, stem
from bot.text import words as split_words
from bot.vocabulary import Aspect, find_phrase, stems_of

_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve dozen dozens hundred
    hundreds thousand thousands million millions half majority""".split())
"""A count written in words is a figure of what follows it ("one primary language"), not of "one box"."""
STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)
_EMBEDDING = frozenset(stem(w) for w in "on of about at in for to with track watch monitor see check".split())
_HEADCOUNT = frozenset(stem(w) for w in "people persons workers employees professionals staff jobs positions".split())
_HOW_MANY = (stem("how"), stem("many"))
_UNITS = frozenset(stem(w) for w in "days weeks months years hours minutes".split())
"""Units a question counts ("how many days would I be on site?"), though "day" alone asks nothing ("a day in the
life")."""
HEADCOUNT = "#headcount"
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{5,}\b")


def asks_whether(question: str, aspect: Aspect) -> bool:
    """Every use of a figure phrase is the object of a clause ("keep an eye on how many people hit the site"):
    the question asks whether, not how many."""
    words = stems_of(question)
    spans = aspect.spans(words)
    return bool(spans) and all(start > 0 and words[start - 1] in _EMBEDDING for start, _ in spans)


def counted(asking: str, phrases: list[tuple[str, ...]]) -> set[str]:
    """What a figure question counts, read from the sentences that ask (not the story around them: "I do IT at a
    university"): the words right after its phrase ("how many programming languages do I need"), else every
    concept it names ("what percentage of them are freelancers?"), else what its phrase itself asks ("how old are
    most SREs?": an age); nothing for a count of the role itself ("how many data engineers are there?"), which any
    figure in a passage about the role states; ``HEADCOUNT`` for how many people or jobs it has ("how many people
    work as support specialists?"), which only a count in thousands states."""
    words = stems_of(asking)
    for phrase in phrases:
        at = find_phrase(phrase, words)
        after = list(takewhile(lambda w: w not in STOP_STEMS, words[at + len(phrase):] if at >= 0 else ()))[:3]
        if after and set(after) <= _HEADCOUNT and phrase == _HOW_MANY:
            return {HEADCOUNT}
        found = {w for w in after if w not in GENERIC or w in _UNITS}
        if found:
            return found
    said = {w for p in phrases for w in p}
    return {s for s in content_stems(asking) if s not in GENERIC and s not in said} or {
        w for w in said if w not in STOP_STEMS and w not in GENERIC}


def gives_figure(sentence: str, concepts: set[str]) -> bool:
    """The sentence gives a figure of what the question names: at least half its concepts beside a number (a
    heading's words do not count: "QA / Test Automation Engineers" gives no share of automated testing)."""
    if concepts == {HEADCOUNT}:
        return bool(_THOUSANDS.search(sentence))
    if 2 * len(concepts & set(content_stems(sentence))) < len(concepts):
        return False
    words = split_words(sentence.lower())
    return any(c.isdigit() for c in sentence) or any(
        w in _NUMBER_WORDS and concepts & {stem(x) for x in words[i + 1:i + 3]} for i, w in enumerate(words))


def counts(passage: Passage, concepts: set[str]) -> bool:
    """A sentence of the passage gives the figure."""
    return any(gives_figure(passage.text[start:end], concepts) for start, end in sentences(passage.text))
