"""Hybrid retrieval: dense (Chroma) + lexical (BM25) fused by reciprocal rank, then a feature rerank.

The BM25 index is built once per store version and reused across queries. Comparisons ("SRE or
backend?") are diversified so every option gets passages, not five about one of them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cached_property

import bm25s
import numpy as np

from bot import roles as role_table
from bot.models import Passage
from bot.text import STOPWORDS, stem, terms
from ingest.models import embed_header
from ingest.store import ChunkStore, cosine_similarity

RRF_K = 60
POOL = 50
INDEX_FIELDS = ("source", "title", "section", "role")
"""The metadata retrieval and the UI read; offsets, paths and hashes stay in the store."""

# What a question asks for -> the labelled fields of the corpus that answer it.
INTENT_FIELDS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), frozenset(fields))
    for pattern, fields in (
        (r"\b(does|do)\b[^?.]*\bdo\b|\b(doing|work on|job|responsib|involve|what is an?|what are|different|differ|"
         r"compare|vs)\b",
         {"role", "day in the life", "what you do"}),
        (r"\b(day|daily|typical|routine|week)\b", {"day in the life", "what you do"}),
        (r"\b(like|enjoy|suit|fit|right for me|should i|choose|decide|personality|prefer|interest|love)",
         {"you'll like it if", "role", "how to choose"}),
        (r"\b(start|become|get into|break into|background|switch|transition|routes?|come from|degree|retrain)",
         {"alternative routes", "backgrounds", "starter project"}),
        (r"\b(pivot|switch|move from|change (my mind|careers?|roles?))", {"common pivots"}),
        (r"\b(career|progress|grow|promot|senior|future|ladder|path|end up)", {"career path"}),
        (r"\b(projects?|portfolio|practi[cs]e|prove|showcase)\b", {"starter project", "portfolio"}),
        (r"\bcertif", {"certifications"}),
        (r"\b(test|try|trial|validate|specializ|which path)", {"how to choose"}),
        (r"\b(skills?|learn|study)\b", {"skills that help"}),
        (r"\b(tools?|languages?|tech stack|technolog|frameworks?|work with)\b", {"working with"}),
    )
)


def field_weight(section: str, fields: dict[str, int]) -> int:
    """A wanted field matches the passage's own label or any heading above it ("Common pivots ...")."""
    section = section.lower()
    return max((weight for name, weight in fields.items() if name in section), default=0)


DESCRIBE_FIELDS = {"role": 1, "day in the life": 1, "what you do": 1}
PIVOT = re.compile(r"\b(pivot|switch|move|transition|change)\b", re.IGNORECASE)
COMPARISON = re.compile(r"\b(or|vs|versus|compar\w*|differ\w*|between|which|better|rather|instead)\b", re.IGNORECASE)


def wanted_fields(query: str) -> dict[str, int]:
    """Fields the question asks for, weighted by how many of its intents want them (default: describe the role)."""
    fields: dict[str, int] = {}
    for pattern, names in INTENT_FIELDS:
        if pattern.search(query):
            for name in names:
                fields[name] = fields.get(name, 0) + 1
    return fields or dict(DESCRIBE_FIELDS)


def compared_roles(query: str) -> list[role_table.Role]:
    """Roles a question weighs against each other; "pivot from X to Y" is one path and "data science and ML"
    one field, not comparisons."""
    named = role_table.roles_in(query)
    return named if len(named) > 1 and COMPARISON.search(query) and not PIVOT.search(query) else []


def _tokens(text: str) -> list[str]:
    return [stem(w) for w in terms(text) if w not in STOPWORDS]


@dataclass
class _Index:
    ids: list[str]
    texts: list[str]
    metas: list[dict]
    roles: list[frozenset[str]]
    bm25: bm25s.BM25
    count: int
    vocabulary: frozenset[str]

    @cached_property
    def text_by_id(self) -> dict[str, str]:
        return dict(zip(self.ids, self.texts, strict=True))

    @cached_property
    def position(self) -> dict[str, int]:
        """Row of each chunk id: built once per index, not per query (100k entries at scale)."""
        return {id_: i for i, id_ in enumerate(self.ids)}


class HybridRetriever:
    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self.vectorstore = store.vectorstore()
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def index(self) -> _Index:
        """The BM25 index, rebuilt only when the store's chunk count changes (i.e. after an ingest)."""
        count = self.store.count()
        with self._lock:
            if self._index is None or self._index.count != count:
                self._index = self._build(count)
            return self._index

    def _build(self, count: int) -> _Index:
        """One pass over the store, keeping each distinct token, label and role set once: 100k chunks stay small."""
        ids, texts, metas, roles, corpus_tokens = [], [], [], [], []
        tokens_seen: dict[str, str] = {}
        labels_seen: dict[str, str] = {}
        role_sets: dict[frozenset[str], frozenset[str]] = {}
        for c in self.store.iter_chunks():
            meta = {k: labels_seen.setdefault(v, v) for k in INDEX_FIELDS if isinstance(v := c.metadata.get(k, ""), str)}
            header = embed_header(meta.get("title", ""), meta.get("section", ""))
            corpus_tokens.append([tokens_seen.setdefault(t, t) for t in _tokens(f"{header}\n{c.text}")] or ["_empty_"])
            about = frozenset(role_table.passage_roles(meta.get("role", ""), meta.get("section", ""), c.text))
            ids.append(c.id)
            texts.append(c.text)
            metas.append(meta)
            roles.append(role_sets.setdefault(about, about))
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        return _Index(ids=ids, texts=texts, metas=metas, roles=roles, bm25=bm25, count=count,
                      vocabulary=frozenset(t for t in tokens_seen if len(t) > 1))

    def _mask(self, idx: _Index, source: str | None, role: str | None) -> np.ndarray | None:
        if not source and not role:
            return None
        keep = np.ones(len(idx.ids), dtype=bool)
        if source:
            keep &= np.array([m.get("source") == source for m in idx.metas])
        if role:
            keep &= np.array([role in r or m.get("role") == role for r, m in zip(idx.roles, idx.metas, strict=True)])
        return keep

    def dense(self, query: str, k: int, mask: np.ndarray | None, idx: _Index) -> list[tuple[int, float]]:
        vector = self.store.embedder.embed_query(query)
        fetch = k if mask is None else min(len(idx.ids), max(k * 4, int(mask.sum())))
        # Despite its name this returns distances; the similarity is what the refusal floor reasons about.
        with self.store.reachable():
            results = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=max(1, fetch))
        hits = []
        for doc, distance in results:
            i = idx.position.get(doc.id)
            if i is not None and (mask is None or mask[i]):
                hits.append((i, cosine_similarity(float(distance))))
        return hits[:k]

    def lexical(self, query: str, k: int, mask: np.ndarray | None, idx: _Index) -> list[tuple[int, float]]:
        tokens = _tokens(query)
        if not tokens:  # e.g. a question in a script the corpus never uses: nothing can match lexically
            return []
        scores = idx.bm25.get_scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def search(self, query: str, k: int = 5, source: str | None = None, role: str | None = None) -> list[Passage]:
        idx = self.index()
        if not idx.ids:
            return []
        mask = self._mask(idx, source, role)
        expanded = role_table.expand(query)
        method = self.store.settings.retrieval
        dense = self.dense(expanded, POOL, mask, idx) if method != "bm25" else []
        lexical = self.lexical(expanded, POOL, mask, idx) if method != "dense" else []

        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        dense_score = dict(dense)
        lexical_score = dict(lexical)

        asked = [r.key for r in role_table.roles_in(query)]
        fields = wanted_fields(query)
        for i in fused:
            # Per asked role the passage is about: one naming both roles of "from QA to PM" outranks either alone.
            fused[i] += 0.012 * len(idx.roles[i] & set(asked))
            fused[i] += 0.008 * field_weight(idx.metas[i].get("section") or "", fields)

        ranked = sorted(fused, key=lambda i: -fused[i])
        # A comparison needs room for every option: three passages each.
        compared = [r.key for r in compared_roles(query)]
        chosen = self._diversify(ranked, idx, compared, max(k, 3 * len(compared))) if compared else ranked[:k]
        return [
            Passage(
                id=idx.ids[i],
                text=idx.texts[i],
                source=idx.metas[i].get("source", ""),
                section=idx.metas[i].get("section", ""),
                role=idx.metas[i].get("role", ""),
                title=idx.metas[i].get("title", ""),
                score=round(fused[i], 5),
                dense=dense_score.get(i),
                lexical=lexical_score.get(i),
                roles=sorted(idx.roles[i]),
            )
            for i in chosen
        ]

    @staticmethod
    def _diversify(ranked: list[int], idx: _Index, asked: list[str], k: int) -> list[int]:
        """Round-robin over the compared roles so each gets its best passages; then fill by score.

        Passages about one role alone, under that role's own heading, come first: a shared "X / Y" passage
        or a passing mention cannot tell the options apart.
        """
        others = set(asked)
        queues = {
            key: sorted(
                (i for i in ranked if key in idx.roles[i]),
                key=lambda i: (len(idx.roles[i] & others) > 1, not idx.metas[i].get("role")),
            )
            for key in asked
        }
        chosen: list[int] = []
        while len(chosen) < k and any(queues.values()):
            for key in asked:
                while queues[key] and queues[key][0] in chosen:
                    queues[key].pop(0)
                if queues[key] and len(chosen) < k:
                    chosen.append(queues[key].pop(0))
        chosen += [i for i in ranked if i not in chosen][: k - len(chosen)]
        return chosen
