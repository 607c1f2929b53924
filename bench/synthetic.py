"""Deterministic synthetic corpora made from the real corpus's sentences, at any size.

Each synthetic passage recombines a few real sentences under a real section path, in its own document
(unique source), so retrieval sees realistic vocabulary and section structure at 10k or 100k chunks.
For store-only benchmarks a passage's vector is the normalized sum of its sentences' vectors: no model
run per chunk, so a 100k-chunk store fills in seconds and the numbers isolate the store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.settings import BotSettings
from ingest.chunking import sentence_spans
from ingest.embedding import Embedder
from ingest.models import embed_header
from ingest.pipeline import load_documents


@dataclass
class Sentence:
    text: str
    title: str
    section: str
    role: str


def real_sentences(corpus: Path) -> list[Sentence]:
    found: list[Sentence] = []
    for doc in load_documents([corpus], BotSettings(corpus_dir=corpus)):
        for section in doc.sections:
            for start, end in sentence_spans(doc.text, section.start, section.end):
                text = doc.text[start:end].strip()
                if len(text.split()) >= 5:
                    found.append(Sentence(text, doc.title, " > ".join(section.path), section.role or ""))
    return found


@dataclass
class SyntheticChunk:
    id: str
    text: str
    metadata: dict
    members: list[int]


def synthetic_chunks(sentences: list[Sentence], n: int, seed: int = 7, per_chunk: int = 4) -> list[SyntheticChunk]:
    rng = random.Random(seed)
    chunks = []
    for i in range(n):
        members = rng.sample(range(len(sentences)), per_chunk)
        lead = sentences[members[0]]
        chunks.append(SyntheticChunk(
            id=f"syn-{seed}-{i:07d}",
            text=" ".join(sentences[m].text for m in members),
            metadata={"source": f"synthetic-{i // 10:06d}.md", "title": f"{lead.title} (synthetic {i // 10})",
                      "section": lead.section, "role": lead.role, "chunk_index": i % 10},
            members=members,
        ))
    return chunks


def sentence_vectors(sentences: list[Sentence], embedder: Embedder) -> np.ndarray:
    return np.asarray(embedder.embed_documents(
        [f"{embed_header(s.title, s.section)}\n{s.text}" for s in sentences]), dtype=np.float32)


def chunk_vectors(chunks: list[SyntheticChunk], vectors: np.ndarray) -> np.ndarray:
    summed = np.stack([vectors[c.members].sum(axis=0) for c in chunks])
    return summed / np.linalg.norm(summed, axis=1, keepdims=True)


def write_corpus(sentences: list[Sentence], folder: Path, n_chunks: int, seed: int = 7) -> int:
    """Markdown files of ten role sections each; every section is about one chunk long. Returns the file count."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = synthetic_chunks(sentences, n_chunks, seed)
    files = 0
    for start in range(0, len(chunks), 10):
        group = chunks[start:start + 10]
        body = "\n\n".join(f"## {c.metadata['section'].split(' > ')[-1]} {start + n}\n\n{c.text}"
                           for n, c in enumerate(group))
        (folder / f"synthetic-{start // 10:06d}.md").write_text(f"# Synthetic guide {start // 10}\n\n{body}\n")
        files += 1
    return files
