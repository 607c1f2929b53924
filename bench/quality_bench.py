"""Answer quality side by side on the seed suite (dev and test splits), in one run, scored by the same eval code and judge.

- careerchat: hybrid retrieval, rerank, condensed follow-ups, refusal policy, extractive answers.
- bm25-only: careerchat with ``retrieval=bm25`` (no dense search).
- langchain-tutorial: the plain LangChain RAG recipe: RecursiveCharacterTextSplitter(1000, 200) over the
  same cleaned documents, the same embedder in Chroma, top-4 dense, no history, no refusal policy, and the
  same extractive answerer and citation check (so only retrieval and chunking differ).
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
from evals.runner import Produced, run_careerchat
from evals.scoring import score_case, summarize
from evals.splits import SEED, discover
from ingest.embedding import Embedder
from ingest.pipeline import load_documents

METRICS = ("hit_rate@{k}", "mrr", "evidence_hit_rate", "faithfulness", "refusal_f1", "latency_p50_ms",
           "latency_p95_ms")


class TutorialRAG:
    """The LangChain tutorial pipeline, built in a temporary Chroma directory."""

    def __init__(self, settings: BotSettings, embedder: Embedder, folder: Path, k: int = 4) -> None:
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

    def answer(self, question: str) -> tuple[dict, list[str]]:
        hits = self.store.similarity_search_with_relevance_scores(question, k=self.k)
        passages = [Passage(id=str(n), text=doc.page_content, source=doc.metadata["source"], section=doc.metadata["title"],
                            title=doc.metadata["title"], score=score, dense=score) for n, (doc, score) in enumerate(hits)]
        request = GenerationRequest(question=question, query=question, passages=passages, vocabulary=self.vocabulary)
        checked = citations.check("".join(self.answerer.stream(request)), passages)
        answer = {"question": question, "answer": checked.text, "refused": not checked.citations,
                  "citations": [c.model_dump() for c in checked.citations], "backend": "extractive"}
        return answer, [p.text for p in passages]


def run_tutorial(rag: TutorialRAG, cases: list[GoldenCase]) -> Iterator[Produced]:
    for case in cases:
        started = time.perf_counter()
        answer, retrieved = rag.answer(case.turns[-1])
        yield Produced(case, answer, retrieved, round((time.perf_counter() - started) * 1000, 2))


def compare(settings: BotSettings, embedder: Embedder, limit: int | None = None) -> dict:
    cases = [c for split in discover() if split.suite == SEED for path in split.files for c in load_cases(path)][:limit]
    engine = Engine(settings, embedder)
    catalog = engine.retriever.index().catalog
    judge = AlignedJudge(embedder)
    k = settings.top_k
    systems: dict[str, list[Produced]] = {
        "careerchat": list(run_careerchat(engine, cases)),
        "bm25-only": list(run_careerchat(Engine(settings.model_copy(update={"retrieval": "bm25"}), embedder), cases)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        rag = TutorialRAG(settings, embedder, Path(tmp))
        systems["langchain-tutorial"] = list(run_tutorial(rag, cases))
    result = {}
    for name, produced in systems.items():
        scored = [score_case(p.case, p.answer, [judge], p.retrieved, p.latency_ms, catalog) for p in produced]
        summary = summarize(scored, k)
        result[name] = {m.format(k=k): summary[m.format(k=k)] for m in METRICS} | {"passed": summary["passed"]}
    result["langchain-tutorial"]["chunks"] = rag.chunks
    return {"k": k, "cases": len(cases), "systems": result}
