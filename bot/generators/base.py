"""The contract every answer backend fulfils."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from bot.catalog import Mention
from bot.models import Passage
from bot.vocabulary import Vocabulary


class GeneratorError(Exception):
    """A backend could not answer (network, timeout, bad response); the caller falls back."""


@dataclass(frozen=True)
class GenerationRequest:
    question: str
    query: str
    passages: list[Passage]
    vocabulary: Vocabulary
    mentions: list[Mention] = field(default_factory=list)
    """Roles the (condensed) question names, as the guides' catalog knows them."""
    compared: list[Mention] = field(default_factory=list)
    """The options of a comparison (two or more), else empty."""
    history: list[tuple[str, str]] = field(default_factory=list)


class Generator(Protocol):
    name: str

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Answer text with [n] markers (n = 1-based index into ``request.passages``), piece by piece."""
        ...
