"""The shared engine and one person's conversation, both answering through the ``AnswerChain`` runnable.

``Engine`` holds the expensive parts (embedder, store, BM25 index, generators) and is shared; ``Conversation``
holds one person's history. The CLI, the app and the eval runner use these and nothing else.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.chain import AnswerChain, as_messages
from bot.generators import Generator, create_generator
from bot.lc_retriever import CareerchatRetriever
from bot.models import Answer
from bot.refusal import RefusalPolicy
from bot.relevance import SentenceRelevance
from bot.retrieval import HybridRetriever
from bot.settings import BotSettings, get_settings
from bot.text import sentences
from bot.vocabulary import load_vocabulary
from ingest.cleaning import normalize_unicode
from ingest.embedding import Embedder, load_embedder
from ingest.store import ChunkStore

_SHARED: dict[str, Engine] = {}
_SHARED_LOCK = threading.Lock()


class EmptyQuestionError(ValueError):
    """A message with nothing but whitespace: the UI and CLI reject it before any work is done."""


_QUESTION = re.compile(r"[^\s.!?][^.!?]*\?")


def keep_question(text: str, limit: int) -> str:
    """What a long paste asks: its closing question sentences; else, when it asks first and explains after, its
    last question and what follows as far as it fits; else its last whole sentences that fit."""
    tail = text[-limit:]
    spans = sentences(tail)[1:] or sentences(tail)
    asked = []
    for start, end in reversed(spans):
        if not tail[start:end].rstrip().endswith("?"):
            break
        asked.insert(0, (start, end))
    if asked:
        return tail[asked[0][0]:].strip()
    questions = list(_QUESTION.finditer(text))
    if questions and questions[-1].start() < len(text) - limit:
        start = questions[-1].start()
        kept = [(s, e) for s, e in sentences(text) if s >= start and e - start <= limit]
        return text[start:max([questions[-1].end(), *(e for _, e in kept)])][:limit].strip()
    return tail[spans[0][0]:].strip()


@dataclass
class Engine:
    """The expensive, shared parts (embedder, store, BM25 index, sentence vectors, generators); answers come from
    ``as_runnable``."""

    settings: BotSettings = field(default_factory=get_settings)
    embedder: Embedder | None = None
    policy: RefusalPolicy = field(default_factory=RefusalPolicy)

    def __post_init__(self) -> None:
        self.embedder = self.embedder or load_embedder(self.settings)
        self.vocabulary = load_vocabulary(self.settings.vocabulary)
        self.store = ChunkStore(self.settings, self.embedder)
        self.retriever = HybridRetriever(self.store, self.vocabulary, self.settings.retrieval)
        self.relevance = SentenceRelevance(self.embedder)
        self._generators: dict[str, Generator] = {}

    @classmethod
    def shared(cls, settings: BotSettings) -> Engine:
        """One engine per process for these bot settings: the app's sessions and the server's warm-up share it."""
        key = settings.model_dump_json(include=set(BotSettings.model_fields))
        with _SHARED_LOCK:
            if key not in _SHARED:
                _SHARED[key] = cls(settings)
            return _SHARED[key]

    def generator(self, backend: str) -> Generator:
        """The backend's generator, made once; one that cannot be made raises ``GeneratorError`` each time."""
        if backend not in self._generators:
            self._generators[backend] = create_generator(backend, self.settings)
        return self._generators[backend]

    def prepare(self, question: str) -> tuple[str, str | None]:
        """Normalized question and a notice when it had to be shortened (keeping the question, see keep_question)."""
        cleaned = " ".join(normalize_unicode(question).split())
        if not cleaned:
            raise EmptyQuestionError("the question is empty.")
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            kept = keep_question(cleaned, limit)
            where = "the last sentences" if cleaned.endswith(kept) else "from its last question on"
            return kept, (f"Your message was {len(cleaned):,} characters; only {len(kept):,} of them ({where}) "
                          "were used.")
        return cleaned, None

    def as_runnable(self, k: int | None = None, backend: str | None = None, source: str | None = None) -> AnswerChain:
        """The answer turn as a LangChain ``Runnable`` (``invoke``, ``batch``, ``stream``, ``astream_events``)."""
        return AnswerChain(self, k or self.settings.top_k, backend or self.settings.backend, source)

    def as_retriever(self, k: int | None = None, source: str | None = None) -> CareerchatRetriever:
        """The hybrid retriever as a LangChain ``BaseRetriever`` (``retriever | format_docs`` and so on)."""
        return CareerchatRetriever(hybrid=self.retriever, k=k or self.settings.top_k, source=source)

    def ask(self, question: str, history: list[Answer] | None = None, **options) -> Answer:
        return self.as_runnable(**options).invoke({"question": question, "history": as_messages(history or [])})


@dataclass
class Conversation:
    """One person's chat: history stays here, never in the shared engine."""

    engine: Engine
    history: list[Answer] = field(default_factory=list)

    def ask(self, question: str, **options) -> Answer:
        answer = self.engine.ask(question, self.history, **options)
        self.history.append(answer)
        return answer

    def stream(self, question: str, **options) -> Iterator[str]:
        """Answer text as it is generated; the checked answer joins the history when the stream ends."""
        turn = self.engine.as_runnable(**options).stream_turn(
            {"question": question, "history": as_messages(self.history)})
        yield from turn
        assert turn.answer is not None
        self.history.append(turn.answer)

    def reset(self) -> None:
        self.history.clear()
