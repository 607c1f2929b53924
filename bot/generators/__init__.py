"""Answer generators behind one interface; adding a backend is one new module plus one line in ``REGISTRY``."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from bot.generators.base import GenerationRequest, Generator, GeneratorError

if TYPE_CHECKING:
    from bot.settings import BotSettings

REGISTRY: dict[str, str] = {
    "extractive": "bot.generators.extractive:ExtractiveGenerator",
    "openai": "bot.generators.openai_compat:OpenAIGenerator",
    "local": "bot.generators.local:LocalGenerator",
}
"""Backend name -> ``module:Class``; imported only when the backend is first used."""

BACKENDS = tuple(REGISTRY)


def create_generator(backend: str, settings: BotSettings) -> Generator:
    """The named backend, built from the settings; ``GeneratorError`` when it is unknown or cannot run here."""
    if backend not in REGISTRY:
        raise GeneratorError(f"unknown backend '{backend}'; choose one of {', '.join(BACKENDS)}.")
    module, name = REGISTRY[backend].split(":")
    return getattr(import_module(module), name).from_settings(settings)


__all__ = ["BACKENDS", "REGISTRY", "GenerationRequest", "Generator", "GeneratorError", "create_generator"]
