"""The eval's settings: where the report goes (the app's eval page reads it). Extends the bot's."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from bot.settings import BotSettings
from ingest.settings import PROJECT_ROOT


class EvalSettings(BotSettings):
    eval_report: Path = Field(PROJECT_ROOT / "artifacts" / "eval" / "eval.json", description="Report the eval page shows.")


@lru_cache
def get_eval_settings() -> EvalSettings:
    return EvalSettings()
