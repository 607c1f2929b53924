"""What the offline judge measures about one claim against the passages it cites.

Each claim is aligned to its closest passage sentences (by embedding, several of them, since a claim often
merges two), then checked on that span: how much of it the span covers, numbers as values, names, and
negation. The features are deliberately few and readable: the model on top of them is a logistic regression
whose weights sit in a JSON file and whose reasons can be printed.
"""

from __future__ import annotations

import math
import re
from dataclasses import astuple, dataclass, fields

import numpy as np

from bot.text import STOPWORDS, content_stems, words
from evals import numbers

TOP_SENTENCES = 3
_NEGATION = re.compile(r"\b(?:not|no|never|without|cannot|none|nothing|neither|nor|unable|rarely|lacks?)\b|n['’]t\b",
                       re.IGNORECASE)
_NAME = re.compile(r"\b(?:[A-Z][\w'’&.-]*[\w]|[A-Z])\b|\b\w*\d\w*[a-zA-Z]\w*\b")


@dataclass(frozen=True)
class ClaimFeatures:
    sim_max: float
    sim_top_mean: float
    cover_aligned: float
    cover_best_sentence: float
    cover_cited: float
    novel_bigrams: float
    missing_numbers: float
    missing_names: float
    missing_name_share: float
    negation_mismatch: float
    length: float
    contradiction: float
    """The NLI model's contradiction probability for the claim against its aligned sentences."""
    evidence_size: float
    """log(1 + sentences the claim is checked against): among many sentences (a news article) some sentence is
    close to any claim, so the same similarity means less."""
    sim_by_size: float

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def vector(self) -> np.ndarray:
        return np.asarray(astuple(self), dtype=float)


@dataclass(frozen=True)
class Evidence:
    """The sentences a claim is judged against and their unit vectors (rows of ``vectors``)."""

    sentences: list[str]
    vectors: np.ndarray

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def names(text: str) -> set[str]:
    """Capitalised words, acronyms and alphanumeric codes: what an invented detail is usually made of."""
    found = set()
    for match in _NAME.finditer(text):
        word = re.sub(r"['’]s$", "", match.group(0)).lower().strip(".")
        if word and word not in STOPWORDS and not word.isdigit():
            found.add(word)
    return found


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def _bigrams(stems: list[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:], strict=False))


def _coverage(claim_stems: set[str], text: str) -> float:
    return len(claim_stems & set(content_stems(text))) / len(claim_stems) if claim_stems else 1.0


def closest(claim_vector: np.ndarray, evidence: Evidence) -> list[int]:
    """Indices of the evidence sentences closest to the claim, best first."""
    if not evidence.sentences:
        return []
    return [int(i) for i in np.argsort(-(evidence.vectors @ claim_vector))[:TOP_SENTENCES]]


def premise(evidence: Evidence, order: list[int]) -> str:
    """The span the NLI model reads: the two closest sentences in document order."""
    return " ".join(evidence.sentences[i] for i in sorted(order[:2]))


def featurize(claim: str, claim_vector: np.ndarray, evidence: Evidence, contradiction: float = 0.0) -> ClaimFeatures:
    claim_stems = set(content_stems(claim))
    if not evidence.sentences:
        return ClaimFeatures(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, math.log1p(len(claim_stems)), 0.0, 0.0, 0.0)
    similarities = evidence.vectors @ claim_vector
    order = closest(claim_vector, evidence)
    aligned = " ".join(evidence.sentences[i] for i in order)
    cited = evidence.text
    claim_names = names(claim)
    cited_words = set(words(cited)) | {w.strip(".") for w in words(cited)}
    missing_names = {n for n in claim_names if n not in cited_words and not any(p in cited_words for p in n.split("-"))}
    stems = content_stems(claim)
    claim_bigrams = _bigrams(stems)
    return ClaimFeatures(
        sim_max=float(similarities.max()),
        sim_top_mean=float(similarities[order].mean()),
        cover_aligned=_coverage(claim_stems, aligned),
        cover_best_sentence=max((_coverage(claim_stems, s) for s in evidence.sentences), default=0.0),
        cover_cited=_coverage(claim_stems, cited),
        novel_bigrams=len(claim_bigrams - _bigrams(content_stems(cited))) / len(claim_bigrams) if claim_bigrams else 0.0,
        missing_numbers=float(min(3, len(numbers.unsupported(claim, cited)))),
        missing_names=float(min(3, len(missing_names))),
        missing_name_share=len(missing_names) / len(claim_names) if claim_names else 0.0,
        negation_mismatch=float(negated(claim) != negated(evidence.sentences[order[0]])),
        length=math.log1p(len(claim_stems)),
        contradiction=contradiction,
        evidence_size=math.log1p(len(evidence.sentences)),
        sim_by_size=float(similarities.max()) * math.log1p(len(evidence.sentences)),
    )
