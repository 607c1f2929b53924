"""The offline default: an answer made only of sentences copied from the passages, each with its [n].

Because every sentence is verbatim from the passage it cites, it can never state what the corpus does
not say. Comparisons get one short part per option plus the corpus's own deciding signals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.generators.base import GenerationRequest
from bot.retrieval import field_weight, wanted_fields
from bot.text import content_stems, sentences

DECIDING_FIELDS = ("you'll like it if",)
MAX_SENTENCES = 4


@dataclass(frozen=True)
class Candidate:
    passage: int
    start: int
    end: int
    text: str
    score: float
    field: str


def _field(section: str) -> str:
    return section.rsplit(" > ", 1)[-1].lower()


def _clean(sentence: str) -> str:
    return sentence.lstrip("•*- \t")


def candidates(request: GenerationRequest) -> list[Candidate]:
    query = set(content_stems(request.query))
    fields = wanted_fields(request.question)
    found: list[Candidate] = []
    for p_index, passage in enumerate(request.passages):
        field = _field(passage.section)
        for position, (start, end) in enumerate(sentences(passage.text)):
            text = passage.text[start:end]
            stems = content_stems(text)
            if len(stems) < 3:
                continue
            overlap = len(query & set(stems)) / max(1, len(query))
            score = overlap + 0.2 * field_weight(passage.section, fields) + (0.15 if position == 0 else 0.0) - 0.05 * p_index
            found.append(Candidate(p_index, start, end, _clean(text), score, field))
    return sorted(found, key=lambda c: -c.score)


def _pick(pool: list[Candidate], limit: int, per_passage: int = 2) -> list[Candidate]:
    chosen: list[Candidate] = []
    for cand in pool:
        if len(chosen) == limit:
            break
        if sum(c.passage == cand.passage for c in chosen) < per_passage and all(c.text != cand.text for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.passage, c.start))


def _bullet(c: Candidate) -> str:
    return f"- {c.text} [{c.passage + 1}]"


class ExtractiveGenerator:
    name = "extractive"

    def compose(self, request: GenerationRequest) -> list[tuple[str | None, list[Candidate]]]:
        """Parts of the answer: (heading, sentences). One part per compared role, else one part."""
        pool = candidates(request)
        if len(request.roles) < 2:
            return [(None, _pick(pool, MAX_SENTENCES))]
        parts: list[tuple[str | None, list[Candidate]]] = []
        signals: list[Candidate] = []
        asked = {r.key for r in request.roles}
        used: set[tuple[int, int]] = set()
        for role in request.roles:
            mine = [c for c in pool if role.key in request.passages[c.passage].roles and (c.passage, c.start) not in used]
            # Passages about this role alone first: a shared "X / Y" passage cannot tell the options apart.
            mine.sort(key=lambda c: (len(set(request.passages[c.passage].roles) & asked) > 1,
                                     not request.passages[c.passage].role))
            describe = _pick([c for c in mine if c.field not in DECIDING_FIELDS], 2, per_passage=1)
            signal = [c for c in mine if c.field in DECIDING_FIELDS][:1]
            used |= {(c.passage, c.start) for c in describe + signal}
            parts.append((role.label[0].upper() + role.label[1:], describe))
            signals += signal
        if signals:
            parts.append(("How to decide", signals))
        return [(h, cs) for h, cs in parts if cs]

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        parts = self.compose(request)
        blocks = []
        for heading, chosen in parts:
            lines = [_bullet(c) for c in chosen]
            blocks.append("\n".join(([f"**{heading}**"] if heading else []) + lines))
        yield "\n\n".join(blocks)
