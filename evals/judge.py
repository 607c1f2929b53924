"""Does a passage support a claim? The faithfulness judges.

No NLI or cross-encoder model ships its weights in a pip package here, so the offline judge is a transparent
scorer: hard checks catch the hallucinations a lexical score misses (a number, a role or a negation the
passage does not have), and a blend of content-word coverage and embedding similarity to the passage's
closest sentence catches the rest. Its threshold is calibrated on ``judge_set.jsonl`` (see
``evals/judge_validation.py``). ``LLMJudge`` asks an OpenAI-compatible endpoint for a second opinion.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.catalog import RoleCatalog
from bot.text import content_stems, sentences, words
from ingest.embedding import Embedder
from ingest.settings import Settings

NEGATIONS = frozenset({"not", "no", "never", "without", "cannot", "none", "nothing", "neither", "nor", "n't", "don't",
                       "doesn't", "isn't", "aren't", "won't", "can't", "rarely"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
THRESHOLD = 0.5
"""Calibrated on the judge set: the blend of coverage and similarity a supported claim reaches."""


@dataclass(frozen=True)
class Verdict:
    supported: bool
    score: float
    reason: str = ""


class Judge(Protocol):
    name: str

    def judge(self, claim: str, passage: str, section: str = "") -> Verdict: ...


def _negated(text: str) -> bool:
    return any(w in NEGATIONS or w.endswith("n't") for w in words(text))


class LexicalJudge:
    """Offline, deterministic and explainable: every "unsupported" verdict carries its reason."""

    name = "lexical"

    def __init__(self, embedder: Embedder | None = None, threshold: float = THRESHOLD,
                 catalog: RoleCatalog | None = None) -> None:
        self.embedder, self.threshold, self.catalog = embedder, threshold, catalog
        self._vectors: dict[str, np.ndarray] = {}
        """Unit vectors by text: the same passage sentences are judged against many claims."""

    def judge(self, claim: str, passage: str, section: str = "") -> Verdict:
        claim_stems = set(content_stems(claim))
        if not claim_stems:
            return Verdict(True, 1.0, "no content words")
        numbers = set(_NUMBER.findall(claim)) - set(_NUMBER.findall(passage))
        if numbers:
            return Verdict(False, 0.0, f"numbers not in the passage: {', '.join(sorted(numbers))}")
        missing_roles = self._missing_roles(claim, passage, section)
        if missing_roles:
            return Verdict(False, 0.0, f"the passage is not about: {', '.join(sorted(missing_roles))}")
        spans = [passage[s:e] for s, e in sentences(passage)] or [passage]
        best = max(spans, key=lambda s: len(claim_stems & set(content_stems(s))))
        if _negated(claim) != _negated(best):
            return Verdict(False, 0.0, "negation differs from the closest passage sentence")
        coverage = len(claim_stems & set(content_stems(f"{section}\n{passage}"))) / len(claim_stems)
        similarity = self._similarity(claim, spans) if self.embedder else coverage
        score = round((coverage + similarity) / 2, 4)
        if score < self.threshold:
            return Verdict(False, score, f"weak support (coverage {coverage:.2f}, similarity {similarity:.2f})")
        return Verdict(True, score)

    def _missing_roles(self, claim: str, passage: str, section: str) -> set[str]:
        """Roles (as the guides' own headings name them) a claim names that its passage and headings do not."""
        if self.catalog is None:
            return set()
        present = frozenset().union(*(m.keys for m in self.catalog.mentions(f"{section}\n{passage}")),
                                    *(self.catalog.keys_of(h) for h in section.split(" > ") if h))
        return {m.label for m in self.catalog.mentions(claim) if not m.keys & present}

    def _similarity(self, claim: str, spans: list[str]) -> float:
        assert self.embedder is not None
        new = [t for t in dict.fromkeys([claim, *spans]) if t not in self._vectors]
        if new:
            vectors = np.asarray(self.embedder.embed_documents(new))
            self._vectors.update(zip(new, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), strict=True))
        return float(max(self._vectors[s] @ self._vectors[claim] for s in spans))


JUDGE_PROMPT = """You check answers for faithfulness. Decide whether the PASSAGE alone supports the CLAIM: every \
fact in the claim (roles, numbers, tools, negations) must be stated or directly implied by the passage. \
Reply with JSON only: {"supported": true} or {"supported": false, "reason": "..."}."""


class JudgeError(RuntimeError):
    """The LLM judge could not give a verdict (endpoint down, unparsable reply)."""


class LLMJudge:
    """A second opinion from the configured OpenAI-compatible endpoint."""

    name = "llm"

    def __init__(self, settings: Settings) -> None:
        from bot.generators.base import GeneratorError
        from bot.generators.openai_compat import chat_model

        try:
            self.llm = chat_model(settings, streaming=False)
        except GeneratorError as exc:
            raise JudgeError(str(exc)) from exc

    def judge(self, claim: str, passage: str, section: str = "") -> Verdict:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(JUDGE_PROMPT),
                    HumanMessage(f"PASSAGE ({section}):\n<<<\n{passage}\n>>>\n\nCLAIM:\n<<<\n{claim}\n>>>")]
        try:
            reply = str(self.llm.invoke(messages).content)
            match = re.search(r"\{.*\}", reply, re.DOTALL)
            data = json.loads(match.group(0) if match else reply)
            supported = data["supported"]
            if not isinstance(supported, bool):
                raise ValueError(f"'supported' is {supported!r}, not true/false")
        except Exception as exc:  # network, HTTP status, timeout, malformed reply: no verdict
            raise JudgeError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        return Verdict(supported, 1.0 if supported else 0.0, str(data.get("reason", "")))
