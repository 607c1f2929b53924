"""Hybrid retrieval: dense (Chroma) + lexical (BM25) fused by reciprocal rank, then a feature rerank.

The features come from the ingested guides, not from code: which role a passage is about (its role heading),
which field it is (its repeated label or sub-heading), and the vocabulary file's question aspects. The BM25
index and the role catalog are built once per store version. Comparisons ("SRE or backend?") are
diversified so every option gets passages, not five about one of them.
"""

from __future__ import annotations

import gc
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import orjson

from bot import index_cache
from bot.bm25 import BM25
from bot.catalog import Mention, RoleCatalog, about_only, build_catalog, group_headings
from bot.columns import Coded, Positions, Strings, Table
from bot.models import Passage, headings_of
from bot.settings import Method
from bot.spelling import Speller
from bot.text import GENERIC, STOPWORDS, content_stems, naming_stems, proper_nouns, stem, terms
from bot.vocabulary import Aspect, Vocabulary, find_phrase, quoted_phrases, stems_of
from ingest.models import embed_header
from ingest.store import ChunkStore, cosine_similarity

RRF_K = 30
"""Rank constant and boosts chosen together on the dev splits (seed + adviser): boosts break ties between passages
both rankings like; larger ones pushed a passage first in both rankings out of the top five."""
POOL = 50
ROLE_BOOST = 0.012
FIELD_BOOST = 0.006
"""Per asked aspect a passage's headings answer: a specific ask ("certifications") outranks the role's other fields."""
DEFAULT_FIELD_BOOST = 0.003
"""When the question asks no aspect, the role's describing fields ("Role", "What you do") lead, gently."""
COMPARISON_FIELD_SCALE = 5.0
"""A comparison ("QA or security?") wants each option's describing fields (what it is, who it suits) above its
other passages, so there the field boosts weigh this many times more (chosen on the dev splits)."""
QUOTE_BOOST = 0.012
"""A passage holding a phrase the question quotes is the one the asker copied it from: RRF alone reads only ranks,
so a passage far ahead of the rest in BM25 but middling in meaning could fall out of the top five."""
CROSS_CUTTING_BOOST = 0.01
"""A question that names no role ("should everyone learn containers?") is more often answered by a passage under
no role heading (skills, portfolio, how teams fit together) than by one role's fields (chosen on the dev splits)."""
EVERYONE = re.compile(r"\b(every(one|body)|every( \w+)? (developer|engineer|path|track|role|job|specialization)s?|"
                      r"all (developers|engineers|paths|tracks|roles)|whichever|regardless|in general|"
                      r"just (a|an|for)( \w+){0,2} (thing|people|folks|roles?|teams?))\b", re.IGNORECASE)
"""A question about what every path shares ("should everyone learn it?", "or is that just for the data people?")
is answered under no role heading even when it names a role."""
ASKS_FOR_ROLE = re.compile(r"\b(which|what)( \w+)? (roles?|jobs?|paths?|careers?|speciali[sz]ations?|tracks?|"
                           r"positions?)\b", re.IGNORECASE)
"""A question that asks which role fits ("which engineering role uses .Net?") names none, yet is answered under one."""
RANKS = re.compile(r"\b(most|highest|lowest|least|best|worst)\b", re.IGNORECASE)
INDEX_FIELDS = ("source", "title", "section", "role", "field")
"""The metadata retrieval and the UI read; offsets, paths and hashes stay in the store."""
CAMEL_CASE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z]+[a-z]*)+\b")
CAPITALISED = re.compile(r"(?<![.!?\n]\s)(?<!^)(?<=\s)[A-Z][a-z]*[A-Z0-9]*[a-z]*\b", re.MULTILINE)
"""A capitalised word that does not open a sentence or a line ("Main tools: Collibra, Alation" holds two)."""
PLACE = "place"
"""Derived at index build: "first" or "last" for a guide's opening and closing passages (by offset), else ""."""
OPENS = "opens"
"""Derived at index build: "1" on each role's first passage in its guide (by offset), which is where a guide says
what the role is, whatever its heading ("In one line -"), else ""."""
PLACE_BOOST = 0.04
"""A question about how a guide opens or ends ("what does the atlas close with?") wants that passage: nothing else
in its words says where in the guide it is, and a closing paragraph sits under whatever heading came last. The
boost is more than one ranking's top score: the question names the passage by its place."""
OPENING = re.compile(r"\b(opens?( up)? with|begins? with|starts?( off)? with|at the (start|beginning|top)|"
                     r"introduction|intro|opening)\b", re.IGNORECASE)
CLOSING = re.compile(r"\b(at the end|ends?( up)? (with|on)|closing|conclu\w*|final (thoughts?|words?|advice|section|part)|"
                     r"bottom[- ]line|wraps? up|last (words?|section|part|paragraph)|signs? off)\b", re.IGNORECASE)
GUIDE = re.compile(r"\b(guides?|atlas|article|handbook|document|doc|text|write-?up)\b", re.IGNORECASE)
GUIDE_REFERENCE = re.compile(rf"\bthe\s+((?!(the|in|of|on|by|from|to|for|with|at|and|or)\b)[\w'-]+\s+){{0,4}}?"
                             rf"{GUIDE.pattern}", re.IGNORECASE)
"""A reference to one guide ("the IT career paths guide", "the atlas"), the words that name it before "guide"; not
"the job counts in the guides", whose words say what is in them."""
ANY_GUIDE = frozenset(content_stems("guide guides document doc text article write-up"))
"""Words that refer to a guide without naming which one ("the guide says", "going by the guides")."""
BM25_DIR = "bm25"

DEFAULT_ASPECT = "duties"
FIT_ASPECT = "fit"
PIVOT = re.compile(r"\b(pivot|switch|move|moving|transition|change)\b", re.IGNORECASE)
COMPARISON = re.compile(r"\b(or|vs|versus|compar\w*|differ\w*|between|which|better|rather|instead|common|both|"
                        r"similar\w*|overlap\w*|same)\b", re.IGNORECASE)


def field_label(field: str, section: str) -> str:
    """A passage's field: its repeated label or sub-heading, else the last part of its section path."""
    return field or section.rsplit(" > ", 1)[-1]


def field_weight(section: str, aspects: list[Aspect]) -> int:
    """How many of the question's aspects a passage's headings answer ("Pay" answers a salary question;
    "How to choose (2-week test) > Week 1" answers "how do I choose")."""
    words = stems_of(section)
    return sum(a.in_words(words) for a in aspects)


def field_boost(section: str, aspects: list[Aspect]) -> float:
    specific = [a for a in aspects if a.name != DEFAULT_ASPECT]
    return (FIELD_BOOST * field_weight(section, specific)
            + DEFAULT_FIELD_BOOST * field_weight(section, [a for a in aspects if a.name == DEFAULT_ASPECT]))


def specific_aspects(aspects: list[Aspect]) -> list[Aspect]:
    """The aspects that ask a particular detail (portfolio, pay), not what a role does or whom it suits."""
    return [a for a in aspects if a.name not in (DEFAULT_ASPECT, FIT_ASPECT)]


def asked_aspects(query: str, vocabulary: Vocabulary, comparison: bool = False) -> list[Aspect]:
    """The aspects a question asks about; a question that asks none (or only compares) wants the duties, and a
    comparison also wants what tells the options apart (who each suits)."""
    found = vocabulary.aspects_in(query)
    wanted = {DEFAULT_ASPECT} if all(a.name == FIT_ASPECT for a in found) else set()
    if comparison:
        wanted |= {DEFAULT_ASPECT, FIT_ASPECT}
    return found + [a for a in vocabulary.aspects if a.name in wanted and a not in found]


def surveyed(query: str, mentions: list[Mention], vocabulary: Vocabulary, guide: str = "") -> list[Aspect]:
    """The details a guide must state (pay) that a question asks across roles, naming none and no ``guide`` (the one
    chosen or named): "Which job pays the most?". Each role whose passages state one is part of the answer, not the
    few passages ranked best."""
    which_role = any(ASKS_FOR_ROLE.match(s) for s in re.split(r"(?<=[.!?])\s+", query.strip()))
    if mentions or guide or not (which_role or RANKS.search(query)):  # not "Which number belongs to which job?"
        return []
    return [a for a in asked_aspects(query, vocabulary) if a.stated and not a.counted]


LISTS_ROLES = re.compile(r"\b(what|which)\s+(kinds?|types?|sorts?)\s+of\b|"
                         r"\b(what|which)\s+(\w+\s+){0,3}(roles|jobs|careers|positions)\s+(are|is|exist)\b|"
                         r"\bwhat\s+are\s+the\s+(different\s+|main\s+)?(\w+\s+){0,3}(roles|jobs|careers)\b|"
                         r"\blist\s+(the|all)\b", re.IGNORECASE)
"""A question asking which roles there are ("What kinds of product roles are there?")."""
LISTING_WORDS = frozenset(content_stems("kinds types sorts team teams department area areas there exist list all"))


def asks_every_role(query: str) -> bool:
    """ "What roles are there?", "list all the jobs": which roles there are, of no topic in particular."""
    return bool(LISTS_ROLES.search(query)) and not set(content_stems(query)) - GENERIC - LISTING_WORDS


def listed_group(query: str, idx: Index) -> str:
    """The heading over several roles (a chapter: "Product", "Data & AI") a question asks the roles of: its topic
    words are all that heading's ("what data jobs are there?"), or the heading's words are all generic and the
    question writes them ("what engineering roles are there?"); "" for none or more than one."""
    if not LISTS_ROLES.search(query):
        return ""
    stems = set(content_stems(query))
    topic = stems - GENERIC - LISTING_WORDS
    found = []
    for group in idx.catalog.groups:
        own = set(content_stems(group))
        if (topic and topic <= own) or (not topic and own and not own - GENERIC and own <= stems):
            found.append(group)
    return found[0] if len(found) == 1 else ""


DEFINES = re.compile(r"^\s*what(?:'s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?(?P<name>[^?.!]{1,40}?)\s*\??\s*$", re.IGNORECASE)
"""A question asking what a thing is ("What is the OSCP?")."""


def looked_up(query: str, idx: Index) -> frozenset[str]:
    """Stems of the names a "which role" question asks by ("Which role uses Wireshark?", however it is typed), or
    the name a question asks the meaning of ("What is the OSCP?"): the passages naming them answer it, however
    little else of the question they share."""
    sentences = re.split(r"(?<=[.!?])\s+", query.strip())
    named = [set(content_stems(m["name"])) for s in sentences if (m := DEFINES.match(s))]
    if named and all(stems and stems <= idx.name_stems for stems in named):
        return frozenset().union(*named)
    asking = " ".join(s for s in sentences if ASKS_FOR_ROLE.search(s))
    return frozenset(content_stems(asking)) & idx.name_stems if asking else frozenset()


def stating_roles(passages: list[Passage], aspects: list[Aspect]) -> list[str]:
    """The roles whose passages among these state one of the details under their headings, in rank order."""
    return list(dict.fromkeys(p.role for p in passages if p.role and field_weight(p.headings, aspects)))


def mark_places(metas: list[dict[str, str]], starts: list[int]) -> None:
    """Each guide's first and last passage by offset, as ``PLACE``, and each role's first, as ``OPENS``."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    opening: dict[tuple[str, str], int] = {}
    for n, (meta, start) in enumerate(zip(metas, starts, strict=True)):
        source = meta.get("source", "")
        if source not in first or start < starts[first[source]]:
            first[source] = n
        if source not in last or start > starts[last[source]]:
            last[source] = n
        role = (source, meta.get("role", ""))
        if role[1] and (role not in opening or start < starts[opening[role]]):
            opening[role] = n
    openers = set(opening.values())
    for n, meta in enumerate(metas):
        meta[PLACE] = ""
        meta[OPENS] = "1" if n in openers else ""
    for places, name in ((last, "last"), (first, "first")):
        for n in places.values():
            metas[n][PLACE] = name


def asked_place(query: str, idx: Index) -> tuple[str, frozenset[str]]:
    """ "first" or "last" when the question asks how a guide opens or ends and refers to a guide (a word such as
    "guide", or a word of a guide's title), with the guides its title words name (none: any guide)."""
    named = frozenset(idx.title_words & set(content_stems(query)))
    place = "last" if CLOSING.search(query) else "first" if OPENING.search(query) else ""
    if not place or not (named or GUIDE.search(query)):
        return "", frozenset()
    titles = idx.metas.values("title")
    return place, frozenset(t for t in titles if named & set(content_stems(t)))


def compared(mentions: list[Mention], query: str) -> list[Mention]:
    """Roles a question weighs against each other; "pivot from X to Y" is one path, and "is that just for the data
    people?" asks what every path shares: neither is a comparison."""
    return mentions if len(mentions) > 1 and COMPARISON.search(query) and not PIVOT.search(query) \
        and not EVERYONE.search(query) else []


def _tokens(text: str) -> list[str]:
    return [stem(w) for w in terms(text) if w not in STOPWORDS]


def _joined(tokens: list[str], joins: dict[tuple[str, str], str]) -> list[str]:
    """The tokens with each two-word name in ``joins`` as its one-word spelling ("back end" -> "backend")."""
    joined: list[str] = []
    for token in tokens:
        if joined and (joined[-1], token) in joins:
            joined[-1] = joins[(joined[-1], token)]
        else:
            joined.append(token)
    return joined


@dataclass
class Index:
    """Everything retrieval needs from one store version. Per-passage data is in numpy columns (bot/columns.py):
    a saved index maps them from disk instead of making millions of Python objects."""

    ids: Strings
    texts: Strings
    metas: Table
    roles: Coded[frozenset[str]]
    """Role keys of each passage's role heading (empty for a cross-cutting passage)."""
    mentioned: Coded[frozenset[str]]
    """Its heading's role keys, or for a cross-cutting passage the roles its text names ("Backend -> SRE: ...")."""
    position: Positions
    """Row of each chunk id."""
    bm25: BM25
    version: str
    vocabulary: frozenset[str]
    catalog: RoleCatalog
    joins: dict[tuple[str, str], str] = field(default_factory=dict)
    """Two-word role names the guides also write as one word: BM25 reads both spellings as that word."""
    _guide_stems: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @cached_property
    def title_words(self) -> frozenset[str]:
        """Stems of the guides' titles that are not generic ("atlas"): how a question names a guide."""
        return frozenset(s for t in self.metas.values("title") for s in content_stems(t) if s not in GENERIC)

    @cached_property
    def word_forms(self) -> frozenset[str]:
        """Every word the guides write, lower-cased: "robotics" shares the stem of the "robot" a guide writes, but
        no guide writes it."""
        return frozenset(w.lower() for text in self.texts for w in re.findall(r"[A-Za-z]+", text))

    @cached_property
    def name_stems(self) -> frozenset[str]:
        """Stems of the names the guides write (a tool, a credential: "Wireshark", "CCNA", "LaunchDarkly"):
        capitalised within a sentence, or camel-cased, and never in lower case, as an ordinary word is somewhere
        ("Median Pay", "User Experience"); not a word of a role's name ("AI", "SRE")."""
        lower = {w for text in self.texts for w in re.findall(r"\b[a-z]+\b", text)}
        capitalised = {n for text in self.texts for n in [*CAPITALISED.findall(text), *CAMEL_CASE.findall(text)]
                       if len(n) > 2}
        roles = {s for heading in self.catalog.headings for s in content_stems(heading)}
        return frozenset(stem(n) for n in capitalised) - {stem(w) for w in lower} - roles

    @cached_property
    def speller(self) -> Speller:
        """Corrects misspelt role and aspect words towards the guides' headings and the vocabulary file."""
        written = [w for text in [*self.catalog.headings, *(n for v in self.catalog.also_called.values() for n in v)]
                   for w in re.findall(r"[A-Za-z]+", text)]
        return Speller([*written, *self.catalog.vocabulary.words])

    def named_guide(self, query: str) -> str:
        """The source of the one guide the question refers to by words only its title has ("the IT career paths
        guide", "the atlas"), or "": a role that guide lacks is then refused as with a chosen source."""
        guides = self.metas.distinct(("source", "title"))
        stems = {source: naming_stems(title) for source, title in guides}
        said = {s for ref in GUIDE_REFERENCE.finditer(query) for s in naming_stems(ref.group())} - ANY_GUIDE
        named = [source for source, own in stems.items()
                 if said & own - set().union(*(other for o, other in stems.items() if o != source))]
        return named[0] if len(named) == 1 else ""

    @cached_property
    def sources(self) -> list[str]:
        """Every guide in the store."""
        return [source for (source,) in self.metas.distinct(("source",))]

    @cached_property
    def heading_stems(self) -> frozenset[str]:
        """Stems of the guides' section headings: the topics some guide gives a section of its own."""
        return frozenset(s for (section,) in self.metas.distinct(("section",)) for s in content_stems(section))

    def guide_stems(self, source: str) -> frozenset[str]:
        """Every stem one guide uses in its headings and text: what a question naming that guide can be about."""
        if source not in self._guide_stems:
            rows = np.flatnonzero(self.metas.columns["source"].where(lambda s: s == source))
            self._guide_stems[source] = frozenset(
                s for i in rows for s in content_stems(f"{self.metas[int(i)].get('section', '')} {self.texts[int(i)]}"))
        return self._guide_stems[source]

    def covers(self, mentions: list[Mention], source: str) -> bool:
        """Does this guide have a passage about, or naming, any of these roles? A name in the text of a passage
        about another role counts too ("they often start in customer support"), as the question writes it: a
        bare word that may stand for the role ("become an architect") does not."""
        keys = frozenset().union(*(m.keys for m in mentions))
        own = self.metas.columns["source"].where(lambda s: s == source)
        if (own & self.roles.where(lambda found: bool(found & keys))).any():
            return True
        names = [stems_of(m.label) for m in mentions]
        return any(find_phrase(name, stems_of(self.texts[int(i)])) >= 0 for i in np.flatnonzero(own) for name in names)

    def headings(self, i: int) -> str:
        meta = self.metas[i]
        return headings_of(meta.get("section", ""), meta.get("field", ""))

    def passage(self, i: int, score: float = 0.0, dense: float | None = None, lexical: float | None = None) -> Passage:
        meta = self.metas[i]
        return Passage(
            id=self.ids[i], text=self.texts[i], source=meta.get("source", ""), section=meta.get("section", ""),
            role=meta.get("role", ""), field=meta.get("field", ""), title=meta.get("title", ""),
            score=round(score, 5), dense=dense, lexical=lexical, roles=sorted(self.roles[i]),
            mentioned=sorted(self.mentioned[i]),
        )

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder / BM25_DIR), show_progress=False)
        self.ids.save(folder, "ids")
        self.texts.save(folder, "texts")
        self.position.save(folder, "position")
        self.mentioned.save(folder, "mentioned")
        (folder / index_cache.DATA_FILE).write_bytes(orjson.dumps({
            "metas": self.metas.save(folder, "metas"), "mentioned": [sorted(keys) for keys in self.mentioned.values],
            "vocabulary": sorted(self.vocabulary), "headings": self.catalog.headings,
            "also_called": self.catalog.also_called, "groups": self.catalog.groups}))


class HybridRetriever:
    def __init__(self, store: ChunkStore, vocabulary: Vocabulary, method: Method = "hybrid") -> None:
        self.store = store
        self.vocab = vocabulary
        self.method = method
        self.vectorstore = store.vectorstore()
        self._index: Index | None = None
        self._lock = threading.Lock()

    def index(self) -> Index:
        """The index, rebuilt whenever an ingest changed the store (its version), not only its size. Its objects
        live as long as the process, so they leave the garbage collector's generations: at 1M chunks a full
        collection would otherwise stall a random question."""
        version = self.store.version()
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = self._load_or_build(version)
                gc.freeze()
            return self._index

    def _load_or_build(self, version: str) -> Index:
        settings = self.store.settings
        folder = index_cache.folder_for(settings.chroma_path.parent / "index", settings.collection,
                                        [settings.store_location, version, self.vocab.fingerprint])
        index = index_cache.load(folder, lambda f: self._load(f, version))
        if index is None:
            index = self._build(version)
            index_cache.save(folder, index.save)
        return index

    def _load(self, folder: Path, version: str) -> Index:
        data = orjson.loads((folder / index_cache.DATA_FILE).read_bytes())
        catalog = RoleCatalog(data["headings"], self.vocab, data["also_called"], data["groups"])
        mentioned = Coded.load(folder, "mentioned", [frozenset(keys) for keys in data["mentioned"]])
        return self._assemble(Strings.load(folder, "ids"), Strings.load(folder, "texts"),
                              Table.load(folder, "metas", data["metas"]), Positions.load(folder, "position"),
                              BM25.load(str(folder / BM25_DIR), mmap=True, show_progress=False), version,
                              frozenset(data["vocabulary"]), catalog, mentioned)

    def _build(self, version: str) -> Index:
        """One pass over the store, keeping each distinct token and label once: 100k chunks stay small."""
        ids, texts, metas, corpus_tokens = [], [], [], []
        tokens_seen: dict[str, str] = {}
        labels_seen: dict[str, str] = {}
        starts: list[int] = []
        for c in self.store.iter_chunks():
            meta = {k: labels_seen.setdefault(v, v) for k in INDEX_FIELDS if isinstance(v := c.metadata.get(k, ""), str)}
            header = embed_header(meta.get("title", ""), meta.get("section", ""))
            corpus_tokens.append([tokens_seen.setdefault(t, t) for t in _tokens(f"{header}\n{c.text}")] or ["_empty_"])
            ids.append(c.id)
            texts.append(c.text)
            metas.append(meta)
            starts.append(int(c.metadata.get("start", 0)))
        mark_places(metas, starts)
        catalog = build_catalog(((m.get("role", ""), t) for m, t in zip(metas, texts, strict=True)), self.vocab,
                                group_headings((m.get("role", ""), m.get("section", "")) for m in metas))
        vocabulary = frozenset(t for t in tokens_seen if len(t) > 1)
        joins = catalog.joins(vocabulary)
        bm25 = BM25()
        bm25.index([_joined(tokens, joins) for tokens in corpus_tokens] if joins else corpus_tokens, show_progress=False)
        return self._assemble(Strings.of(ids), Strings.of(texts), Table.of(metas, (*INDEX_FIELDS, PLACE, OPENS)), Positions.of(ids),
                              bm25, version, vocabulary, catalog)

    def _assemble(self, ids: Strings, texts: Strings, metas: Table, position: Positions, bm25: BM25,
                  version: str, vocabulary: frozenset[str], catalog: RoleCatalog,
                  mentioned: Coded[frozenset[str]] | None = None) -> Index:
        """Each passage's roles, from its heading in the catalog; the roles a cross-cutting passage's text names are
        the slow part (with reading "also called" names for the catalog), so a saved index brings them along."""
        roles = metas.columns["role"].mapped(lambda heading: catalog.heading_keys.get(heading, frozenset()))
        if mentioned is None:
            mentioned = Coded.of(r or frozenset().union(*(m.keys for m in catalog.mentions(f"{meta['section']}\n{text}")))
                                 for r, meta, text in zip(roles, metas, texts, strict=True))
        return Index(ids=ids, texts=texts, metas=metas, roles=roles, mentioned=mentioned, position=position,
                     bm25=bm25, version=version, vocabulary=vocabulary, catalog=catalog, joins=catalog.joins(vocabulary))

    def dense(self, query: str, k: int, source: str | None, idx: Index) -> list[tuple[int, float]]:
        vector = self.store.embedder.embed_query(query)
        # Despite its name this returns distances; the similarity is what the refusal floor reasons about.
        with self.store.reachable():
            results = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
                vector, k=max(1, k), filter={"source": source} if source else None)
        hits = []
        for doc, distance in results:
            i = idx.position.get(doc.id)
            if i is not None:
                hits.append((i, cosine_similarity(float(distance))))
        return hits[:k]

    def lexical(self, query: str, k: int, source: str | None, idx: Index) -> list[tuple[int, float]]:
        tokens = _joined(_tokens(query), idx.joins)
        if not tokens:  # e.g. a question in a script the corpus never uses: nothing can match lexically
            return []
        scores = idx.bm25.get_scores(tokens)
        if source:
            scores = np.where(idx.metas.columns["source"].where(lambda s: s == source), scores, 0.0)
        return [(int(i), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]

    def search(self, query: str, k: int = 5, source: str | None = None) -> list[Passage]:
        idx = self.index()
        if not idx.ids:
            return []
        expanded = self.vocab.expand(query)
        dense = self.dense(expanded, POOL, source, idx) if self.method != "bm25" else []
        lexical = self.lexical(expanded, POOL, source, idx) if self.method != "dense" else []

        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, i in shared_ranks(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        dense_score = dict(dense)
        lexical_score = dict(lexical)

        mentions = idx.catalog.mentions(query)
        asked = [m.keys for m in mentions]
        options = compared(mentions, query)
        aspects = asked_aspects(query, self.vocab, comparison=bool(options))
        field_scale = COMPARISON_FIELD_SCALE if options else 1.0
        quoted = quoted_phrases(query) + [stems_of(n) for n in proper_nouns(query)
                                          if stem(n) in idx.vocabulary and not idx.catalog.mentions(n, as_role=True)]
        place, guides = asked_place(query, idx)
        shared = (not asked and not ASKS_FOR_ROLE.search(query)) or bool(EVERYONE.search(query))
        specific = specific_aspects(aspects)
        describing = [a for a in aspects if a.name == DEFAULT_ASPECT and not options]
        for i in fused:
            if quoted and quotes(idx.passage(i), quoted):
                fused[i] += QUOTE_BOOST
            # Per asked role the passage is about: one naming both roles of "from QA to PM" outranks either alone.
            fused[i] += ROLE_BOOST * sum(bool(idx.mentioned[i] & keys) for keys in asked)
            section = idx.headings(i)
            fused[i] += field_boost(section, aspects) * field_scale
            if describing and idx.metas[i].get(OPENS) and not field_weight(section, describing) \
                    and any(idx.roles[i] & keys for keys in asked):
                fused[i] += DEFAULT_FIELD_BOOST  # what the role is, under a heading of the guide's own
            if shared and not idx.roles[i]:
                fused[i] += CROSS_CUTTING_BOOST
            elif asked and not idx.roles[i] and field_weight(section, specific):
                fused[i] += ROLE_BOOST  # "Certifications", "Skills that get you hired" under no role speak for every role
            if place and idx.metas[i].get(PLACE) == place and (not guides or idx.metas[i].get("title") in guides):
                fused[i] += PLACE_BOOST

        ranked = sorted(fused, key=lambda i: -fused[i])
        if options:  # every option gets passages; they are shown best first
            chosen = self._diversify(ranked, idx, options, max(k, 3 * len(options)))
            # A section under no role heading that states the asked detail ("Portfolio blueprint (works for all)")
            # answers for every option: it takes the last place when it ranks among the best.
            shared_answer = next((i for i in ranked[:k] if not idx.roles[i]
                                  and field_weight(idx.headings(i), specific)), None)
            if shared_answer is not None and shared_answer not in chosen:
                chosen[-1] = shared_answer
            chosen.sort(key=lambda i: -fused[i])
        elif group := listed_group(query, idx) if not mentions else "":
            chosen = sorted(self._roles_under(group, idx, source), key=lambda i: -fused.get(i, 0.0))
        elif named := looked_up(query, idx) if not mentions else frozenset():
            naming = {int(i) for i in np.flatnonzero(idx.bm25.get_scores(sorted(named)))}
            if source:
                naming = {i for i in naming if idx.metas[i].get("source") == source}
            chosen = sorted(naming, key=lambda i: -fused.get(i, 0.0))[:k]
            chosen += [i for i in ranked if i not in naming][: k - len(chosen)]
        else:
            detail = surveyed(query, mentions, self.vocab, source or idx.named_guide(query))
            chosen = self._each_role_stating(ranked, fused, idx, detail, k) or ranked[:k]
        return [idx.passage(i, fused.get(i, 0.0), dense_score.get(i), lexical_score.get(i)) for i in chosen]

    @staticmethod
    def _roles_under(group: str, idx: Index, source: str | None) -> list[int]:
        """The opening passage of each role under a heading."""
        opening = idx.metas.columns[OPENS].where(bool) & idx.metas.columns["section"].where(
            lambda section: group in section.split(" > "))
        if source:
            opening &= idx.metas.columns["source"].where(lambda s: s == source)
        rows = [int(i) for i in np.flatnonzero(opening)]
        return [i for i in rows if (role := idx.metas[i].get("role"))
                and role in (path := idx.metas[i]["section"].split(" > "))[path.index(group) + 1:]]

    @staticmethod
    def _each_role_stating(ranked: list[int], fused: dict[int, float], idx: Index, aspects: list[Aspect],
                           k: int) -> list[int]:
        """The best passage of each role whose headings state a surveyed detail (found by its headings, ranked or
        not: "Salary" answers "which job pays the most?" without sharing a word), for two roles or more, and the
        best passage of all (what the question is judged answerable by, as any other)."""
        if not aspects:
            return []
        best: dict[frozenset[str], int] = {}
        stating = [i for i in range(len(idx.ids))
                   if idx.roles[i] and field_weight(idx.headings(i), aspects)]
        for i in sorted(stating, key=lambda i: -fused.get(i, 0.0)):
            best.setdefault(idx.roles[i], i)
        if len(best) < 2:
            return []
        stating = list(best.values())
        return stating[:k] if ranked[0] in stating[:k] else [*stating[:k - 1], ranked[0]]

    @staticmethod
    def _diversify(ranked: list[int], idx: Index, options: list[Mention], k: int) -> list[int]:
        """Round-robin over the compared roles so each gets its best passages (its own first); then fill by score."""
        queues = {
            n: sorted((i for i in ranked if idx.roles[i] & o.keys),
                      key=lambda i, o=o: not about_only(idx.roles[i], o, options))
            for n, o in enumerate(options)
        }
        chosen: list[int] = []
        sources: dict[int, set[str]] = {n: set() for n in queues}
        while len(chosen) < k and any(queues.values()):
            for n, queue in queues.items():
                queue[:] = [i for i in queue if i not in chosen]
                if queue and len(chosen) < k:
                    # Each option's next passage comes from a guide it has no passage from yet, when one exists.
                    pick = next((i for i in queue if idx.metas[i].get("source") not in sources[n]), queue[0])
                    queue.remove(pick)
                    sources[n].add(idx.metas[pick].get("source", ""))
                    chosen.append(pick)
        chosen += [i for i in ranked if i not in chosen][: k - len(chosen)]
        return chosen


def quotes(passage: Passage, phrases: list[tuple[str, ...]]) -> bool:
    """Does the passage (its headings included) hold one of the phrases?"""
    words = stems_of(f"{passage.section} {passage.text}")
    return any(find_phrase(phrase, words) >= 0 for phrase in phrases)


def shared_ranks(ranking: list[tuple[int, float]]) -> list[tuple[int, int]]:
    """(rank, position) for a best-first ranking, equal scores sharing the best rank among them: BM25 gives many
    passages the very same score, and which of them a sort happens to put first must not decide the fusion."""
    ranks: list[tuple[int, int]] = []
    for rank, (i, score) in enumerate(ranking):
        ranks.append((ranks[-1][0] if rank and score == ranking[rank - 1][1] else rank, i))
    return ranks


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first, ties by position; a partition, not a sort of every score
    (a full argsort of 1M scores costs ~90 ms a question)."""
    if k >= len(scores):
        candidates = np.arange(len(scores))
    else:
        candidates = np.flatnonzero(scores >= np.partition(scores, len(scores) - k)[len(scores) - k])
    return candidates[np.lexsort((candidates, -scores[candidates]))][:k]

