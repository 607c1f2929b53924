"""One question in, one grounded answer out: condense -> retrieve -> decide -> generate -> check citations.

``Engine`` holds the expensive parts (embedder, store, BM25 index) and is shared; ``Conversation`` holds one
person's history. The CLI and the Streamlit app both use these and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot import citations, condense
from bot.catalog import Mention
from bot.generators import GenerationRequest, Generator, GeneratorError
from bot.generators.extractive import ExtractiveGenerator
from bot.language import ASK_IN_ENGLISH, is_foreign
from bot.models import Answer, AnswerOptions, Passage
from bot.refusal import RefusalPolicy, Verdict
from bot.retrieval import HybridRetriever, Index, compared, field_label
from bot.text import sentences
from bot.vocabulary import load_vocabulary
from ingest.cleaning import normalize_unicode
from ingest.embedding import Embedder, load_embedder
from ingest.settings import Settings, get_settings
from ingest.store import ChunkStore

BACKENDS = ("extractive", "openai", "local")


MAX_LISTED = 12


class EmptyQuestionError(ValueError):
    """A message with nothing but whitespace: the UI and CLI reject it before any work is done."""


def coverage(index: Index) -> str:
    """What the ingested guides cover, from their own role headings and topics (not a fixed sentence)."""
    roles = list(dict.fromkeys(m.get("role", "") for m in index.metas if m.get("role")))
    topics = list(dict.fromkeys(
        m.get("section", "").split(" > ")[0] for m in index.metas if not m.get("role") and m.get("section")))
    shown = roles[:MAX_LISTED] + ([f"and {len(roles) - MAX_LISTED} more"] if len(roles) > MAX_LISTED else [])
    listed = f"roles: {', '.join(shown)}" if shown else ""
    if topics:
        listed += ("; " if listed else "") + f"topics: {', '.join(topics[:MAX_LISTED])}"
    return listed


def refusal_text(index: Index, verdict: Verdict | None = None, mentions: list[Mention] | None = None) -> str:
    titles = sorted({m.get("title", "") for m in index.metas} - {""})
    guides = "; ".join(f"“{t}”" for t in titles) or "the career guides"
    if verdict and verdict.unstated:
        return not_covered(index, verdict.unstated, mentions or [], "and I won't guess.")
    covered = coverage(index)
    return (
        "I can't answer that from the career guides I have, and I won't guess. "
        + (f"They cover {covered}. " if covered else "")
        + f"Sources: {guides}."
    )


def not_covered(index: Index, what: str, mentions: list[Mention], then: str) -> str:
    """One plain sentence on what the guides do not say, and the fields they do cover for the asked role."""
    whose = " or ".join(m.label for m in mentions)
    keys = frozenset().union(*(m.keys for m in mentions))
    fields = sorted({field_label(m.get("field", ""), m.get("section", ""))
                     for m, roles in zip(index.metas, index.roles, strict=True) if roles & keys} - {""})
    offer = f" For {whose} they cover: {', '.join(fields[:MAX_LISTED])}." if fields else ""
    return f"The career guides don't say anything about {what}{f' for {whose}' if whose else ''}, {then}{offer}"


def keep_question(text: str, limit: int) -> str:
    """What a long paste asks: its closing question sentences, else its last whole sentences that fit."""
    tail = text[-limit:]
    spans = sentences(tail)[1:] or sentences(tail)
    asked = []
    for start, end in reversed(spans):
        if not tail[start:end].rstrip().endswith("?"):
            break
        asked.insert(0, (start, end))
    return tail[(asked or spans)[0][0]:].strip()


@dataclass
class Engine:
    settings: Settings = field(default_factory=get_settings)
    embedder: Embedder | None = None
    policy: RefusalPolicy = field(default_factory=RefusalPolicy)

    def __post_init__(self) -> None:
        self.embedder = self.embedder or load_embedder(self.settings)
        self.vocabulary = load_vocabulary(self.settings.vocabulary)
        self.store = ChunkStore(self.settings, self.embedder)
        self.retriever = HybridRetriever(self.store, self.vocabulary)
        self.extractive = ExtractiveGenerator()

    def generator(self, backend: str) -> Generator:
        if backend == "extractive":
            return self.extractive
        if backend == "openai":
            from bot.generators.openai_compat import OpenAIGenerator

            return OpenAIGenerator(self.settings)
        raise GeneratorError(
            f"The '{backend}' backend is not available: no packaged instruct model runs acceptably on this machine."
        )

    def prepare(self, question: str) -> tuple[str, str | None]:
        """Normalized question and a notice when it had to be shortened (keeping its end, where the question is)."""
        cleaned = " ".join(normalize_unicode(question).split())
        if not cleaned:
            raise EmptyQuestionError("the question is empty.")
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            kept = keep_question(cleaned, limit)
            return kept, (f"Your message was {len(cleaned):,} characters; only its last {len(kept):,} "
                          "(the last sentences, where the question usually is) were used.")
        return cleaned, None

    def turn(
        self,
        history: list[Answer] | None = None,
        *,
        k: int | None = None,
        backend: str | None = None,
        source: str | None = None,
    ) -> _Turn:
        return _Turn(self, history or [], k or self.settings.top_k, backend or self.settings.backend, source)

    def ask(self, question: str, history: list[Answer] | None = None, **options) -> Answer:
        return self.turn(history, **options).run(question)

    def as_retriever(self, k: int | None = None, source: str | None = None):
        """The hybrid retriever as a LangChain ``BaseRetriever`` (``retriever | format_docs`` and so on)."""
        from bot.lc_retriever import CareerchatRetriever

        return CareerchatRetriever(hybrid=self.retriever, k=k or self.settings.top_k, source=source)


class _Turn:
    def __init__(self, engine: Engine, history: list[Answer], k: int, backend: str, source: str | None) -> None:
        self.engine, self.history, self.k, self.backend = engine, history, k, backend
        self.source = source
        self.answer: Answer | None = None
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def _lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round((now - self._clock) * 1000, 2)
        self._clock = now

    def _finish(self, question: str, query: str, text: str, passages: list[Passage], refused: bool,
                backend: str, notices: list[str], dropped: list[str] | None = None, preface: str = "") -> Answer:
        checked = citations.check(text, passages) if not refused else citations.Checked(text, [])
        if not refused and not checked.citations:
            refused, checked = True, citations.Checked(refusal_text(self.engine.retriever.index()), [])
        elif preface:
            checked.text = preface + checked.text
        self._lap("generate_ms")
        self.timings["total_ms"] = round(sum(v for k, v in self.timings.items() if k != "total_ms"), 2)
        self.answer = Answer(
            question=question, answer=checked.text, refused=refused, rewritten_query=query,
            citations=checked.citations, backend=backend, timings=self.timings,
            notice=" ".join(notices) or None, dropped_sentences=(dropped or []) + checked.dropped,
            retrieved=[p.id for p in passages],
            options=AnswerOptions(backend=self.backend, k=self.k, source=self.source),
        )
        return self.answer

    def pieces(self, question: str) -> Iterator[str]:
        engine = self.engine
        question_text, notice = engine.prepare(question)
        notices = [notice] if notice else []
        index = engine.retriever.index()
        if is_foreign(question_text):
            yield self._finish(question_text, "", ASK_IN_ENGLISH, [], True, self.backend, notices).answer
            return
        safe = engine.policy.strip_injection(question_text)
        query = self._condense(safe, notices, index) if safe else ""
        self._lap("condense_ms")
        if not query:
            yield self._finish(question_text, query, refusal_text(index), [], True, self.backend, notices).answer
            return
        passages = engine.retriever.search(query, self.k, source=self.source)
        self._lap("retrieve_ms")
        mentions = index.catalog.mentions(query)
        verdict = engine.policy.judge(query, passages, mentions, index, engine.vocabulary,
                                      strict=engine.policy.has_injection(question_text))
        if not verdict.answerable:
            text = refusal_text(index, verdict, mentions)
            yield self._finish(question_text, query, text, passages, True, self.backend, notices).answer
            return
        if verdict.unstated:
            # Framing, not a claim: an emphasised line is never checked against the passages.
            preface = f"_{not_covered(index, verdict.unstated, mentions, 'but here is what they do say.')}_\n\n"
            yield preface
        request = GenerationRequest(
            question=safe, query=query, passages=passages, vocabulary=engine.vocabulary, mentions=mentions,
            compared=compared(mentions, query), history=[(a.question, a.answer) for a in self.history],
        )
        backend = self.backend
        parts: list[str] = []
        try:
            for piece in engine.generator(backend).stream(request):
                parts.append(piece)
                yield piece
        except GeneratorError as exc:
            notices.append(f"The {backend} backend failed ({exc}); showing the offline extractive answer instead.")
            backend = "extractive"
            parts = list(engine.extractive.stream(request))
            yield "\n\n" + "".join(parts)
        self._finish(question_text, query, "".join(parts), passages, False, backend, notices,
                     preface=preface if verdict.unstated else "")

    def _condense(self, question: str, notices: list[str], index: Index) -> str:
        earlier = [a.rewritten_query for a in self.history if a.rewritten_query]
        if self.backend == "openai" and self.history and self.engine.settings.llm_configured:
            try:
                from bot.generators.openai_compat import OpenAIGenerator

                pairs = [(a.question, a.answer) for a in self.history]
                return OpenAIGenerator(self.engine.settings).condense(question, pairs)
            except GeneratorError as exc:
                notices.append(f"Could not rewrite the follow-up with the LLM ({exc}); used the offline rewrite.")
        return condense.rewrite(question, earlier, index.catalog, self.engine.vocabulary)

    def run(self, question: str) -> Answer:
        for _ in self.pieces(question):
            pass
        assert self.answer is not None
        return self.answer


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
        turn = self.engine.turn(self.history, **options)
        yield from turn.pieces(question)
        assert turn.answer is not None
        self.history.append(turn.answer)

    def reset(self) -> None:
        self.history.clear()
