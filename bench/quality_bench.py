"""Answer quality side by side on the seed suite, dev and test splits apart, scored by the same eval code and judge.

Every system gets the same k (``CAREERCHAT_TOP_K``), the same conversation context and the same extractive
answerer and citation check, so the rows differ only in what each part adds:

- langchain-tutorial: the plain LangChain RAG recipe: RecursiveCharacterTextSplitter(1000, 200) over the
  same cleaned documents, the same embedder in Chroma, top-k dense; its query is the conversation's turns
  joined (it has no condense step), and it refuses only when nothing it retrieved supports a sentence.
- dense-only: careerchat's structure-aware chunks, dense search alone (``retrieval=dense``), with the rerank
  features, condensed follow-ups and the refusal policy: against the tutorial, what chunking and the rest add.
- bm25-only: the same with BM25 alone (``retrieval=bm25``).
- careerchat: both fused by reciprocal rank: against the two above, what fusion adds.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot import citations
from bot.chat import Engine
from bot.generators import GenerationRequest
from bot.generators.extractive import ExtractiveGenerator
from bot.models import Passage
from bot.settings import BotSettings
from bot.vocabulary import load_vocabulary
from evals.golden import GoldenCase, load_cases
from evals.judge import AlignedJudge
from evals.records import ScoredAnswer
from evals.runner import Produced, run_careerchat
from evals.scoring import score_case, summarize
from evals.splits import SEED, discover
from ingest.embedding import Embedder
from ingest.pipeline import load_documents

METRICS = ("hit_rate@{k}", "mrr", "evidence_hit_rate", "faithfulness", "refusal_f1", "latency_p50_ms",
           "latency_p95_ms")


class TutorialRAG:
    """The LangChain tutorial pipeline, built in a temporary Chroma directory."""

    def __init__(self, settings: BotSettings, embedder: Embedder, folder: Path, k: int) -> None:
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        texts, metadatas = [], []
        for doc in load_documents([settings.corpus_dir], settings):
            for piece in splitter.split_text(doc.text):
                texts.append(piece)
                metadatas.append({"source": doc.source, "title": doc.title})
        self.store = Chroma("tutorial", embedding_function=embedder, persist_directory=str(folder),
                            collection_metadata={"hnsw:space": "cosine"})
        self.store.add_texts(texts, metadatas)
        self.k, self.chunks = k, len(texts)
        self.answerer = ExtractiveGenerator()
        self.vocabulary = load_vocabulary(settings.vocabulary)

    def answer(self, turns: list[str]) -> tuple[ScoredAnswer, list[str]]:
        """The last turn answered with every turn in the query: the conversation context careerchat also has."""
        question = turns[-1]
        hits = self.store.similarity_search_with_relevance_scores(" ".join(turns), k=self.k)
        passages = [Passage(id=str(n), text=doc.page_content, source=doc.metadata["source"], section=doc.metadata["title"],
                            title=doc.metadata["title"], score=score, dense=score) for n, (doc, score) in enumerate(hits)]
        request = GenerationRequest(question=question, query=question, passages=passages, vocabulary=self.vocabulary)
        checked = citations.check("".join(self.answerer.stream(request)), passages)
        answer = ScoredAnswer(question=question, answer=checked.text, refused=not checked.citations,
                              citations=[c.model_dump() for c in checked.citations], backend="extractive")
        return answer, [p.text for p in passages]


def run_tutorial(rag: TutorialRAG, cases: list[GoldenCase]) -> Iterator[Produced]:
    for case in cases:
        started = time.perf_counter()
        answer, retrieved = rag.answer(case.turns)
        yield Produced(case, answer, retrieved, round((time.perf_counter() - started) * 1000, 2))


def compare(settings: BotSettings, embedder: Embedder, limit: int | None = None) -> dict:
    splits = {split.name: [c for path in split.files for c in load_cases(path)][:limit]
              for split in discover() if split.suite == SEED}
    judge = AlignedJudge(embedder)
    k = settings.top_k
    engines = {name: Engine(settings.model_copy(update={"retrieval": method}), embedder)
               for name, method in (("dense-only", "dense"), ("bm25-only", "bm25"), ("careerchat", "hybrid"))}
    catalog = engines["careerchat"].retriever.index().catalog
    result: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        rag = TutorialRAG(settings, embedder, Path(tmp), k)
        for split, cases in splits.items():
            systems = {"langchain-tutorial": list(run_tutorial(rag, cases))}
            systems |= {name: list(run_careerchat(engine, cases)) for name, engine in engines.items()}
            rows = {}
            for name, produced in systems.items():
                summary = summarize([score_case(p.case, p.answer, [judge], p.retrieved, p.latency_ms, catalog)
                                     for p in produced], k)
                rows[name] = {m.format(k=k): summary[m.format(k=k)] for m in METRICS} | {"passed": summary["passed"]}
            result[split] = {"cases": len(cases), "systems": rows}
    return {"k": k, "tutorial_chunks": rag.chunks, "splits": result}
