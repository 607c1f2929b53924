"""The contract every answer backend fulfils."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from bot.models import Passage
from bot.roles import Role


class GeneratorError(Exception):
    """A backend could not answer (network, timeout, bad response); the caller falls back."""


@dataclass(frozen=True)
class GenerationRequest:
    question: str
    query: str
    passages: list[Passage]
    roles: list[Role] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)


class Generator(Protocol):
    name: str

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Answer text with [n] markers (n = 1-based index into ``request.passages``), piece by piece."""
        ...
