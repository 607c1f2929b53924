"""The adviser-editable word list (``bot/data/vocabulary.toml``): aliases, role-name suffixes, question aspects.

Everything else careerchat knows about roles and fields it reads from the ingested guides' own headings.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import astuple, dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from bot.text import stem
from ingest.jobwords import work_form
from ingest.settings import IngestSettings

DEFAULT_VOCABULARY: Path = IngestSettings.model_fields["vocabulary"].default
_TOKEN = re.compile(r"[A-Za-z0-9+#]+")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,5}s")
_QUOTED = re.compile(r"(?<![\w'’])['\"“‘]([^'\"“”‘’\n]{3,80})['\"”’](?![\w'’])")


def stems_of(text: str) -> tuple[str, ...]:
    """Stemmed words with compounds split ("back-end" -> back, end) and "PMs" -> pm, for phrase matching."""
    return tuple(stem(w[:-1] if _PLURAL_ACRONYM.fullmatch(w) else w) for w in _TOKEN.findall(text))


def quoted_phrases(text: str) -> list[tuple[str, ...]]:
    """The stems of each phrase a text quotes ("what is a 'chief problem-finder'?"): the asker's copy of the
    guides' own words."""
    return [phrase for q in _QUOTED.findall(text) if (phrase := stems_of(q))]


def find_phrase(phrase: tuple[str, ...], words: tuple[str, ...]) -> int:
    """Position of ``phrase`` as a run of ``words`` (a ``GAP`` in it matching as in ``matches``), or -1."""
    if GAP in phrase:
        return next((start for start, _ in matches(phrase, words)), -1)
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == phrase:
            return i
    return -1


GAP = "..."
"""In a vocabulary phrase, up to ``MAX_GAP`` words of any kind: "how much does ... make" asks pay, whoever it names."""
MAX_GAP = 5


def matches(phrase: tuple[str, ...], words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``words``, as (start, end); a ``GAP`` element matches the shortest run it can."""
    if GAP not in phrase:
        n = len(phrase)
        return [(i, i + n) for i in range(len(words) - n + 1) if words[i:i + n] == phrase]
    at = phrase.index(GAP)
    found = []
    for start, end in matches(phrase[:at], words):
        rest = matches(phrase[at + 1:], words[end:end + MAX_GAP + len(phrase) - at - 1])
        if rest:
            found.append((start, end + rest[0][1]))
    return found


def _phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as stems, each "..." kept as a ``GAP``."""
    parts = [stems_of(part) for part in text.split(GAP)]
    return tuple(w for n, part in enumerate(parts) for w in ((GAP,) if n else ()) + part)


def _inside(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    return find_phrase(inner, outer) >= 0


@dataclass(frozen=True)
class Aspect:
    name: str
    phrases: tuple[tuple[str, ...], ...]
    stated: bool = False
    needs_figure: bool = False
    label: str = ""
    idioms: tuple[tuple[str, ...], ...] = ()
    """Phrases that use the aspect's words in another sense ("paid to worry" is what a job is for, not pay)."""
    counted: bool = False
    """Asks a figure of what the question itself names ("what percentage of technical writers freelance?"): stated
    by a sentence with a figure and the question's own words, not by the aspect's words."""
    synonyms: bool = False
    """Every word of the group names the same detail: a guide's "salaries" states what "earn" asks. Groups of
    several details ("remote", "travel", "night") are stated only in the question's own words."""
    stated_by: tuple[tuple[str, ...], ...] = ()
    """Words that state the detail in a guide without asking it in a question: "Junior DBAs typically earn £30,000"
    states starting pay, though "what does a junior DBA do?" asks none."""

    def in_words(self, words: tuple[str, ...]) -> bool:
        words = self._literal(words)
        return any(matches(p, words) for p in self.phrases)

    def spans(self, words: tuple[str, ...]) -> list[tuple[int, int]]:
        """Where each of the aspect's phrases occurs in ``words``, as (start, end)."""
        words = self._literal(words)
        return [span for p in self.phrases for span in matches(p, words)]

    def _literal(self, words: tuple[str, ...]) -> tuple[str, ...]:
        for idiom in self.idioms:
            while (at := find_phrase(idiom, words)) >= 0:
                words = words[:at] + ("",) + words[at + len(idiom):]
        return words

    def used_in(self, text: str) -> list[tuple[str, ...]]:
        """The group's phrases a text uses, longest first, without those inside a longer one."""
        words = self._literal(stems_of(text))
        found = sorted((p for p in self.phrases if matches(p, words)), key=len, reverse=True)
        return [p for n, p in enumerate(found) if not any(len(q) > len(p) and _inside(p, q) for q in found[:n])]


@dataclass(frozen=True)
class Vocabulary:
    aliases: tuple[tuple[tuple[str, ...], str], ...]
    role_suffixes: frozenset[str]
    role_nouns: frozenset[str]
    aspects: tuple[Aspect, ...]
    words: frozenset[str] = frozenset()
    """Every word the file writes, as written: what a misspelt question word is corrected to."""
    job_forms: frozenset[str] = frozenset()
    """The job words as written ("engineers", "designer"): "designing" shares a stem with "designer" but is a verb."""
    shorthand: tuple[tuple[str, str], ...] = ()
    """Chat shorthand and its words ("wat" -> "what", "ppl" -> "people")."""

    def spelled_out(self, text: str) -> str:
        """The text with each shorthand word written out, so "wat bout front end" asks what "what about front end"
        asks; a word of an abbreviation or a compound ("U.S.", "n-th") stays."""
        for short, full in self.shorthand:
            text = re.sub(rf"(?<![\w'’.-]){re.escape(short)}(?![\w'’-]|\.\w)", full, text, flags=re.IGNORECASE)
        return text

    @cached_property
    def work_stems(self) -> dict[str, str]:
        """A job noun's stem -> the stem of the work it does, where the two differ: "writer" -> "write", so
        "technical writing" names the technical writer."""
        works = {stem(w): stem(work) for w in self.job_forms if (work := work_form(w))}
        return {job: work for job, work in works.items() if job != work}

    @cached_property
    def fingerprint(self) -> str:
        """The same in every process for the same file (a repr of its frozensets is not): keys saved indexes."""
        content = [self.aliases, sorted(self.role_suffixes), sorted(self.role_nouns),
                   [astuple(a) for a in self.aspects]]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]

    def expand(self, text: str) -> str:
        """The text plus the guides' phrases for every alias it uses."""
        words = stems_of(text)
        extra = [target for phrase, target in self.aliases if find_phrase(phrase, words) >= 0]
        return f"{text} ({'; '.join(dict.fromkeys(extra))})" if extra else text

    @cached_property
    def aspect_stems(self) -> frozenset[str]:
        """Every word of every aspect phrase: a question's "earn" is understood even where no guide uses it."""
        return frozenset(w for a in self.aspects for phrase in a.phrases for w in phrase)

    def aspects_in(self, text: str) -> list[Aspect]:
        """The aspects a text asks about; one whose every match lies inside another aspect's longer phrase does
        not count ("job growth" asks about the job market, not about growing in a career)."""
        words = stems_of(text)
        spans = {a.name: a.spans(words) for a in self.aspects}

        def inside_another(name: str, start: int, end: int) -> bool:
            return any(other != name and o_start <= start and end <= o_end and end - start < o_end - o_start
                       for other, found in spans.items() for o_start, o_end in found)

        return [a for a in self.aspects
                if spans[a.name] and not all(inside_another(a.name, s, e) for s, e in spans[a.name])]


def parse(data: dict) -> Vocabulary:
    aliases = tuple(
        (stems_of(phrase), target) for phrase, targets in data.get("aliases", {}).items() for target in targets
    )
    suffixes = frozenset(stem(w) for w in data.get("role_suffixes", {}).get("words", []))
    nouns = suffixes | frozenset(stem(w) for w in data.get("role_nouns", {}).get("words", []))
    aspects = tuple(
        Aspect(name, tuple(_phrase(w) for w in spec.get("words", []) if stems_of(w)),
               bool(spec.get("stated") or spec.get("needs_figure")), bool(spec.get("needs_figure")),
               str(spec.get("label", "")), tuple(_phrase(w) for w in spec.get("idioms", []) if stems_of(w)),
               bool(spec.get("counted")), bool(spec.get("synonyms")),
               tuple(_phrase(w) for w in spec.get("stated_by", []) if stems_of(w)))
        for name, spec in data.get("aspects", {}).items()
    )
    written = [w for phrase, targets in data.get("aliases", {}).items() for text in (phrase, *targets)
               for w in _TOKEN.findall(text)]
    written += [w for group in ("role_suffixes", "role_nouns") for text in data.get(group, {}).get("words", [])
                for w in _TOKEN.findall(text)]
    written += [w for spec in data.get("aspects", {}).values() for text in spec.get("words", [])
                for w in _TOKEN.findall(text)]
    forms = frozenset(w.lower() for group in ("role_suffixes", "role_nouns")
                      for w in data.get(group, {}).get("words", []))
    shorthand = tuple((str(short).lower(), str(full)) for short, full in data.get("shorthand", {}).items())
    return Vocabulary(aliases, suffixes, nouns, aspects, frozenset(w.lower() for w in written), forms, shorthand)


class VocabularyError(ValueError):
    """The vocabulary file cannot be read; the message names the file and the problem."""


@lru_cache
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    try:
        return parse(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError, TypeError) as exc:
        raise VocabularyError(f"cannot read vocabulary file {path}: {exc}") from exc
