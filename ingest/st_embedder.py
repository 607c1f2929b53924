"""The ``torch`` embedder: sentence-transformers itself, through langchain-huggingface.

The reference implementation: the ONNX embedder's vectors are tested against it, and it runs any model folder
sentence-transformers can load.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_huggingface import HuggingFaceEmbeddings
from transformers.utils import logging as hf_logging

from ingest.embedding import Embedder, ModelFolder, packaged_model_path
from ingest.settings import IngestSettings

# Token counting of over-long sentences is expected (that is how we split them); keep stderr quiet.
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers folder, loaded offline, normalized vectors."""

    def __init__(self, path: Path, batch_size: int = 32) -> None:
        self.folder = ModelFolder.read(path)
        self.batch_size = batch_size
        self._hf = HuggingFaceEmbeddings(
            model_name=str(path),
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
        )
        self.model = self._hf._client

    @classmethod
    def from_settings(cls, settings: IngestSettings) -> SentenceTransformerEmbedder:
        return cls(Path(settings.embedding_model or packaged_model_path()), batch_size=settings.embed_batch_size)

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def dimension(self) -> int:
        return self.model.get_embedding_dimension()

    @property
    def max_tokens(self) -> int:
        return self.model.max_seq_length

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._hf.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._hf.embed_query(text)
