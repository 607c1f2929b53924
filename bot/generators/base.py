"""The contract every answer backend fulfils."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from langchain_core.runnables import RunnableConfig

from bot.catalog import Mention, RoleCatalog
from bot.models import Passage
from bot.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.relevance import SentenceRelevance
    from bot.settings import BotSettings


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
    relevance: SentenceRelevance | None = None
    """Meaning-level closeness of sentences to the question, for a backend that selects sentences."""
    catalog: RoleCatalog | None = None
    """The guides' roles, for a backend that labels parts: a label must name the role of what it shows."""
    surveyed: bool = False
    """A detail asked across roles that several roles' passages state ("Which job pays the most?"): each answers."""
    listed: bool = False
    """The passages open the roles under one heading ("What kinds of product roles are there?"): each is a part."""
    looked_up: tuple[str, ...] = ()
    """Stems of the names a "which role" question asks by: the lines naming them answer it."""


class Generator(Protocol):
    name: str

    @classmethod
    def from_settings(cls, settings: BotSettings) -> Generator:
        """The backend as the settings configure it; raises ``GeneratorError`` when it cannot run."""
        ...

    def stream(self, request: GenerationRequest, config: RunnableConfig | None = None) -> Iterator[str]:
        """Answer text with [n] markers (n = 1-based index into ``request.passages``), piece by piece; ``config``
        carries the caller's callbacks so an LLM call shows in its trace."""
        ...
