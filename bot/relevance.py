"""How close each candidate sentence is in meaning to the question, for the extractive answerer.

Word overlap misses a sentence that answers in other words ("thankless" vs "nobody notices until it breaks");
the embedder that retrieval already holds scores meaning. Sentence vectors are cached: a corpus has a bounded
set of sentences, so after the first questions an answer costs one query embedding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from ingest.embedding import Embedder

CACHE_SENTENCES = 50_000
"""About 75 MB of 384-d float32 vectors: every sentence of a large corpus's recently answered passages."""


class SentenceRelevance:
    def __init__(self, embedder: Embedder, cache_size: int = CACHE_SENTENCES) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def scores(self, query: str, sentences: list[str]) -> list[float]:
        """Cosine similarity of each sentence to the query (vectors are unit length)."""
        if not sentences:
            return []
        with self._lock:  # held while encoding: the encoder uses every core anyway, and the cache stays whole
            missing = [s for s in dict.fromkeys(sentences) if s not in self._vectors]
            vectors = self.embedder.encode([query, *missing])
            for text, vector in zip(missing, vectors[1:], strict=True):
                self._vectors[text] = vector.astype(np.float32)
            for text in sentences:
                self._vectors.move_to_end(text)
            matrix = np.stack([self._vectors[s] for s in sentences])
            while len(self._vectors) > self.cache_size:
                self._vectors.popitem(last=False)
        return (matrix @ vectors[0]).astype(float).tolist()
