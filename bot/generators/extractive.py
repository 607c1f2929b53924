"""The offline default: an answer made only of sentences copied from the passages, each with its [n].

Sentences are chosen by their relevance to the question (its words, the aspect it asks about, the field
they sit under), not whole passages by rank. Every part of the answer is labelled with the role (or the
guide's topic) it is about, and holds only sentences from passages about that role, so a data scientist's
day is never shown as a data engineer's. A comparison gives each option a parallel part and names the role
in each "How to decide" line. Being verbatim, it can never state what the corpus does not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_core.runnables import RunnableConfig

from bot.catalog import Mention, about_only, replace_roles
from bot.figures import asks_whether, counted, gives_figure
from bot.generators.base import GenerationRequest
from bot.models import Passage
from bot.refusal import asked_sentences, asking_part, subject_roles
from bot.retrieval import (
    DEFAULT_ASPECT,
    FIT_ASPECT,
    asked_aspects,
    field_label,
    field_weight,
    specific_aspects,
)
from bot.text import content_stems, display_heading, sentences
from bot.vocabulary import Aspect, Vocabulary, find_phrase, stems_of
from ingest.tables import CELL_LABEL, ROW, ROW_CELL_BREAK

if TYPE_CHECKING:
    from bot.settings import BotSettings

MAX_SENTENCES = 6
PER_PASSAGE = 4
PER_OPTION = 3
PER_OPTION_PASSAGE = 2
"""Sentences one passage gives a part that shares the answer with others (a compared option, a surveyed role)."""
COMPARISON_SENTENCES = 8
"""A compared option's share of a comparison: two options get four sentences each, more get three (chosen on the
dev splits: a role's part needs room for what it does and who it suits)."""
MEANING_WEIGHT = 2.0
"""Weight of a sentence's closeness in meaning to the question beside its word overlap (chosen on the dev splits:
it finds the sentence that answers in other words). Not for a comparison: "QA or security?" means little beyond
its role names, and each option's part should hold what defines it."""
RUN_IN_WORDS = 3
MIN_STEMS = 3
"""Content words a sentence needs to be chosen alone; a shorter one ("Not for most jobs.", an FAQ's direct answer)
stays on the sentence after it."""
LIST_MARKS = re.compile(r"\s*(?:[-•*]|\d{1,2}[.)])\s")
SENTENCE_ENDS = (".", "!", "?")
"""A list item is marked, or is a fragment ("Finance and insurance ...... 13%") after the line introducing it."""
RANK_WEIGHT = 0.15
"""Score a sentence loses per place its passage is down the ranking (chosen on the dev splits, flat from 0.12 to 0.25):
the best passage's other sentences ("A truly baffling and exhausting existence.") beat a lower one's closer words."""
NAMES_OTHER_WEIGHT = 0.5
"""Bonus in a comparison for a sentence that names another compared option ("Unlike a sales engineer, who mostly
demonstrates..."): it is the guide's own comparison."""
FIGURE_WEIGHT = 1.0
"""Bonus for a sentence that gives the figure a question asks ("Educational services ...... 9%" for "what share
of DBA jobs are in education?"): it is the answer, however little of the question's wording it shares."""
REPEAT_SHARE = 0.8
"""Share of the shorter sentence's terms another chosen sentence holds for the two to say the same."""


@dataclass(frozen=True)
class Candidate:
    passage: int
    start: int
    end: int
    text: str
    score: float
    deciding: bool
    cell: bool = False
    """A table row's cell: the row's cells read best first, where a passage's sentences read in their order."""


@dataclass(frozen=True)
class Part:
    label: str
    sentences: list[Candidate]
    names: tuple[str, ...] = ()
    """For "How to decide": the role each line is about, named at the start of the line."""


def _clean(sentence: str) -> str:
    return sentence.lstrip("•*- \t")


def topic_of(passage: Passage) -> str:
    """The label a passage is shown under: its role heading, else the heading it sits in."""
    if passage.role:
        return display_heading(passage.role)
    path = [p for p in passage.section.split(" > ") if p and p != passage.field]
    return display_heading(path[-1] if path else passage.title)


def about(passage: Passage, mention: Mention) -> bool:
    return bool(set(passage.roles) & mention.keys)


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentence spans, with a run-in label kept on the sentence it introduces: "Analytical skills. Database
    administrators monitor..." is one unit (the label is what the asker's "qualities" question is about)."""
    units: list[tuple[int, int]] = []
    label_start: int | None = None
    label_end = 0
    for start, end in sentences(text):
        piece = text[start:end].strip()
        if label_start is not None:
            if "\n" in text[label_start:start]:
                units.append((label_start, label_end))
            else:
                start = label_start
        label_start = None
        if (len(piece.split()) <= RUN_IN_WORDS or len(content_stems(piece)) < MIN_STEMS) and piece.endswith(".") \
                and piece[:1].isupper():
            label_start, label_end = start, end
            continue
        units.append((start, end))
    if label_start is not None:
        units.append((label_start, label_end))
    return [cell for start, end in units for cell in _cells(text, start, end)]


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A table row's labelled cells, each a unit of its own: "Salary range: £50,000 to £95,000." answers a pay
    question without the row's other columns."""
    if not ROW.match(text[start:end]):
        return [(start, end)]
    breaks = [start + m.start() for m in ROW_CELL_BREAK.finditer(text, start, end)]
    return list(zip([start, *(b + 2 for b in breaks)], [*breaks, end], strict=True))


def candidates(request: GenerationRequest, aspects: list[Aspect], fit: list[Aspect],
               by_meaning: bool = True) -> list[Candidate]:
    """Every sentence scored by its relevance to the question: its words (headings count half), its meaning, the
    asked aspect's words in the sentence, the aspect in its headings, and whether its passage is about an asked role.
    A list item is read under the line that introduces it ("X typically do the following:"), which says nothing
    alone: the line counts as its heading and is part of the text its meaning is judged by."""
    named = {s for m in request.mentions for s in content_stems(m.label)}
    query = set(content_stems(request.query)) - named or set(content_stems(request.query))
    specific = [a for a in aspects if a.name != DEFAULT_ASPECT]
    unnamed = replace_roles(request.query, request.mentions, " ")
    asking = asked_sentences(asking_part(unnamed))
    figures = [counted(asking, a.used_in(unnamed)) for a in specific if a.counted and not asks_whether(asking, a)]
    found: list[Candidate] = []
    raw: list[str] = []
    for p_index, passage in enumerate(request.passages):
        heading = set(content_stems(passage.section))
        weight = field_weight(passage.headings, aspects)
        deciding = field_weight(field_label(passage.field, passage.section), fit) > 0
        on_role = any(about(passage, m) for m in request.mentions)
        lines = [line for line in passage.text.split("\n") if line.strip()]
        # A table row's cells, or a quick-facts list's lines ("Median pay: ...", "Job outlook: ..."), each answer
        # under its own label.
        row = bool(ROW.match(passage.text)) or len(lines) >= 2 and all(CELL_LABEL.match(line) for line in lines)
        intro, intro_stems = "", set()
        for position, (start, end) in enumerate(sentence_units(passage.text)):
            text = passage.text[start:end]
            if row and (cell := CELL_LABEL.match(text)):  # a table cell's heading is its column's, not the row's
                heading = set(content_stems(f"{passage.role} {cell[1]}"))
                weight = field_weight(cell[1], aspects)
                deciding = field_weight(cell[1], fit) > 0
            if text.endswith(":"):
                intro, intro_stems = text, set(content_stems(text))
                continue
            if text.endswith(SENTENCE_ENDS) and not LIST_MARKS.match(text):
                intro, intro_stems = "", set()
            stems = set(content_stems(text))
            if len(stems) < MIN_STEMS:
                continue
            context = heading | intro_stems
            overlap = (len(query & stems) + 0.5 * len(query & context - stems)) / max(1, len(query))
            in_sentence = sum(a.in_words(stems_of(f"{intro} {text}")) for a in specific)
            figure = any(gives_figure(text, concepts) for concepts in figures)
            score = (overlap + 0.3 * in_sentence + 0.4 * weight + 0.2 * on_role + FIGURE_WEIGHT * figure
                     + (0.1 if position == 0 else 0.0) - RANK_WEIGHT * p_index)
            found.append(Candidate(p_index, start, end, _clean(text), score, deciding, row))
            raw.append(f"{intro} {_clean(text)}" if intro else text)
    if request.relevance and by_meaning:  # one batch, only for the sentences that can be chosen
        meaning = request.relevance.scores(request.query, raw)
        found = [replace(c, score=c.score + MEANING_WEIGHT * m) for c, m in zip(found, meaning, strict=True)]
    return sorted(found, key=lambda c: -c.score)


@lru_cache(maxsize=4096)
def _terms(sentence: str) -> frozenset[str]:
    return frozenset(content_stems(sentence))


def _repeats(a: str, b: str) -> bool:
    """Does one sentence say what the other says? Guides restate themselves ("Their career path is a quest for
    meaning..." in a role's summary and again, longer, under "Career path")."""
    x, y = _terms(a), _terms(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= REPEAT_SHARE


def _pick(pool: list[Candidate], limit: int, per_passage: int = PER_PASSAGE, best_first: bool = True) -> list[Candidate]:
    """The best sentences, at most ``per_passage`` from one passage and none saying what another says; grouped by
    passage, the one holding the best sentence first when ``best_first`` (else in rank order)."""
    chosen: list[Candidate] = []
    for cand in pool:
        if len(chosen) == limit:
            break
        room = sum(c.passage == cand.passage for c in chosen) < per_passage
        repeated = next((i for i, c in enumerate(chosen) if _repeats(c.text, cand.text)), None)
        if repeated is None and room:
            chosen.append(cand)
        elif repeated is not None and _terms(cand.text) > _terms(chosen[repeated].text) \
                and (room or chosen[repeated].passage == cand.passage):
            # It says all the other says and more ("Typical salary is $95k-$150k in the US and £55k-£80k in the
            # UK" over a table's "Salary (US): $95k-$150k"): it stands in the other's place.
            chosen[repeated] = cand
    if not best_first:
        return sorted(chosen, key=lambda c: (c.passage, c.start))
    best: dict[int, float] = {}
    for c in chosen:
        best[c.passage] = max(best.get(c.passage, c.score), c.score)
    return sorted(chosen, key=lambda c: (-best[c.passage], c.passage, -c.score if c.cell else c.start))


def _each_role_first(pool: list[Candidate], asked: list[Mention], passages: list[Passage]) -> list[Candidate]:
    """The pool with the best sentence about each role the question asks about first, so none is left without a
    part ("The atlas says PM ops managers train PMs on tools. Do help-desk technicians do that too?")."""
    first = [own[0] for m in asked if (own := [c for c in pool if about(passages[c.passage], m)])]
    first = list(dict.fromkeys(first))
    return first + [c for c in pool if c not in first]


def _option_pool(option: Mention, options: list[Mention], pool: list[Candidate], passages: list[Passage],
                 deciding: bool) -> list[Candidate]:
    """A compared option's sentences ("How to decide" ones or the others): from passages about it alone, or sentences
    naming it in those it shares a heading with ("a data engineer role will be focused on ..." under "Data engineer /
    data analyst"), else any of those, so an option is never left without a part."""
    name = [stems_of(option.label)]
    only = [c for c in pool if c.deciding == deciding
            and (about_only(frozenset(passages[c.passage].roles), option, options)
                 or (about(passages[c.passage], option) and _names_any(c.text, name)))]
    return only or [c for c in pool if c.deciding == deciding and about(passages[c.passage], option)]


def _names_any(text: str, names: list[tuple[str, ...]]) -> bool:
    words = stems_of(text)
    return any(find_phrase(name, words) >= 0 for name in names if name)


def _label(text: str, vocabulary: Vocabulary) -> str:
    """A part's heading as the asker named the role: "sre" -> "SRE", "data engineer" -> "Data engineer", "ml
    engineer" -> "ML engineer" (a short word the vocabulary file spells out in words it initials is an acronym)."""
    if len(text) <= 3 and text.isalpha() and text.islower() and text not in vocabulary.role_suffixes:
        return text.upper()
    short = {phrase[0] for phrase, target in vocabulary.aliases if len(phrase) == 1 and len(phrase[0]) <= 3
             and len(target.split()) >= 2 and target[:1].lower() == phrase[0][:1]}
    text = " ".join(w.upper() if w.isalpha() and w.islower() and w in short else w for w in text.split(" "))
    return text[:1].upper() + text[1:]


class ExtractiveGenerator:
    name = "extractive"

    @classmethod
    def from_settings(cls, settings: BotSettings) -> ExtractiveGenerator:
        return cls()

    def compose(self, request: GenerationRequest) -> list[Part]:
        """Parallel parts for a comparison; otherwise the best sentences, grouped under the role (or topic) their
        passage is about, skipping passages about a role the question did not ask about."""
        fit = [a for a in request.vocabulary.aspects if a.name == FIT_ASPECT]
        comparison = len(request.compared) >= 2
        aspects = asked_aspects(request.query, request.vocabulary, comparison=comparison)
        pool = candidates(request, aspects, fit, by_meaning=not comparison)
        passages = request.passages

        def states(c: Candidate) -> bool:
            """Do the headings of the candidate's passage state a detail the question asks (pay, portfolio)?"""
            return field_weight(passages[c.passage].headings, specific_aspects(aspects)) > 0

        catalog = request.catalog
        if catalog is not None:  # a part's label reads as the guides spell it ("embeded" -> "embedded")
            request = replace(request, mentions=catalog.respelt(request.mentions),
                              compared=catalog.respelt(request.compared))

        def fits(label: str, passage: Passage) -> bool:
            return catalog is None or catalog.fits(label, passage.role, passage.section, passage.title)

        if comparison:
            shared = [c for c in pool if not passages[c.passage].roles and states(c)]
            return self._comparison(request.compared, pool, passages, request.vocabulary, fits, shared)

        def label(c: Candidate) -> str:
            passage = passages[c.passage]
            mine = [n for n in (_label(m.label, request.vocabulary) for m in request.mentions if about(passage, m))
                    if fits(n, passage)]
            return mine[0] if mine else _label(topic_of(passage), request.vocabulary)

        if request.listed:  # each role opens with what it is, in its guide's words
            return [Part(label(own[0]), own[:PER_OPTION_PASSAGE]) for n in range(len(passages))
                    if (own := sorted((c for c in pool if c.passage == n), key=lambda c: c.start))]
        if request.mentions:
            pool = [c for c in pool if not passages[c.passage].roles or
                    any(about(passages[c.passage], m) for m in request.mentions)] or pool
        elif request.looked_up:  # "Which role uses Wireshark?": the roles whose lines name it
            pool = [c for c in pool if set(request.looked_up) & set(content_stems(c.text))] or pool
        if request.surveyed:  # each role stating the detail answers; the best passage of all only judged the ask
            pool = [c for c in pool if states(c)] or pool
        # A specific ask (entry routes, travel) leads with the passage that answers it; "tell me about X" with
        # the best-ranked passage, which describes the role.
        chosen = _pick(_each_role_first(pool, subject_roles(request.query, request.mentions), passages), MAX_SENTENCES,
                       per_passage=PER_OPTION_PASSAGE if request.surveyed else PER_PASSAGE,
                       best_first=any(a.name != DEFAULT_ASPECT for a in aspects))
        # Parts under an asked role's name come first; a passage shown under its own heading (a cross-cutting one
        # that names the role, "Backend -> SRE", or a narrower role) follows, unless it is under no role and only
        # its headings state the asked detail ("The catch" for "What are the downsides of being a DPO?").
        asked = {_label(m.label, request.vocabulary) for m in request.mentions}
        labelled = {c: label(c) for c in chosen}
        stating = {c for c in chosen if states(c)}
        shared = set() if any(labelled[c] in asked for c in stating) else \
            {labelled[c] for c in stating if asked and not passages[c.passage].roles}
        lead = sorted(chosen, key=lambda c: (labelled[c] not in shared, labelled[c] not in asked, -c.score))
        labels = list(dict.fromkeys(labelled[c] for c in lead))
        return [Part(name, [c for c in chosen if labelled[c] == name]) for name in labels]

    @staticmethod
    def _comparison(options: list[Mention], pool: list[Candidate], passages: list[Passage], vocabulary: Vocabulary,
                    fits: Callable[[str, Passage], bool], shared: list[Candidate]) -> list[Part]:
        """``shared``: sentences of passages under no role heading whose heading states the asked detail
        ("Portfolio blueprint (works for all)"): they answer for every option, in a part of their own."""
        parts: list[Part] = []
        signals: list[Candidate] = []
        names: list[str] = []
        for option in options:
            name = _label(option.label, vocabulary)
            others = [stems_of(o.label) for o in options if o is not option]
            own = sorted((replace(c, score=c.score + NAMES_OTHER_WEIGHT) if _names_any(c.text, others) else c
                          for c in pool if fits(name, passages[c.passage])), key=lambda c: -c.score)
            parts.append(Part(name, _pick(_option_pool(option, options, own, passages, False),
                                          max(PER_OPTION, COMPARISON_SENTENCES // len(options)), PER_OPTION_PASSAGE)))
            signal = [c for c in _option_pool(option, options, own, passages, True) if c not in signals][:1]
            signals += signal
            names += [name] * len(signal)
        parts = [p for p in parts if p.sentences]
        if shared:
            best = [c for c in shared if c.passage == shared[0].passage]
            parts.append(Part(_label(topic_of(passages[best[0].passage]), vocabulary),
                              _pick(best, PER_OPTION, PER_OPTION_PASSAGE)))
        if signals:
            parts.append(Part("How to decide", signals, tuple(names)))
        return parts

    @staticmethod
    def render(parts: list[Part]) -> str:
        blocks = []
        for part in parts:
            lines = [f"- {f'{part.names[n]}: ' if part.names else ''}{c.text} [{c.passage + 1}]"
                     for n, c in enumerate(part.sentences)]
            blocks.append("\n".join([f"**{part.label}**", *lines]))
        return "\n\n".join(blocks)

    def stream(self, request: GenerationRequest, config: RunnableConfig | None = None) -> Iterator[str]:
        """Sentence by sentence, so a UI can show the answer growing."""
        text = self.render(self.compose(request))
        for line in text.split("\n"):
            yield line + "\n"
