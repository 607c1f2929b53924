"""Answer generators behind one interface; adding a backend is one new module plus one registry line."""

from __future__ import annotations

from bot.generators.base import GenerationRequest, Generator, GeneratorError

__all__ = ["GenerationRequest", "Generator", "GeneratorError"]
