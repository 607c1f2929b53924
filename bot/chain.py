"""The answer turn as a LangChain ``Runnable``: condense -> retrieve -> refuse or generate -> check citations.

Every step is a child run of the turn, so a callback handler (LangSmith, OpenTelemetry, a test's recorder)
sees one nested trace, and ``config`` (callbacks, tags, metadata, run name) reaches each step and the LLM
calls inside them. ``invoke`` returns the checked ``Answer``; ``stream`` yields its text as it is made. The
CLI, the app and the eval runner all answer through this class.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from langchain_core.callbacks import CallbackManagerForChainRun
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import (
    ensure_config,
    get_callback_manager_for_config,
    patch_config,
    run_in_executor,
)

from bot import citations, condense, markers
from bot.catalog import Mention
from bot.generators import GenerationRequest, GeneratorError
from bot.language import ASK_IN_ENGLISH, is_foreign
from bot.models import ANSWER_METADATA, Answer, AnswerOptions, Passage
from bot.refusal import FOR_ME, Verdict, beyond_guide, carried_off_topic, subject_roles
from bot.replies import (
    SMALL_TALK,
    SMALL_TALK_REPLY,
    not_covered,
    not_described,
    not_in_named,
    not_in_source,
    only_some_state,
    refusal_text,
    roles_overview,
    roles_under,
)
from bot.retrieval import ASKS_FOR_ROLE, Index, asks_every_role, compared, listed_group, stating_roles, surveyed

if TYPE_CHECKING:
    from bot.chat import Engine


class TurnInput(TypedDict, total=False):
    """What one turn reads: the question and the conversation so far (the shape RunnableWithMessageHistory uses)."""

    question: str
    history: Sequence[BaseMessage]


@dataclass(frozen=True)
class Earlier:
    question: str
    answer: str
    query: str
    """The earlier turn's stand-alone query (careerchat's own messages carry it), else its question as asked."""
    sections: list[str] = field(default_factory=list)
    """The sections of the passages it cited: what its topic is called in the guides."""
    roles: list[str] = field(default_factory=list)
    """The role headings of the passages it cited, in the order its answer shows them: what it was about."""


def earlier_turns(history: Sequence[BaseMessage]) -> list[Earlier]:
    """Question/answer pairs of the history; a question with no reply yet still counts as context."""
    turns: list[Earlier] = []
    asked: str | None = None
    for message in history:
        if isinstance(message, HumanMessage):
            if asked is not None:
                turns.append(Earlier(asked, "", asked))
            asked = message.text
        elif isinstance(message, AIMessage) and asked is not None:
            meta = message.response_metadata.get(ANSWER_METADATA, {})
            cited = meta.get("citations", [])
            shown = [cited[n - 1] for n in markers.find(message.text) if 0 < n <= len(cited)]
            turns.append(Earlier(asked, message.text, meta.get("rewritten_query", asked), [c["section"] for c in cited],
                                 list(dict.fromkeys(c["role"] for c in shown + cited if c.get("role")))))
            asked = None
    if asked is not None:
        turns.append(Earlier(asked, "", asked))
    return turns


def as_messages(answers: Sequence[Answer]) -> list[BaseMessage]:
    """A conversation's answers as the chat history a turn reads."""
    return [message for a in answers for message in (HumanMessage(a.question), a.to_message())]


@dataclass
class _Step:
    config: RunnableConfig
    """For work inside the step (an LLM call): its runs nest under the step."""
    output: dict[str, Any] = field(default_factory=dict)


@contextmanager
def _step(run: CallbackManagerForChainRun, config: RunnableConfig, name: str, inputs: dict) -> Iterator[_Step]:
    child = run.get_child().on_chain_start(None, inputs, name=name)
    step = _Step(patch_config(config, callbacks=child.get_child()))
    try:
        yield step
    except BaseException as exc:
        child.on_chain_error(exc)
        raise
    child.on_chain_end(step.output)


class TurnStream(Iterator[str]):
    """The text pieces of one answer; ``answer`` holds the checked ``Answer`` once they are all read."""

    def __init__(self, chain: AnswerChain, turn: TurnInput, config: RunnableConfig | None) -> None:
        self.answer: Answer | None = None
        self._pieces = chain._run(turn, ensure_config(config), self)

    def __next__(self) -> str:
        return next(self._pieces)

    def close(self) -> None:
        self._pieces.close()


class AnswerChain(Runnable[TurnInput, Answer]):
    """One careerchat turn with fixed options (passages per question, backend, guide filter)."""

    name = "careerchat"

    def __init__(self, engine: Engine, k: int, backend: str, source: str | None = None) -> None:
        self.engine, self.k, self.backend, self.source = engine, k, backend, source
        self.retriever = engine.as_retriever(k, source)

    @property
    def InputType(self) -> type:  # noqa: N802 (LangChain's name)
        return TurnInput

    @property
    def OutputType(self) -> type[Answer]:  # noqa: N802
        return Answer

    def stream_turn(self, input: TurnInput, config: RunnableConfig | None = None) -> TurnStream:
        """``stream`` that also keeps the checked answer (``.answer``) for a UI that shows its citations."""
        return TurnStream(self, input, config)

    def invoke(self, input: TurnInput, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        turn = self.stream_turn(input, config)
        for _ in turn:
            pass
        assert turn.answer is not None
        return turn.answer

    def stream(self, input: TurnInput, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[str]:
        yield from self.stream_turn(input, config)

    async def ainvoke(self, input: TurnInput, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return await run_in_executor(config, self.invoke, input, config)

    async def astream(self, input: TurnInput, config: RunnableConfig | None = None,
                      **kwargs: Any) -> AsyncIterator[str]:
        """The sync pieces, each read in a worker thread so the event loop never waits on retrieval."""
        turn = self.stream_turn(input, config)
        done = object()
        while (piece := await run_in_executor(config, next, turn, done)) is not done:
            yield piece

    def _run(self, turn: TurnInput, config: RunnableConfig, sink: TurnStream) -> Iterator[str]:
        history = list(turn.get("history") or [])
        run = get_callback_manager_for_config(config).on_chain_start(
            None, {"question": turn.get("question", ""), "history": history},
            name=config.get("run_name") or self.get_name(), run_id=config.pop("run_id", None))
        try:
            work = _Work(self, run, config, earlier_turns(history))
            yield from work.pieces(turn.get("question", ""))
        except BaseException as exc:
            run.on_chain_error(exc)
            raise
        sink.answer = work.answer
        run.on_chain_end(work.answer)


class _Work:
    """The state of one turn as its steps run: timings, notices, the answer at the end."""

    def __init__(self, chain: AnswerChain, run: CallbackManagerForChainRun, config: RunnableConfig,
                 history: list[Earlier]) -> None:
        self.chain, self.engine, self.run, self.config, self.history = chain, chain.engine, run, config, history
        self.answer: Answer | None = None
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def _lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round((now - self._clock) * 1000, 2)
        self._clock = now

    def step(self, name: str, **inputs: Any) -> AbstractContextManager[_Step]:
        return _step(self.run, self.config, name, inputs)

    def refuse(self, question: str, query: str, text: str, passages: list[Passage], notices: list[str],
               reason: str) -> str:
        with self.step("refuse", query=query, reason=reason) as step:
            step.output = {"text": text}
        self._finish(question, query, text, passages, True, self.chain.backend, notices)
        return text

    def pieces(self, question: str) -> Iterator[str]:
        engine, chain = self.engine, self.chain
        question_text, notice = engine.prepare(question)
        notices = [notice] if notice else []
        index = engine.retriever.index()
        if SMALL_TALK.match(question_text):
            yield self.refuse(question_text, "", SMALL_TALK_REPLY, [], notices, "small talk")
            return
        if is_foreign(question_text, index.vocabulary):
            yield self.refuse(question_text, "", ASK_IN_ENGLISH, [], notices, "not in English")
            return
        safe = index.catalog.rejoined(index.speller.correct(
            engine.vocabulary.spelled_out(engine.policy.strip_injection(question_text)), index.vocabulary))
        with self.step("condense", question=question_text, history=[e.question for e in self.history]) as step:
            query = self._condense(safe, notices, index, step.config) if safe else ""
            step.output = {"query": query}
        self._lap("condense_ms")
        if not query:
            yield self.refuse(question_text, query, refusal_text(index), [], notices, "nothing left to ask")
            return
        if asks_every_role(query) and not index.catalog.mentions(query):
            yield self.refuse(question_text, query, roles_overview(index), [], notices, "asks which roles there are")
            return
        strict = engine.policy.has_injection(question_text)
        passages, mentions, verdict = self._retrieve_and_judge(query, index, strict)
        for about in self._follow_up_readings(query, verdict, mentions, index):
            retried = self._retrieve_and_judge(about, index, strict)
            if retried[2].answerable:
                query, (passages, mentions, verdict) = about, retried
                break
        self._lap("retrieve_ms")
        if verdict.answerable and not index.catalog.mentions(safe) \
                and carried_off_topic(safe, mentions, passages, engine.vocabulary):
            yield self.refuse(question_text, query, refusal_text(index), passages, notices, "off topic for earlier roles")
            return
        source = chain.source or index.named_guide(query)
        # A guide the question names lacks a role it only tells of ("I'm aiming for data analyst roles. What does
        # the IT guide say about certs?"): no refusal; a guide the asker chose answers about every role or none.
        asked = mentions if chain.source else subject_roles(query, mentions)
        lacking = bool(verdict.answerable and source and asked and not index.covers(asked, source))
        # A guide only an earlier turn named ("What does a back end engineer do, per the roles guide?" ... "actually,
        # what about data science?") limits nothing asked of a role it lacks: the answer says so and comes from all.
        carried = not chain.source and not index.named_guide(safe)
        if lacking and not carried:
            text = not_in_source(source, asked, chosen=bool(chain.source))
            yield self.refuse(question_text, query, text, passages, notices, "the chosen guide has no such role")
            return
        beyond = [] if chain.source or not source else [m.label for m in asked] if lacking else \
            beyond_guide(query, mentions, source, index)
        if beyond and not lacking and asked and not any(index.covers(asked, other) for other in index.sources
                                                         if other != source):
            text = not_in_named(source, beyond, asked)
            yield self.refuse(question_text, query, text, passages, notices, "the named guide lacks the topic")
            return
        if not verdict.answerable:
            text = refusal_text(index, verdict, mentions)
            yield self.refuse(question_text, query, text, passages, notices, verdict.reason or "not answerable")
            return
        preface = ""
        backend = chain.backend
        # A detail asked across roles ("Which job pays the most?"): each role stating it answers, under a caveat.
        detail = surveyed(query, mentions, engine.vocabulary, source)
        survey = len(stating_roles(passages, detail)) >= 2
        group = "" if mentions else listed_group(query, index)
        with self.step("generate", query=query, backend=backend, passages=[p.id for p in passages]) as step:
            # Framing, not a claim: an emphasised line is never checked against the passages.
            if verdict.unstated:
                missing = not_covered(index, verdict.unstated, mentions, "but here is what they do say.", verdict.subject)
                preface = f"_{missing}_\n\n"
            elif beyond:
                preface = f"_{not_in_named(source, beyond)}_\n\n"
            elif survey:
                preface = f"_{only_some_state(detail)}_\n\n"
            elif group:
                preface = f"_{roles_under(group, len(passages))}_\n\n"
            if verdict.uncovered:
                preface = f"_{not_described(verdict.uncovered, mentions)}_\n\n{preface}"
            if preface:
                yield preface
            request = GenerationRequest(
                question=safe, query=query, passages=passages, vocabulary=engine.vocabulary, mentions=mentions,
                compared=compared(mentions, query), history=[(e.question, e.answer) for e in self.history],
                relevance=engine.relevance, catalog=index.catalog, surveyed=survey, listed=bool(group),
                looked_up=verdict.looked_up,
            )
            parts: list[str] = []
            try:
                for piece in engine.generator(backend).stream(request, step.config):
                    parts.append(piece)
                    yield piece
            except GeneratorError as exc:
                notices.append(f"The {backend} backend failed ({exc}); showing the offline extractive answer instead.")
                backend = "extractive"
                parts = list(engine.generator(backend).stream(request, step.config))
                yield "\n\n" + "".join(parts)
            text = "".join(parts)
            step.output = {"text": text, "backend": backend}
        with self.step("check_citations", text=text, passages=[p.id for p in passages]) as step:
            answer = self._finish(question_text, query, text, passages, False, backend, notices, preface)
            step.output = {"citations": [c.model_dump() for c in answer.citations], "refused": answer.refused,
                           "dropped": answer.dropped_sentences}

    def _finish(self, question: str, query: str, text: str, passages: list[Passage], refused: bool,
                backend: str, notices: list[str], preface: str = "") -> Answer:
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
            notice=" ".join(notices) or None, dropped_sentences=checked.dropped,
            retrieved=[p.id for p in passages],
            options=AnswerOptions(backend=self.chain.backend, k=self.chain.k, source=self.chain.source),
        )
        return self.answer

    def _follow_up_readings(self, query: str, verdict: Verdict, mentions: list[Mention], index: Index) -> list[str]:
        """A follow-up the guides cannot place alone, read about the conversation: its roles ("Which industries
        could I work in?"), else, naming none, the topic of the turn before ("are they required?" after a question
        on certifications) or the role its answer led with ("Which specialisation fits that?" ... "What should I
        build to show it?"). Tried in this order; the first answerable reading is taken."""
        if not self.history:
            return []
        readings = []
        if verdict.weak_match:
            readings.append(condense.with_earlier_roles(query, [e.query for e in self.history if e.query],
                                                        index.catalog))
        if verdict.below_floor and not mentions:
            last = self.history[-1]
            readings += [condense.with_earlier_topic(query, last.query, last.sections),
                         condense.with_earlier_roles(query, last.roles[:1], index.catalog)]
        return [r for r in dict.fromkeys(readings) if r != query]

    def _retrieve_and_judge(self, query: str, index: Index, strict: bool) -> tuple[list[Passage], list[Mention], Verdict]:
        """Searches the chosen guide, else the one guide the question names ("what does the atlas say ...") when it
        covers every role asked about ("X in the roles guide vs Y" also asks about another guide's Y), else all."""
        mentions = index.catalog.mentions(query)
        named = "" if self.chain.source else index.named_guide(query)
        if named and all(index.covers([m], named) for m in mentions) and not beyond_guide(query, mentions, named, index):
            retriever = self.engine.as_retriever(self.chain.k, named)
        else:
            retriever = self.chain.retriever
        documents = retriever.invoke(query, patch_config(self.config, callbacks=self.run.get_child(),
                                                         run_name="retrieve"))
        passages = [index.passage(index.position[d.id], d.metadata["score"], d.metadata["dense_score"],
                                  d.metadata["bm25_score"]) for d in documents if d.id in index.position]
        engine = self.engine
        return passages, mentions, engine.policy.judge(query, passages, mentions, index, engine.vocabulary, strict,
                                                       engine.relevance)

    def _condense(self, question: str, notices: list[str], index: Index, config: RunnableConfig) -> str:
        # A turn that asked which role fits ("What role fits me?") is about the role its answer led with: "what
        # would my day look like?" asks about that one.
        # "Tell me more about the second one" counts the roles in the order that answer showed them.
        shown = None if condense.ORDINAL.search(question) else 1
        earlier = [f"{e.query} (about {' and '.join(e.roles[:shown])})" if e.roles and not index.catalog.mentions(e.query)
                   and (ASKS_FOR_ROLE.search(e.query) or FOR_ME.search(e.query)) else e.query
                   for e in self.history if e.query]
        if self.chain.backend == "openai" and self.history and self.engine.settings.llm_configured:
            try:
                pairs = [(e.question, e.answer) for e in self.history]
                return self.engine.generator("openai").condense(question, pairs, config)
            except GeneratorError as exc:
                notices.append(f"Could not rewrite the follow-up with the LLM ({exc}); used the offline rewrite.")
        return condense.rewrite(question, earlier, index.catalog, self.engine.vocabulary)
