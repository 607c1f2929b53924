"""The roles the ingested guides name, read from their own headings, and how questions refer to them.

A role heading such as "Cloud engineer / DevOps engineer / SRE engineer" or "Product Managers (PMs)" gives
several names; each name's core ("devops", "pm") identifies the role, so "Backend Engineers", "Back end
engineer" and "Backend engineering" in three guides are one role. The vocabulary file adds the names people
use that no guide states (SRE = site reliability). Nothing here knows the seed guides.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.spelling import english
from bot.text import STOPWORDS, stem
from bot.vocabulary import Vocabulary, stems_of

_PARENS = re.compile(r"\(([^)]*)\)")
_ALSO_CALLED = re.compile(
    r"\b(?:also|sometimes|often|commonly) (?:called|known as|referred to as|titled) (?:an? |the )?"
    r"(?P<name>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,3}?)(?=[,.;:)]| and | or | who | which | usually | are | is )")
_ACRONYM = re.compile(r"(?P<words>(?:[A-Za-z][\w-]*\s+){2,6})\((?P<acronym>[A-Z]{2,6}s?)\)")
"""Words and the acronym a guide gives them in brackets: "search engine optimisation (SEO)"."""
_SPLIT = re.compile(r"\s*/\s*|\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*", re.IGNORECASE)
"""Between the names of a heading; "AND" too, since some guides write headings in capitals."""
ROLE_ARTICLE = re.compile(r"\b(an?|as|become|becoming|about|for|back to)\s+$|^\s*(and|or|ok|okay|now)\s+$", re.IGNORECASE)
"""Words before a bare field word that make it a role: "a QA", "back to security", and a turn that opens "and security?"."""
OPTION_JOIN = re.compile(r"\s*(,|/|&|\bor\b|\band\b|\bvs\.?|\bversus\b|\bthan\b)\s*(an?\s+|the\s+)?", re.IGNORECASE)


def role_names(heading: str, suffixes: frozenset[str], nouns: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Stemmed names in a role heading; a shared job-word is distributed ("AI/GenAI engineering", "Web and Digital
    Interface Designers" -> web designers), and so is a shared first word ("Database Administrators and
    Architects" -> database architects)."""
    outside = _SPLIT.split(_PARENS.sub(" ", heading))
    parts = [stems_of(p) for p in outside if stems_of(p)]
    jobs = suffixes | nouns
    if len(parts) > 1 and parts[-1][-1] in jobs:
        parts = [p + (parts[-1][-1],) if len(p) == 1 and p[-1] not in jobs else p for p in parts]
    if len(parts) > 1 and len(parts[0]) > 1:
        parts = [parts[0][:-1] + p if len(p) == 1 and p[0] in nouns else p for p in parts]
    parts += bracketed_names(heading)
    return [p for p in dict.fromkeys(parts) if not all(w in STOPWORDS for w in p)]


def bracketed_names(heading: str) -> list[tuple[str, ...]]:
    """Names in a heading's brackets: "Product Managers (PMs)" -> pm; "Cybersecurity (AppSec/Cloud/SOC)" -> its
    specialisations."""
    inside = [p for group in _PARENS.findall(heading) for p in re.split(r"[/,]", group)]
    return [stems_of(p) for p in inside if 0 < len(stems_of(p)) <= 3 and not any(c.isdigit() for c in p)]


def core(name: tuple[str, ...], suffixes: frozenset[str]) -> tuple[str, ...]:
    """The name without a trailing job-word: ("mobil", "develop") -> ("mobil",)."""
    trimmed = name
    while len(trimmed) > 1 and trimmed[-1] in suffixes:
        trimmed = trimmed[:-1]
    return trimmed


def key(words: tuple[str, ...]) -> str:
    return "".join(words)


@dataclass(frozen=True)
class Mention:
    """A role as a text names it: ``label`` as written, ``keys`` the role identity it matched."""

    label: str
    keys: frozenset[str]


def about_only(roles: frozenset[str], option: Mention, options: list[Mention]) -> bool:
    """A passage about this compared option and none of the others. Such passages come first for the option:
    a shared "X / Y" heading cannot tell the options apart."""
    return bool(roles & option.keys) and not any(roles & o.keys for o in options if o is not option)


def other_names(text: str, heading: str = "") -> list[str]:
    """Names a guide gives a role in its own words: "support specialists, also called help-desk technicians", and
    the heading with an acronym the text spells out in place of its words ("search engine optimisation (SEO)
    analyst" under "Search Engine Optimisation Analyst": "SEO analyst")."""
    found = [m["name"] for m in _ALSO_CALLED.finditer(text)]
    named = stems_of(heading)
    for match in _ACRONYM.finditer(text):
        letters = match["acronym"].rstrip("s")
        spelled = stems_of(" ".join(match["words"].split()[-len(letters):]))
        at = next((i for i in range(len(named) - len(spelled) + 1) if named[i:i + len(spelled)] == spelled), -1)
        if len(spelled) == len(letters) and "".join(w[0] for w in spelled) == letters.lower() and at >= 0:
            words = heading.split()
            found.append(" ".join([*words[:at], letters, *words[at + len(spelled):]]))
    return found


_POSSESSED = re.compile(r"\b(my|our|his|her|their)\s+$", re.IGNORECASE)
"""A bare job word someone has ("my manager thinks I should apply") is a person in the asker's life, not a role
asked about; a full name ("my product manager") still names its role."""


@dataclass
class RoleCatalog:
    headings: list[str]
    vocabulary: Vocabulary
    also_called: dict[str, list[str]] = field(default_factory=dict)
    """Extra names per role heading, read from the guides' text."""
    groups: list[str] = field(default_factory=list)
    """Headings that hold several roles ("Data & AI", "QA and Security"): the fields the roles work in."""
    heading_keys: dict[str, frozenset[str]] = field(init=False)
    _phrases: dict[tuple[str, ...], frozenset[str]] = field(init=False)
    _aliases: dict[tuple[str, ...], frozenset[str]] = field(init=False)
    _compounds: frozenset[tuple[str, ...]] = field(init=False)
    """Names written with an alias for their ending ("technical PM"): they name that role alone, not the alias's."""
    _tails: dict[str, frozenset[str]] = field(init=False)
    """One-word ends of longer names ("science" of "data science") that are no name or core themselves, and the
    other words of those names: after a word of the text's own ("computer science", "rocket science") they name that
    other thing, not the role; after a shortened word of the name ("product ops managers") they are still its end."""
    _surfaces: dict[str, frozenset[str]] = field(init=False)
    """A one-word name that is only part of a heading ("designers" of "Product Designers") must be written as the
    heading writes it: the stem alone would also match "schema design" or "manage orchestration"."""
    _group_words: set[tuple[str, ...]] = field(init=False)
    _fields: frozenset[str] = field(init=False)
    """The words of the group headings: a bare one of them names the field unless it is used as a role."""
    _job_nouns: frozenset[str] = field(init=False)
    """Job nouns that follow a field without being its role ("manager" of "site reliability manager")."""
    _job_words: frozenset[str] = field(init=False)
    """Words that end a job's name: job nouns and role suffixes ("specialist", "engineer")."""

    def __post_init__(self) -> None:
        suffixes = self.vocabulary.role_suffixes
        self._job_nouns = self.vocabulary.role_nouns - suffixes
        self._job_words = self.vocabulary.role_nouns | suffixes
        self.heading_keys = {}
        names: dict[tuple[str, ...], set[str]] = {}
        roles_of: dict[tuple[str, ...], set[str]] = {}
        """Every key of the headings a name comes from: "QA tester" and "QA" of one heading are one role."""
        named = {h: role_names(h, suffixes, self.vocabulary.role_nouns) for h in dict.fromkeys(self.headings)}
        bracketed = {h: set(bracketed_names(h)) for h in named}
        main = {h: {key(core(n, suffixes)) for n in found if n not in bracketed[h]} for h, found in named.items()}
        owners: dict[str, list[str]] = {}
        for heading, keys in main.items():
            for k in keys:
                owners.setdefault(k, []).append(heading)
        for heading, found in named.items():
            # A bracketed name that is another role's own name ("Cloud" of "Cybersecurity (AppSec/Cloud/SOC)" beside
            # "Cloud engineer") is a specialisation, not this role's name: it would make the two roles one.
            found = [n for n in found if n not in bracketed[heading] or not any(
                not main[other] & main[heading] for other in owners.get(key(core(n, suffixes)), []))]
            self.heading_keys[heading] = frozenset(key(core(n, suffixes)) for n in found)
            for name in found:
                names.setdefault(name, set()).add(key(core(name, suffixes)))
                roles_of.setdefault(name, set()).update(self.heading_keys[heading])
            for extra in self.also_called.get(heading, []):
                # The guide's other name identifies the same role: it maps to the heading's own keys.
                names.setdefault(stems_of(extra), set()).update(self.heading_keys[heading])
        phrases: dict[tuple[str, ...], set[str]] = {}
        led: set[tuple[str, ...]] = set()
        """Fields a job noun follows ("site reliability" of "site reliability manager"): the manager's name, not
        the field's, so an alias for the field ("SRE" = "site reliability") does not name the manager."""
        cores = {core(name, suffixes) for name in names}
        name_words = {w for name in names for w in name}
        self._tails = {}
        for name in names:
            if len(name) >= 2 and name[-1:] not in cores and name[-1:] not in names:
                self._tails[name[-1]] = self._tails.get(name[-1], frozenset()) | set(name[:-1])
        for name, keys in names.items():
            trimmed = core(name, suffixes)
            # A name, its core ("backend") and its tails ("network architect" of "computer network architect")
            # name the role, unless another role's name contains them ("data" in "data analyst").
            # A name that ends in a role noun also names its field by its other words ("product operations" of
            # "product operations manager"), when they are two words or more.
            fields = {name[:-1]} if len(name) >= 3 and name[-1] in self.vocabulary.role_nouns else set()
            led |= fields - set(names) - cores if name[-1] in self._job_nouns else set()
            # And by its work ("technical writing" of "technical writer", "IT audit" of "IT auditor"), unless a
            # name uses that word ("test automation engineer": "QA/test automation" is not "QA tester").
            work = self.vocabulary.work_stems.get(name[-1], "")
            works = {(*name[:-1], work)} if len(name) >= 2 and work and work not in name_words else set()
            for variant in {name, trimmed} | {name[i:] for i in range(1, len(name))} | fields | works:
                if variant != name and variant in names:
                    continue
                if variant and not all(w in STOPWORDS or w in suffixes for w in variant):
                    phrases.setdefault(variant, set()).update(keys)
        full = {n: k | roles_of.get(n, set()) for n, k in names.items()}
        phrases = {p: k for p, k in phrases.items()
                   if p in full or not any(_contains(o, p) and not (ok & k) for o, ok in full.items())}
        phrases = {p: k for p, k in phrases.items() if not (
            len(p) == 1 and p not in full and any(_contains(o, p) and o != p and not (full[o] & k) for o in full))}
        aliases: dict[tuple[str, ...], set[str]] = {}
        defined = {n for n in [*(n for found in bracketed.values() for n in found),
                               *(stems_of(n) for extra in self.also_called.values() for n in extra)] if n in full}
        for _ in range(2):  # an alias may point at another alias ("ds" -> "data science" -> "data scientist")
            known = {p: k for p, k in {**phrases, **aliases}.items() if p not in led}
            for phrase, target in self.vocabulary.aliases:
                words = stems_of(target)
                keys = {k for m in self._qualified(words, self._match(words, known)) for k in m[2]}
                if keys:
                    aliases.setdefault(phrase, set()).update(keys)
        # A guide's own short name wins: its "Technical program manager (TPM)" is what "TPM" means there.
        aliases = {p: k for p, k in aliases.items() if p not in defined or full[p] & k}
        compounds: dict[tuple[str, ...], set[str]] = {}
        for phrase, target in self.vocabulary.aliases:
            # A name with the alias in place of its ending: "technical PM" is the "technical product manager".
            words = stems_of(target)
            for name, keys in phrases.items():
                if len(name) > len(words) and name[-len(words):] == words:
                    compounds.setdefault(name[:-len(words)] + phrase, set()).update(keys)
        # A two-word name written as one word ("fullstack" for "full-stack", "frontend" for "front end").
        self._one_word = {name[:2]: stem(name[0] + name[1]) for name in phrases
                          if len(name) >= 2 and name[0].isalpha() and name[1].isalpha()}
        joined = {(self._one_word[name[:2]], *name[2:]): keys for name, keys in phrases.items()
                  if name[:2] in self._one_word}
        for phrase, keys in [*aliases.items(), *compounds.items(), *joined.items()]:
            phrases.setdefault(phrase, set()).update(keys)
        self._compounds = frozenset(compounds)
        self._group_words = {tuple(w for w in stems_of(g) if w not in STOPWORDS) for g in self.groups}
        self._fields = frozenset(w for words in self._group_words for w in words)
        self._phrases = {p: frozenset(k) for p, k in phrases.items()}
        self._aliases = {p: frozenset(k) for p, k in aliases.items()}
        written = [w.lower().rstrip("s") for text in [*self.headings, *(n for v in self.also_called.values() for n in v)]
                   for w in re.findall(r"[A-Za-z0-9+#]+", text)]
        self._spelled = {stems_of(w)[0]: w for text in [*self.headings, *(n for v in self.also_called.values() for n in v)]
                         for w in re.findall(r"[A-Za-z]+", text)}
        self._surfaces = {
            p[0]: frozenset(w for w in written if stems_of(w) == p) for p in self._phrases
            if len(p) == 1 and p not in full and p not in aliases and p not in joined}

    def rejoined(self, text: str) -> str:
        """The text with a one-word name a heading writes ("DevOps", "DevRel") typed as two words ("dev ops", "dev
        rel") written as one again, so that retrieval and the catalog both read the role; "tech writer" stays."""
        tokens = list(re.finditer(r"[A-Za-z]{2,}", text))
        for first, second in reversed(list(itertools.pairwise(tokens))):
            joined = stem(first[0] + second[0])
            if text[first.end():second.start()].isspace() and joined in self._spelled and (joined,) in self._phrases \
                    and stems_of(f"{first[0]} {second[0]}") not in self._phrases:
                text = f"{text[:first.end()]}{text[second.start():]}"
        return text

    def mentions(self, text: str, as_role: bool = False) -> list[Mention]:
        """Roles a text names, in order of first mention; one mention per role identity. ``as_role``: the text is
        a role's name (an answer's part label), so a bare field word ("AI") names the role."""
        words = stems_of(text)
        spans = [m.span() for m in re.finditer(r"[A-Za-z0-9+#]+", text)]
        raw = [text[a:b] for a, b in spans]
        found: list[Mention] = []
        previous: tuple[int, int, int] | None = None
        """Character span and place in ``found`` of the latest mention: one written right after it and a "/"
        ("cloud/devops/sre") names the same area, the way headings do, not an option to compare."""
        matches = sorted(self._qualified(words, self._match(words, self._phrases)))
        for start, end, keys in matches:
            surfaces = self._surfaces.get(words[start]) if end - start == 1 and len(raw) == len(words) else None
            if surfaces is not None and raw[start].lower().rstrip("s") not in surfaces:
                continue
            if not as_role and end - start == 1 and len(raw) == len(words) \
                    and self._field_word(text, words, spans, matches, start):
                continue
            if end - start == 1 and len(raw) == len(words) and self._qualified_tail(text, words, spans, matches, start):
                continue
            if not as_role and end - start == 1 and len(raw) == len(words) \
                    and _POSSESSED.search(text[:spans[start][0]]):
                continue
            if len(raw) == len(words) and self._qualifies_next(text, words, spans, matches, end):
                continue
            if end - start == 1 and end < len(raw) == len(words) and raw[end].isdigit() \
                    and not text[spans[start][1]:spans[end][0]].strip():
                continue  # "SOC 2", "Web 3": a standard or a version, not the role its word names
            # "machine learning engineer" is also what the alias "machine learning" = "ML" names; a "site reliability
            # manager" (a job noun after the field) leads SREs and is not one.
            if words[start:end] not in self._compounds and words[end - 1] not in self._job_nouns:
                keys = keys.union(*(k for a, k in self._aliases.items() if _contains(words[start:end], a)))
            if end < len(words) and words[end] in self.vocabulary.role_suffixes and (
                    len(raw) != len(words) or not text[spans[end - 1][1]:spans[end][0]].strip()):
                end += 1  # label "game dev", not "game"; not "architect, developer"
            label = text[spans[start][0]:spans[end - 1][1]] if len(raw) == len(words) else " ".join(words[start:end])
            here = (spans[start][0], spans[end - 1][1]) if len(raw) == len(words) else None
            if here and previous and text[previous[1]:here[0]].strip() == "/":
                at = previous[2]
                found[at] = Mention(text[previous[0]:here[1]], found[at].keys | keys)
                previous = (previous[0], here[1], at)
                continue
            same = [n for n, m in enumerate(found) if keys & m.keys or self._headings(keys) == self._headings(m.keys)]
            if same:  # "DS ... data scientists", "DevOps or SRE": one role to the guides, named twice
                first = found[same[0]]
                found[same[0]] = Mention(max(first.label, label, key=len), first.keys | keys)
            else:
                found.append(Mention(label, keys))
            previous = (*here, same[0] if same else len(found) - 1) if here else None
        return found

    def joins(self, written: frozenset[str]) -> dict[tuple[str, str], str]:
        """Two-word names that the guides also write as one word ("back end" / "backend"), with that word: for word
        matching to find either spelling. Only those: "data engineer" must still match "data"."""
        return {pair: one for pair, one in self._one_word.items() if one in written}

    def respelt(self, mentions: list[Mention]) -> list[Mention]:
        """The mentions with each misspelt word of their labels as the guides write it ("embeded" -> "embedded",
        found by its stem). Real words ("engineers", "dev") and acronyms ("SREs") stay as the asker wrote them."""
        def respell(match: re.Match) -> str:
            word = match.group()
            known = self._spelled.get(stems_of(word)[0], word)
            if known.lower() == word.lower() or not word[1:].islower() or word.lower() in english():
                return word
            return known.capitalize() if word[0].isupper() else known.lower()

        return [replace(m, label=re.sub(r"[A-Za-z]+", respell, m.label)) for m in mentions]

    def _field_word(self, text: str, words: tuple[str, ...], spans: list[tuple[int, int]], matches: list,
                    start: int) -> bool:
        """A bare word that is also a field's heading ("AI" of "Data & AI") names the field, not its role: "Is AI
        going to make jobs duller?", "the security team". It names the role after an article, "as" ("a QA") or
        "back to" ("back to security"), before a job-word, and as one option beside another role ("QA or security?")."""
        if words[start] not in self._fields or (start + 1 < len(words) and words[start + 1] in self.vocabulary.role_suffixes):
            return False
        before = text[:spans[start][0]]
        if ROLE_ARTICLE.search(before):
            return False
        for other, other_end, _ in matches:
            if other == start:
                continue
            first, last = (other, start) if other < start else (start, other_end - 1)
            ends = other_end if other_end < start and words[other_end] in self.vocabulary.role_suffixes else other_end - 1
            between = text[spans[ends][1]:spans[start][0]] if other < start else text[spans[start][1]:spans[other][0]]
            if OPTION_JOIN.fullmatch(between):  # "QA and security" is the field its heading names; "QA or security?"
                phrase = tuple(w for w in words[first:last + 1] if w not in STOPWORDS)
                return bool(re.search(r"\band\b|&", between)) and phrase in self._group_words
        return True

    def _qualified_tail(self, text: str, words: tuple[str, ...], spans: list[tuple[int, int]], matches: list,
                        start: int) -> bool:
        """A name's one-word end right after a word of the text's own that no match takes ("computer science")."""
        before = words[start - 1] if start else ""
        if words[start] not in self._tails or before in STOPWORDS or before.isdigit():
            return False
        if any(a <= start - 1 < b for a, b, _ in matches) or text[spans[start - 1][1]:spans[start][0]] != " ":
            return False
        return before not in self.vocabulary.role_nouns and not any(w.startswith(before) for w in self._tails[words[start]])

    def _qualifies_next(self, text: str, words: tuple[str, ...], spans: list[tuple[int, int]], matches: list,
                        end: int) -> bool:
        """A field's name written right before a role's full name says which kind of that role: "(computer) network
        support specialists" are support specialists, not network architects. A name ending in a job word is a
        role of its own; a bare job noun after it ("security analyst") is no known kind of anything."""
        return words[end - 1] not in self._job_words and any(
            start == end and stop - start > 1 and words[stop - 1] in self._job_words
            and text[spans[end - 1][1]:spans[end][0]] == " " for start, stop, _ in matches)

    def _headings(self, keys: frozenset[str]) -> frozenset[str]:
        """The role headings a set of keys is about: two names the guides always put under the same headings
        are one role to them."""
        return frozenset(h for h, k in self.heading_keys.items() if k & keys)

    def keys_of(self, heading: str) -> frozenset[str]:
        if heading in self.heading_keys:
            return self.heading_keys[heading]
        words = self.vocabulary
        return frozenset(key(core(n, words.role_suffixes)) for n in role_names(heading, words.role_suffixes, words.role_nouns))

    def is_about(self, heading: str, mention: Mention) -> bool:
        return bool(self.keys_of(heading) & mention.keys) if heading else False

    def fits(self, label: str, role: str, section: str, title: str) -> bool:
        """May a part labelled ``label`` show a passage with this role heading, section path and guide title?
        Its own heading or title ("Data & AI", "Skills that help in every path"), or a name that read alone names
        its role. One rule for the answerer that labels parts and the eval that checks an answer's labels."""
        wanted = label.strip().lower()
        if wanted == role.lower() or wanted in [s.strip().lower() for s in section.split(" > ")] + [title.lower()]:
            return True
        return any(self.is_about(role, m) for m in self.mentions(label, as_role=True))

    def _qualified(self, words: tuple[str, ...], matches: list[tuple[int, int, frozenset[str]]]
                   ) -> list[tuple[int, int, frozenset[str]]]:
        """Matches without a bare job noun that a job-word qualifies: the "manager" of "engineering manager" is
        another role than the managers whose names end in it."""
        taken = {i for start, end, _ in matches for i in range(start, end)}
        return [(start, end, keys) for start, end, keys in matches
                if not (end - start == 1 and start > 0 and start - 1 not in taken
                        and words[start] in self.vocabulary.role_nouns and words[start - 1] in self.vocabulary.role_suffixes)]

    @staticmethod
    def _match(words: tuple[str, ...], phrases: dict) -> list[tuple[int, int, frozenset[str]]]:
        """Longest phrases first; a word belongs to one match."""
        taken = [False] * len(words)
        matches = []
        for length in range(min(6, len(words)), 0, -1):
            for i in range(len(words) - length + 1):
                span = words[i : i + length]
                if span in phrases and not any(taken[i : i + length]):
                    matches.append((i, i + length, frozenset(phrases[span])))
                    taken[i : i + length] = [True] * length
        return matches


def _as_written(mention: Mention) -> re.Pattern[str]:
    """The mention's label as written in a text, whole words only."""
    return re.compile(rf"(?<![\w-]){re.escape(mention.label)}(?![\w-])", re.IGNORECASE)


def replace_roles(text: str, mentions: list[Mention], by: str) -> str:
    """``text`` with each mention's label (as written, whole words, longest first) replaced by ``by``."""
    for mention in sorted(mentions, key=lambda m: -len(m.label)):
        text = _as_written(mention).sub(by, text)
    return text


def writes(text: str, mention: Mention) -> bool:
    """Does ``text`` write the mention's label (whole words)?"""
    return _as_written(mention).search(text) is not None


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    n = len(inner)
    return any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def group_headings(sections: Iterable[tuple[str, str]]) -> list[str]:
    """From (role heading, section path) pairs: the headings above two or more role headings."""
    below: dict[str, set[str]] = {}
    for role, section in sections:
        path = section.split(" > ")
        if role and role in path:
            for heading in path[:path.index(role)]:
                below.setdefault(heading, set()).add(role)
    return [h for h, roles in below.items() if len(roles) >= 2]


def build_catalog(passages: Iterable[tuple[str, str]], vocabulary: Vocabulary,
                  groups: list[str] | None = None) -> RoleCatalog:
    """From (role heading, text) pairs: every heading, and the other names the text under it gives the role."""
    headings: list[str] = []
    also: dict[str, list[str]] = {}
    for heading, text in passages:
        if heading:
            headings.append(heading)
            found = other_names(text, heading)
            if found:
                also.setdefault(heading, []).extend(n for n in found if n not in also.get(heading, []))
    return RoleCatalog(list(dict.fromkeys(headings)), vocabulary, also, groups or [])
