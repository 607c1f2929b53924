"""Decide whether the corpus can answer a question at all.

Three transparent signals: the best dense (cosine) similarity, the share of the question's own concepts
that the corpus never mentions, and a short list of topics the guides are known not to cover (pay, time
off, ...). The similarity floor sits in the gap the golden set shows (``make eval`` reports it): answerable
questions score 0.53 or more, off-topic ones without a role name 0.35 or less. Lexical-only retrieval has no
similarity, so it loses that signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import roles as role_table
from bot.models import Passage
from bot.text import content_stems

# Words any career question uses; they say nothing about whether the corpus covers the topic.
GENERIC = frozenset(content_stems(
    "role roles job jobs career careers work working engineer engineers engineering become becoming good best better "
    "difference different differ compare comparison versus vs choose choice pick decide option options between "
    "typical typically day life someone person people kind type sort thing things need needs start starting "
    "should would could which what how way ways explain describe mean means tell about like sound sounds fit suit "
    "suits right wrong me my i am someone interested interest want know think also else more less lot lots "
    "question answer help please thanks thank hi hello hey come comes go goes make makes take takes look looks "
    "find give see use uses used usual usually often generally common commonly normally mostly main mainly "
    "focus focused spend spends involve involves involved expect expected enjoy actually exactly "
    "switch switching later eventually someday soon future"
))

UNCOVERED_TOPICS = re.compile(
    r"\b(salar(y|ies)|pay(ing|s)?\b|paid\b.*\b(much|well)|how much .*(make|earn)|earn(ings)?|wages?|compensation|"
    r"income|bonus(es)?|equity|stock options?|vacation|holidays?|pto|paid time off|sick (days|leave)|parental leave|"
    r"weather|forecast|news|election|sports?|football|recipe|"
    r"who (is|was|are) [A-Z]|visa|immigration|tax(es)?|lawsuit|medical|diagnos)",
    re.IGNORECASE,
)
# Coding help is off-topic as a request ("fix my function"), not as a question about a role's work.
CODING_TASK = re.compile(
    r"\b(write|fix|debug|review|refactor|implement)\b(\s+\S+){0,3}\s+(code|function|script|program|bug|regex|query|"
    r"class|method|algorithm)s?\b|linked list",
    re.IGNORECASE,
)
INJECTION = re.compile(
    r"(ignore|disregard|forget) (all |any |the |your |my )?(previous |prior |above |earlier )?"
    r"(instructions|rules|prompts?|guidelines)|system prompt|developer mode|jailbreak|you are now|pretend (to be|you)|"
    r"act as|(reveal|print|show|repeat|output) (me )?(your|the|any|all) ?(hidden |secret |system |initial )?"
    r"(prompt|instructions|rules)|hidden instructions|everything above this|^\s*system\s*:",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    reason: str
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefusalPolicy:
    min_dense: float = 0.42
    max_unknown_share: float = 0.5

    def strip_injection(self, question: str) -> str:
        """The question without instruction-like phrases, so they never steer retrieval or generation."""
        parts = re.split(r"(?<=[.!?;])\s+|\band then\b|\bthen\b", question)
        return " ".join(p for p in parts if not INJECTION.search(p)).strip()

    def has_injection(self, question: str) -> bool:
        return bool(INJECTION.search(question))

    def judge(
        self, question: str, passages: list[Passage], vocabulary: frozenset[str], strict: bool = False
    ) -> Verdict:
        """``strict`` after an injection attempt: what is left must clearly be about a role."""
        if not passages:
            return Verdict(False, "no passage matched")
        named = role_table.roles_in(question)
        if UNCOVERED_TOPICS.search(question) or (not named and CODING_TASK.search(question)):
            return Verdict(False, "topic the guides do not cover")
        without_roles = question
        for role in named:
            without_roles = re.sub(rf"\w*(?:{role.pattern.pattern})\w*", " ", without_roles, flags=re.IGNORECASE)
        concepts = [s for s in content_stems(without_roles) if s not in GENERIC]
        unknown = tuple(dict.fromkeys(s for s in concepts if s not in vocabulary))
        if not concepts and not named:
            return Verdict(False, "no word the guides use (e.g. a question in another language)")
        if concepts and len(unknown) / len(set(concepts)) > self.max_unknown_share:
            return Verdict(False, "concepts the corpus never mentions", unknown)
        if strict and not named:
            return Verdict(False, "instructions instead of a career question", unknown)
        similarities = [p.dense for p in passages if p.dense is not None]
        best = max(similarities, default=1.0)  # lexical-only retrieval has no similarity to floor
        if best < self.min_dense and not named:
            return Verdict(False, f"best passage similarity {best:.2f} < {self.min_dense}", unknown)
        return Verdict(True, "covered", unknown)
