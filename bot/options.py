"""The options a comparison weighs that no guide describes ("data engineer or database administrator?"): the
answer covers the roles it can and says which one it cannot, rather than silently dropping an option."""

from __future__ import annotations

import re

from bot.catalog import Mention, replace_roles
from bot.text import GENERIC, STOPWORDS, stem
from bot.vocabulary import Vocabulary

_MARK = "\x1f"
_WORD = r"[A-Za-z][\w+#-]*"
_ARTICLE = r"(?:(?:an?|the)\s+)?"
_OR = (r"(?:\s*,)?\s+(?:or|vs\.?|versus|(?:the\s+)?same(?:\s+(?:thing|job|role))?\s+as|different\s+(?:from|than|to))"
       r"\s+(?P<article>(?:an?|the)\s+)?")
""""X or Y", "X vs Y", "is X the same as Y?", "how is X different from Y?"."""
_AFTER = re.compile(rf"{_MARK}{_OR}(?P<option>(?:{_WORD}\s+){{0,2}}{_WORD})", re.IGNORECASE)
_BEFORE = re.compile(rf"(?P<option>(?:{_WORD}\s+){{0,3}}{_WORD}){_OR}{_MARK}", re.IGNORECASE)
_JOIN = r"\s+(?:and|with|to|against)\s+"
_BETWEEN = re.compile(rf"\b(?:between|compar\w*)\s+{_ARTICLE}(?:{_MARK}{_JOIN}{_ARTICLE}(?P<after>(?:{_WORD}\s+){{0,2}}{_WORD})|"
                      rf"(?P<before>(?:{_WORD}\s+){{0,2}}{_WORD}){_JOIN}{_ARTICLE}{_MARK})", re.IGNORECASE)
""""between X and Y", "compare X with Y"."""


def qualifies(word: str) -> bool:
    """A word that can qualify a job noun ("database", "UX"): no function word unless an acronym."""
    return (word.lower() not in STOPWORDS or (len(word) > 1 and word.isupper())) and stem(word) not in GENERIC


def _title(words: list[str], vocabulary: Vocabulary, first: bool) -> str:
    """The job title at the start (``first``) or end of ``words``: a job noun with the words qualifying it ("a
    database administrator"); a bare job noun names a field, not an option ("engineer or designer?")."""
    forms = vocabulary.job_forms
    if first:
        end = next((i for i, w in enumerate(words) if w.lower() in forms), -1)
        title = words[:end + 1] if end >= 0 and all(qualifies(w) for w in words[:end]) else []
    else:
        title = [words[-1]] if words and words[-1].lower() in forms else []
        for word in reversed(words[:-1]):
            if not title or not qualifies(word):
                break
            title.insert(0, word)
    return " ".join(title) if len(title) > 1 else ""


def _stranger(word: str, known: frozenset[str]) -> str:
    """A word the guides never use, after "a"/"an": a job of its own ("a nurse")."""
    return word if stem(word) not in known and qualifies(word) else ""


def uncovered_options(asked: str, named: list[Mention], vocabulary: Vocabulary, known: frozenset[str]) -> list[str]:
    """Job titles a question sets against a role the guides name ("UX researcher vs UX designer", "is a nurse or a
    QA engineer less stressful?"): a job noun with the words before it, or a word the guides never use (``known``:
    their stems) after "a"/"an". Roles the catalog knows are ``named`` and never an option here."""
    if not named:
        return []
    text = replace_roles(asked, named, _MARK)
    found = []
    for match in _AFTER.finditer(text):
        words = match["option"].split()
        found.append(_title(words, vocabulary, first=True) or (_stranger(words[0], known) if match["article"] else ""))
    for match in _BEFORE.finditer(text):
        words = match["option"].split()
        found.append(_title(words[-3:], vocabulary, first=False) or (
            _stranger(words[-1], known) if len(words) > 1 and words[-2].lower() in ("a", "an") else ""))
    for match in _BETWEEN.finditer(text):
        found.append(_title((match["after"] or "").split(), vocabulary, first=True) if match["after"]
                     else _title(match["before"].split(), vocabulary, first=False))
    return [t for t in dict.fromkeys(found) if t and _MARK not in t]
