"""The bot's settings: retrieval, the answer backend and its LLM endpoint, question limits, feedback.

They extend the ingest's (the bot reads the store the ingest wrote), under the same ``CAREERCHAT_*`` prefix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr

from bot.generators import BACKENDS
from ingest.settings import PROJECT_ROOT, IngestSettings

Backend = Literal[BACKENDS]  # type: ignore[valid-type]
Method = Literal["hybrid", "dense", "bm25"]


class BotSettings(IngestSettings):
    top_k: int = Field(5, ge=1, le=20, description="Passages retrieved per question.")
    retrieval: Method = Field(
        "hybrid", description="Retrieval method: hybrid fuses dense and BM25 (the others exist to compare against).")
    backend: Backend = Field("extractive", description="Answer generator.")
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
    feedback_db: Path = Field(PROJECT_ROOT / ".careerchat" / "feedback.sqlite3",
                              description="Conversations and thumbs up/down.")

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)


@lru_cache
def get_settings() -> BotSettings:
    return BotSettings()
