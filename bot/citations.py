"""Check an answer's [n] markers against the passages, and turn the cited ones into citations.

Invalid markers are removed; a sentence whose citations do not support it is re-grounded on the
passage that does, or dropped (and reported). Citations are renumbered in order of first use, and
each carries the character spans of the passage sentences that back the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.markers import MARKER, normalize
from bot.models import Citation, Passage
from bot.text import content_stems, sentences

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(*])|(?<=\])\s+(?=[A-Z\"'(*])")
_BULLET = re.compile(r"^(\s*(?:[-*•]|\d+[.)])\s+)")
_LINE_LABEL = re.compile(r"[^:\[\].!?\n]{1,60}:\s+(?=\S)")
"""A list line's label ("- Data engineer: ..."): it names what the line is about, so it is kept with the line
whatever happens to the sentence it leads into, and is not part of what that sentence must be supported by."""
SUPPORT_THRESHOLD = 0.6


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    dropped: list[str] = field(default_factory=list)


def support(claim: str, passage: Passage) -> tuple[float, list[tuple[int, int]]]:
    """Share of the claim's content words found in the passage's best-matching sentences, and their spans."""
    claim_stems = set(content_stems(claim))
    if not claim_stems:
        return 1.0, []
    scored = []
    for start, end in sentences(passage.text):
        overlap = claim_stems & set(content_stems(passage.text[start:end]))
        if overlap:
            scored.append((len(overlap), start, end, overlap))
    scored.sort(reverse=True)
    covered: set[str] = set()
    spans: list[tuple[int, int]] = []
    for _, start, end, overlap in scored:
        if overlap - covered:
            covered |= overlap
            spans.append((start, end))
        if len(covered) == len(claim_stems):
            break
    return len(covered) / len(claim_stems), sorted(spans)


def is_framing(line: str) -> bool:
    """A part label (**X**) or an emphasised line (_The guides don't say ..._): it speaks about the answer, not
    about the world, so it is never checked against a passage."""
    stripped = line.strip()
    return any(stripped.startswith(m) and stripped.endswith(m) and len(stripped) > 2 * len(m) for m in ("**", "_"))


def is_claim(sentence: str) -> bool:
    return bool(content_stems(sentence)) and not is_framing(sentence)


def split_claims(line: str) -> tuple[str, list[tuple[str, list[int]]]]:
    """A line's bullet prefix and its sentences, each without markers and with its 1-based marker numbers."""
    prefix_match = _BULLET.match(line)
    prefix = prefix_match.group(1) if prefix_match else ""
    return prefix, [(MARKER.sub("", sentence).strip(), [int(n) for n in MARKER.findall(sentence)])
                    for sentence in _SPLIT.split(line[len(prefix):])]


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """Every factual sentence of an answer with the markers it carries: what faithfulness is measured on."""
    return [(claim, markers) for line in normalize(answer).split("\n") if not is_framing(line)
            for claim, markers in split_claims(line)[1] if is_claim(claim)]


def markers_match(answer: str, cited: set[int]) -> bool:
    """The [n] markers used in the text are exactly the citation numbers: none dangling, none unused."""
    return {int(n) for n in MARKER.findall(normalize(answer))} == cited


def check(answer: str, passages: list[Passage]) -> Checked:
    order: list[int] = []
    spans: dict[int, set[tuple[int, int]]] = {}
    dropped: list[str] = []
    out_lines: list[str] = []

    def cite(index: int, claim_spans: list[tuple[int, int]]) -> int:
        if index not in order:
            order.append(index)
        spans.setdefault(index, set()).update(claim_spans)
        return order.index(index) + 1

    for line in normalize(answer).split("\n"):
        if is_framing(line):
            out_lines.append(line)
            continue
        prefix, sentences_ = split_claims(line)
        label = _LINE_LABEL.match(line, len(prefix)) if prefix else None
        if label:
            prefix, sentences_ = line[:label.end()], split_claims(line[label.end():])[1]
        kept: list[tuple[str, str, bool]] = []  # (sentence, its markers, whether the answer gave it its own)
        for n, (claim, markers) in enumerate(sentences_):
            # A sentence without a marker ("Analytical skills." before "DBAs monitor ... [5]") is first checked
            # against the passage the sentence it leads into cites.
            following = next((m for _, m in sentences_[n:] if m), [])
            valid = [i - 1 for i in dict.fromkeys(markers or following) if 0 < i <= len(passages)]
            if not is_claim(claim):
                if claim:
                    kept.append((claim, "", True))
                continue
            scored = {i: support(claim, passages[i]) for i in valid}
            grounded = [(i, claim_spans) for i, (score, claim_spans) in scored.items() if score >= SUPPORT_THRESHOLD]
            if not grounded:
                # Re-ground on the passage that does support the sentence, if any.
                scored = {i: scored.get(i) or support(claim, passages[i]) for i in range(len(passages))}
                best = max(scored, key=lambda i: scored[i][0], default=None)
                if best is not None and scored[best][0] >= SUPPORT_THRESHOLD:
                    grounded.append((best, scored[best][1]))
            if not grounded:
                dropped.append(claim)
                continue
            kept.append((claim, "".join(f" [{cite(i, s)}]" for i, s in grounded), bool(markers)))
        # A sentence the answer left unmarked ("The AI handles that.") shares the marker of the one it leads into.
        shown = [claim + ("" if not own and n + 1 < len(kept) and kept[n + 1][1] == numbers else numbers)
                 for n, (claim, numbers, own) in enumerate(kept)]
        if shown or not line.strip():
            out_lines.append(prefix + " ".join(shown) if shown else line)

    citations = [
        Citation(
            n=n,
            id=passages[i].id,
            source=passages[i].source,
            section=passages[i].section,
            role=passages[i].role,
            title=passages[i].title,
            text=passages[i].text,
            score=passages[i].score,
            support=sorted(spans.get(i, set())),
        )
        for n, i in enumerate(order, 1)
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out_lines)).strip()
    return Checked(text=text, citations=citations, dropped=dropped)
