"""Word-level helpers shared by retrieval, refusal and citation checks (one tokenizer for all)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from ingest.chunking import sentence_spans
from ingest.stopwords import STOPWORDS

_WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*[a-z0-9+#]|[a-z0-9]", re.IGNORECASE)
_COMPOUND = re.compile(r"[/-]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())


def words(text: str) -> list[str]:
    """Lower-cased words; a typographic hyphen or range dash ("3–5 repos", "full‑stack") joins like "-"."""
    return [w.lower() for w in _WORD.findall(text.translate(_DASHES))]


def terms(text: str) -> list[str]:
    """Words, each compound ("product/platform", "full-stack") followed by its parts, so either spelling matches."""
    found = []
    for word in words(text):
        found.append(word)
        if _COMPOUND.search(word):
            found += [part for part in _COMPOUND.split(word) if part]
    return found


def content_stems(text: str) -> list[str]:
    """Stemmed terms that carry meaning (no stopwords), in order."""
    return [stem(w) for w in terms(text) if w not in STOPWORDS and len(w) > 1]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a passage, with the same rules as chunking."""
    return sentence_spans(text, 0, len(text))


# Words any career question uses; they say nothing about whether the corpus covers the topic.
GENERIC = frozenset(content_stems(
    "role roles job jobs career careers work working engineer engineers engineering become becoming good best better "
    "difference diff different differ compare comparison versus vs choose choice pick decide option options between "
    "typical typically day life someone person people kind type sort thing things need needs start starting "
    "should would could which what how way ways explain describe mean means tell about like sound sounds fit suit "
    "suits right wrong me my i am someone interested interest want know think also else more less lot lots "
    "question answer help please thanks thank hi hello hey come comes go goes make makes take takes look looks "
    "find give see use uses used usual usually often generally common commonly normally mostly main mainly "
    "focus focused spend spends involve involves involved expect expected enjoy actually exactly much many "
    "switch switching later eventually someday soon future worth true really folks guys second third former latter"
))


ACRONYM_STOPWORDS = frozenset({"IT", "US"})
"""Capitals that spell a stopword but in a career guide's heading mean information technology, the United States."""


def naming_stems(text: str) -> set[str]:
    """The words a title or a reference to it names a guide by: its content stems and its capitals that spell a
    stopword ("the IT guide" names "Career Paths in IT")."""
    return set(content_stems(text)) | {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", text) if w in ACRONYM_STOPWORDS}


def display_heading(heading: str) -> str:
    """An ALL-CAPS heading in sentence case for an answer's labels ("RELEASE MANAGER" -> "Release manager"); words
    of three letters or fewer that are not stopwords stay as written ("IT AUDITOR" -> "IT auditor"): acronyms."""
    if heading != heading.upper() or not any(c.isalpha() for c in heading):
        return heading
    words = [w if (bare := w.strip(",.;:()&/")) in ACRONYM_STOPWORDS or len(bare) <= 3 and bare.lower() not in STOPWORDS
             else w.lower() for w in heading.split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_CALENDAR = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())


def proper_nouns(question: str) -> list[str]:
    """Capitalised words that do not start a sentence ("Australia", "Google", "Unity") and acronyms ("CCIE", "CompTIA"): a
    question about a named place, company, person or credential the guides never mention is one they cannot
    answer. Role names are taken out before this runs; months and weekdays name no such thing."""
    found = []
    for sentence in re.split(r"(?<=[.!?:;])\s+", question):
        for word in re.findall(r"\b[A-Z][a-z]+[A-Z]{2,}s?\b|\b[A-Z]?[a-z]+\b|\b[A-Z]{3,}s?\b", sentence)[1:]:
            if word[0].isupper() and word.lower() not in STOPWORDS and word.lower() not in _CALENDAR:
                found.append(word)
    return found
