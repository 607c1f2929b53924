"""Word-level helpers shared by retrieval, refusal and citation checks (one tokenizer for all)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from ingest.chunking import sentence_spans

_WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*[a-z0-9+#]|[a-z0-9]", re.IGNORECASE)
_COMPOUND = re.compile(r"[/-]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers him
    his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you your
    yours yourself tell know want like get got really also much many one two may might must shall us let lets
    im i'm i'd i've id ive youre you're it's thats that's whats what's s t don't dont""".split()
)
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
