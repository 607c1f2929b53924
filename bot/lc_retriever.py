"""careerchat's hybrid retriever as a LangChain ``BaseRetriever``: usable in any LCEL chain, traced like one.

Each ``Document`` carries what an adviser or a tracer needs to judge the hit: the guide, section, role and
chunk id, and the fused score beside each ranker's own (dense cosine similarity, BM25).
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from bot.models import Passage
from bot.retrieval import HybridRetriever


def to_document(passage: Passage) -> Document:
    return Document(
        id=passage.id,
        page_content=passage.text,
        metadata={"chunk_id": passage.id, "source": passage.source, "section": passage.section,
                  "role": passage.role, "field": passage.field, "title": passage.title, "score": passage.score,
                  "dense_score": passage.dense, "bm25_score": passage.lexical},
    )


class CareerchatRetriever(BaseRetriever):
    """Hybrid (dense + BM25, fused with RRF and the corpus's role/field structure) passages for a query."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    hybrid: HybridRetriever
    k: int = Field(5, ge=1, le=20, description="Passages per query.")
    source: str | None = Field(None, description="Only passages of this guide (a Chroma `where` filter).")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(p) for p in self.hybrid.search(query, self.k, source=self.source)]
