"""Misspelt role and aspect words ("data scientst", "fronted enginer", "salry"), corrected before retrieval.

A typo in a role name makes the catalog miss the role and the refusal step count an unknown word, so the
question is answered about the wrong role or refused. Only words close to the guides' own role headings and the
vocabulary file's words are corrected, never towards any corpus word: "lawyer" must stay a lawyer (and be
refused), not become "layer". A word of the English dictionary is no typo: "insurance" is not "assurance",
"computer" not "compete", "draining" not "training" (pyspellchecker's word list, read at the first near match).
Two letters swapped ("prodcut") are one edit, as typing makes them (optimal string alignment distance).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from spellchecker import SpellChecker

from bot.text import STOPWORDS, stem

MIN_LENGTH = 5
"""Shorter words have too many neighbours one edit away ("dose", "role", "rule")."""
_WORD = re.compile(r"[A-Za-z]+")


@cache
def english() -> frozenset[str]:
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class Speller:
    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted({w.lower() for w in words if len(w) >= MIN_LENGTH - 1 and w.isalpha()})
        self._known = set(self.words)

    def fix(self, word: str) -> str | None:
        """The closest known word, when one is within the edit limit and no other is as close."""
        low = word.lower()
        if len(low) < MIN_LENGTH or low in self._known or low in STOPWORDS:
            return None
        found = process.extract(low, self.words, scorer=OSA.distance, score_cutoff=max_edits(low), limit=None)
        closest = [w for w, d, _ in found if d == found[0][1]] if found else []
        if len(closest) > 1:  # "analyts": a swap from "analyst", an insertion from "analysts"; plain edits decide
            plain = sorted((Levenshtein.distance(low, w), w) for w in closest)
            closest = [w for d, w in plain if d == plain[0][0]]
        if len(closest) != 1 or low in english():
            return None
        return closest[0]

    def correct(self, text: str, corpus_stems: frozenset[str] = frozenset()) -> str:
        """``text`` with each misspelt word replaced; a word the corpus uses (its stem) is never touched."""
        def replace(match: re.Match) -> str:
            word = match.group(0)
            if stem(word) in corpus_stems:
                return word
            fixed = self.fix(word)
            return word if fixed is None else (fixed.capitalize() if word[:1].isupper() else fixed)

        return _WORD.sub(replace, text)
