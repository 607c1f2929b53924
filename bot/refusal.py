"""Decide whether the ingested guides can answer a question at all.

Transparent signals, all read from the corpus: the best dense (cosine) similarity, the share of the
question's own concepts that the corpus never mentions, and, for details a guide must state (pay, on-call,
certifications: ``stated`` aspects of the vocabulary file), whether a retrieved passage about the asked role
states them. A guide that lists salaries makes pay questions about its roles answerable; no topic list in code
decides it. The similarity floor sits in the gap the dev split shows (``make eval`` reports it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from bot.catalog import Mention, RoleCatalog, replace_roles, writes
from bot.condense import ABOUT_NOTE, REFERS_BACK
from bot.figures import STOP_STEMS, asks_whether, counted, counts
from bot.models import Passage
from bot.options import qualifies, uncovered_options
from bot.relevance import SentenceRelevance
from bot.retrieval import (
    ANY_GUIDE,
    ASKS_FOR_ROLE,
    FIT_ASPECT,
    GUIDE,
    PIVOT,
    Index,
    compared,
    looked_up,
    quotes,
    specific_aspects,
    stating_roles,
    surveyed,
)
from bot.text import GENERIC, STOPWORDS, content_stems, proper_nouns, sentences, stem, terms
from bot.text import words as split_words
from bot.vocabulary import Aspect, Vocabulary, find_phrase, quoted_phrases, stems_of

# Coding help is off-topic as a request ("fix my function"), not as a question about a role's work.
CODING_TASK = re.compile(
    r"(^\s*|[.!?]\s+|\b(can|could|would|will) (you|u) (please )?|\bplease |\bhelp me |\bhow (do|can|should|would) i )"
    r"(write|fix|debug|review|refactor|implement)\b(\s+\S+){0,3}\s+(code|function|script|program|bug|regex|query|"
    r"class|method|algorithm)s?\b|linked list",
    re.IGNORECASE,
)
"""Asking the bot for code work (an imperative, "can you ...", "how do I ..."); "someone to ... write the code for
how that data is structured. Which database job is that?" describes a job."""
# Asking the bot to produce a document for the asker (an imperative, or "can you ...") is no question about
# careers, whatever role it names; "Do PMs write emails?" is one.
WRITING_TASK = re.compile(
    r"(^\s*|[.!?]\s+|\b(can|could|would|will) you (please )?|\bplease |\bhelp me )"
    r"(write|draft|compose|generate|proofread|polish|rewrite)\b( me| us)?( up)?( an?| my| the| some)?"
    r"( \w+){0,4} (cover letters?|resumes?|résumés?|cvs?|emails?|essays?|bios?|linkedin|letters?|posts?)\b",
    re.IGNORECASE,
)
DRAFT_REQUEST = re.compile(r"(\b(can|could|would|will) you (please )?|^\s*(please )?)(draft|compose|ghostwrite)\b",
                           re.IGNORECASE)
"""Drafting is always for the asker's own document, whatever it is called ("my 'what I enjoyed' note")."""
EDIT_REQUEST = re.compile(r"\b(can|could|would|will) you (please )?(re-?write|proofread|polish|review|improve|edit|"
                          r"tailor|fix)( up)? (it|this|that|mine|them)\b", re.IGNORECASE)
"""Asked of a document the message pastes or names ("Here's my CV: ... Can you rewrite it?")."""
DOCUMENT = re.compile(r"\b(cover letters?|resumes?|résumés?|cvs?|essays?|bios?|linkedin|code|snippet)\b", re.IGNORECASE)
# Instructions aimed at the bot. "act as" alone is how people describe a role ("PMs act as the bridge"), so
# only "act as if/a(n) ... assistant/AI/..." or "you are now" style role-play counts.
INJECTION = re.compile(
    r"(ignore|disregard|forget) (all |any |the |your |my )?(previous |prior |above |earlier )?"
    r"(instructions|rules|prompts?|guidelines)|system prompt|developer mode|jailbreak|you are now|pretend (to be|you)|"
    r"\bact as (if you|an? (unfiltered|unrestricted|different|new) |my |the system)|"
    r"(reveal|print|show|repeat|output) (me )?(your|the|any|all|every) ?(hidden |secret |system |initial )?"
    r"(prompts?|instructions?|rules)|hidden instructions?|everything above this|^\s*system\s*:|"
    r"\b(admin|administrator|root|sudo|maintenance) (override|mode|command|access)\b|"
    r"\bfrom now on,? (you )?(always |must |will |should )?(tell|answer|reply|respond|say|recommend)\b",
    re.IGNORECASE,
)
# "Which area would suit me?", "what job should i do": asking which of the guides' paths fits the asker is what the
# guides are for, however the asker describes themselves ("I love shaving milliseconds off response times").
FOR_ME = re.compile(
    r"\b(which|what)\s+(\w+\s+){0,3}(speciali[sz]ations?|areas?|roles?|jobs?|paths?|careers?|fields?|tracks?)\b"
    r"[^?.!]*\b(fits?|suits?|for (me|him|her|them)|like me|match(es)?)\b|\b(fits?|suits?)\s+(me|someone like me)\b|"
    r"\b(which|what)\s+(\w+\s+){0,2}(speciali[sz]ations?|areas?|roles?|jobs?|paths?|careers?|fields?|tracks?)\s+"
    r"(should|could|would|can)\s+(i|he|she|they)\b|"
    r"\bwhat\s+(?:else\s+)?(?:could|should|can|would)\s+(i|he|she|they)\s+do\b(?!\s+(?:if|when|about|with|to)\b)",
    re.IGNORECASE,
)
"""Also asked for someone else ("my son loves gaming, what could he do as a job?")."""
LEXICAL_SHARE = 0.5
WORKING_TOGETHER = re.compile(r"\bwork(s|ing)?\s+(\w+\s+)?(with|alongside)\b|collaborat|\binteract|\bpair(s|ing)? with",
                              re.IGNORECASE)
_FIGURE = re.compile(r"[$€£¥]\s?\d|\d[\d,.]*\s?(%|k\b|per (hour|year)|a year|an hour|dollars|euros|pounds)|\b\d{2,}\b")
"""A figure in a sentence: a sum, a rate, a share or a number of two digits or more standing alone ("a11y" is a word)."""


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    reason: str
    unknown: tuple[str, ...] = ()
    unstated: str = ""
    """The asked detail the guides do not state ("pay"), for a refusal that says so plainly."""
    subject: str = ""
    """The job title the unstated detail is about, where no role of the catalog is ("pay for UX writers")."""
    stranger: bool = False
    """``unstated`` is a role the guides never describe ("IT auditor"): the refusal says so, not "X for <role>"."""
    below_floor: bool = False
    """Refused only because no passage is similar enough: a follow-up ("what should I build to show it?") may be
    answerable about the topic or role of the turn before."""
    uncovered: str = ""
    """An option the question weighs against a role of the guides that no guide describes: the answer says so."""
    weak_match: bool = False
    """Below the floor, every word of the question being one the guides use: a follow-up such as "Which industries
    could I work in?" may be answerable about the conversation's role."""
    looked_up: tuple[str, ...] = ()
    """Stems of the names a "which role" question asks by ("Which role uses Wireshark?") that the passages write:
    the answer is the lines naming them."""


def _said(passage: Passage) -> set[str]:
    """The stems of the words a passage and its headings use."""
    return set(content_stems(f"{passage.section}\n{passage.text}"))


def _states(passage: Passage, aspect: Aspect, phrases: list[tuple[str, ...]]) -> bool:
    """A sentence uses one of the ``phrases`` (and gives a figure, where the aspect needs one). A figure's phrase
    that only a question writes ("how much does it cost") is stated by its content words beside a figure ("The
    exam costs 200 US dollars")."""
    if aspect.in_words(stems_of(passage.section)) and (not aspect.needs_figure or _FIGURE.search(passage.text)):
        return True  # a "Starter project" heading states no starting pay
    if aspect.needs_figure:
        phrases = phrases + [kept for p in phrases if (kept := tuple(w for w in p if w not in STOP_STEMS)) != p and kept]
    for start, end in sentences(passage.text):
        words = stems_of(passage.text[start:end])
        if any(find_phrase(p, words) >= 0 for p in phrases) and (
                not aspect.needs_figure or _FIGURE.search(passage.text[start:end])):
            return True
    return False


_GIVEN_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b|ms\b|milliseconds\b|nines\b)|\b((?:19|20)\d\d)\b",
                           re.IGNORECASE)
"""A figure or year the question itself names ("is 99.9% enough?", "under 200ms?", "from 2024 to 2034"): asked of
the guides, it must be theirs."""


@dataclass(frozen=True)
class RefusalPolicy:
    min_dense: float = 0.42
    """The floor for the question's similarity to the best passage, or else to the closest sentence of the retrieved
    passages: one that answers in a single sentence among many is diluted in its whole vector ("heavy lifting that
    nobody notices" vs "thankless"). One floor for both, set where the dev split shows the gap."""
    max_unknown_share: float = 0.5
    confident: float = 0.5
    """A passage this similar answers the question's gist, so words the guides never use (slang, paraphrase) do
    not refuse it on their own."""

    def strip_injection(self, question: str) -> str:
        """The question without instruction-like phrases, so they never steer retrieval or generation."""
        parts = re.split(r"(?<=[.!?;])\s+|\band then\b|\bthen\b|<!--|-->", question)
        return " ".join(p for p in parts if not INJECTION.search(p)).strip()

    def has_injection(self, question: str) -> bool:
        return bool(INJECTION.search(question))

    def judge(self, question: str, passages: list[Passage], named: list[Mention], index: Index, words: Vocabulary,
              strict: bool = False, relevance: SentenceRelevance | None = None) -> Verdict:
        """``named``: the roles the question names; ``strict`` after an injection attempt: what is left must
        clearly be about a role. ``relevance`` scores the passages' sentences, only when nothing else saves a
        question below the passage floor."""
        if not passages:
            return Verdict(False, "no passage matched")
        if not named and CODING_TASK.search(question):
            return Verdict(False, "a coding request, not a career question")
        if WRITING_TASK.search(question) or DRAFT_REQUEST.search(question) or (
                EDIT_REQUEST.search(question) and DOCUMENT.search(question)):
            return Verdict(False, "a writing request, not a career question")
        vocabulary = index.vocabulary
        rest = replace_roles(question, named, " ")
        concepts = [s for s in content_stems(rest) if s not in GENERIC]
        asked = asked_sentences(rest)
        groups = concept_words(asked)
        # An aspect word the guides never use ("earn") is still understood: whether a guide states that aspect is
        # decided below, with a refusal that names it. A bare number ("im 16") is no concept: a figure the question
        # gives is checked against the passages below.
        unknown = tuple(dict.fromkeys(g[0] for g in groups if g[0] not in vocabulary and not g[0].isdigit()
                                      and not all(s in vocabulary for s in g[1:] or [""])
                                      and not all(s in words.aspect_stems for s in g)))
        if not concepts and not named:
            return Verdict(False, "no word the guides use (e.g. a question in another language)")
        similarities = [p.dense for p in passages if p.dense is not None]
        best = max(similarities, default=1.0)  # lexical-only retrieval has no similarity to floor
        subject = subject_roles(question, named)
        final = [g for g in concept_words(_last_clause(asked)) if g in groups]
        # Its last clause alone, when the roles are context and nothing is as close as the floor: "I love testing
        # code, but what's a good recipe for banana bread?"
        scopes = [(groups, concepts, named)] + ([(final, [s for g in final for s in g], subject)]
                                               if not subject and best < self.min_dense else [])
        for scope, topic, roles in scopes:
            if scope and _share(unknown, scope) > self.max_unknown_share and best < self.confident \
                    and not _heading_topic(topic, passages) and not _fit_for_named(rest, roles, words) \
                    and not quoted_in(question, passages) \
                    and not (_asks_which_role(asked, words)
                             and closest_sentence(question, passages, relevance) >= self.min_dense):
                return Verdict(False, "concepts the corpus never mentions", unknown)
        names = [n for n in proper_nouns(rest if ABOUT_THEM.search(asked) else asked) if stem(n) not in vocabulary
                 and not _listed_with_known(n, rest, vocabulary) and not _example(n, rest)
                 and not _asker_place(n, rest)]
        if names:
            # Of a named role, the refusal says what it lacks ("Germany" for robotics engineers) and what the
            # guides do say of the role.
            return Verdict(False, f"names something the guides never mention ({', '.join(names)})", unknown,
                           unstated=" or ".join(_as_named(names, asked)) if named else "")
        if strict and not named:
            return Verdict(False, "instructions instead of a career question", unknown)
        names = looked_up(asked, index) if not named else frozenset()
        looked = tuple(sorted(n for n in names if any(n in content_stems(p.text) for p in passages)))
        if best < self.min_dense and not named and not _lexically_covered(concepts, passages) \
                and not quoted_in(question, passages) and not _heading_answers(rest, passages, words) \
                and not (FOR_ME.search(rest) and any(p.roles for p in passages)) \
                and not _names_a_guide(question, passages) \
                and not looked \
                and len(stating_roles(passages, surveyed(question, named, words))) < 2 \
                and not _heading_topic(_asked_concepts(rest), passages[:1]) \
                and (closest := closest_sentence(question, passages, relevance)) < self.min_dense:
            return Verdict(False, f"best passage similarity {best:.2f}, best sentence {closest:.2f} < {self.min_dense}",
                           unknown, below_floor=True, weak_match=not unknown)
        pointing = bool(ABOUT_CONTEXT.search(asked))
        strangers = [s for s in unknown_roles(rest if pointing else asked, vocabulary, words, passages,
                                              index.word_forms, alone=not named)
                     if not (pointing and _own_job(s, rest))]
        if not strangers and not named:
            strangers = [t for t in job_titles(asked, words)
                         if _one_of(t, asked) and not _a_plural(t, asked, words) and not _naming(passages, [t])]
        if not strangers:
            strangers = [t for t in joined_titles(asked_sentences(question), named, words) if not _naming(passages, [t])]
        options = [o for o in uncovered_options(asked_sentences(question), named, words, vocabulary)
                   if not _naming(passages, [o])]
        # A stranger weighed against a role of the guides ("scrum master or product manager?") leaves that role to
        # answer about.
        if strangers and not all(any(find_phrase(stems_of(s), stems_of(o)) >= 0 for o in options) for s in strangers):
            return Verdict(False, f"a role the guides never mention ({', '.join(strangers)})", unknown,
                           unstated=strangers[0], stranger=True)
        # Only passages about the asked role (or about no role in particular) can state its details.
        about = [p for p in passages if not p.roles or any(set(p.mentioned) & m.keys for m in named)] if named \
            else passages
        if _relation(question, named) and not _related(named, passages, index.catalog):
            return Verdict(False, "the guides do not relate these roles", unknown, unstated=named[1].label)
        titles = [t for t in job_titles(asked_sentences(question), words)
                  if not any(find_phrase(stems_of(t), stems_of(m.label)) >= 0 for m in named)]
        titles += _sub_types(asked_sentences(question), named, passages) if named else \
            strangers_named_by_article(asked, vocabulary)
        # A job title asks no aspect of its own words, as a role name does not ("project managers" asks no projects).
        rest = re.sub("|".join(rf"\b{re.escape(t)}\b" for t in titles), " ", rest) if titles else rest
        verdict = _aspects_verdict(rest, about, words, unknown, question)
        narrowed = _aspects_verdict(rest, _naming(about, titles), words, unknown, question) if titles else verdict
        if titles and (narrowed != verdict or not narrowed.answerable):
            verdict = replace(narrowed, subject=" or ".join(titles))
        if not verdict.answerable:
            return verdict
        # A place, company or credential the guides know but never write beside the asked role ("firmware engineers
        # in Germany", where only the DPOs' pay is German): said, before what they do say of the role.
        elsewhere = [n for n in proper_nouns(asked) if named and not verdict.unstated and stem(n) in vocabulary
                     and not index.catalog.mentions(n, as_role=True)
                     and not any(stem(n) in content_stems(p.title) for p in passages)
                     and not any(stem(n) in _said(p) for p in about)]
        if elsewhere:
            verdict = replace(verdict, reason="covered in part", unstated=" or ".join(dict.fromkeys(elsewhere)))
        return replace(verdict, uncovered=options[0] if options else "", looked_up=looked)


IN_THE_JOB = re.compile(r"\b(would|will|could|can) (i|we)\b", re.IGNORECASE)
"""The asker in the job just discussed: "Which industries could I work in?"."""


def carried_off_topic(question: str, named: list[Mention], passages: list[Passage], words: Vocabulary) -> bool:
    """A turn that names no role and points back at none ("what laptop should I buy?", "who won the world cup?"),
    read about the roles of the conversation before it: those roles do not make it a question about them when the
    passages about them use fewer than half the words it asks about ("world", not "won" or "cup")."""
    if not named or REFERS_BACK.search(question) or IN_THE_JOB.search(question):
        return False
    topic = {s for s in content_stems(question) if s not in GENERIC and s not in words.aspect_stems and not s.isdigit()}
    about = [p for p in passages if any(set(p.mentioned) & m.keys for m in named)]
    used = topic & {s for p in about for s in _said(p)}
    return bool(topic) and len(used) < len(topic) / 2


def subject_roles(question: str, named: list[Mention]) -> list[Mention]:
    """The named roles a question asks about: those its last asked clause writes (or its note says it is about),
    or all when it asks about one the message told of ("I'd make a good solutions architect. What does one do?").
    A role the message names only around what it asks ("I'm a QA engineer, but who will win the cup?", "I'm aiming
    for data analyst roles. What cert does the IT guide point data people towards?") is context."""
    if ABOUT_CONTEXT.search(asked_sentences(replace_roles(question, named, " "))):
        return named
    asking = _last_clause(asked_sentences(question)) + " ".join(ABOUT_NOTE.findall(question))
    return [m for m in named if writes(asking, m)]


def _share(unknown: tuple[str, ...], groups: list[tuple[str, ...]]) -> float:
    """The share of the concepts in ``groups`` that the guides never use."""
    heads = {g[0] for g in groups}
    return len(heads & set(unknown)) / len(heads) if heads else 0.0


_CLAUSE_ASK = re.compile(r",\s*(?:but|so)\s+(?=(?:what|which|who|how|where|when|why|should|can|could|would|do|does|is|are)\b)",
                         re.IGNORECASE)


def _last_clause(asked: str) -> str:
    """The clause a sentence asks in after telling something ("I love testing code, but what's a good recipe for
    banana bread?"): what the question is about."""
    return _CLAUSE_ASK.split(asked)[-1]


def _asks_which_role(asked: str, words: Vocabulary) -> bool:
    """"Which job builds the 'you might also like' suggestions?": the asker describes the work in their own words,
    so words the guides never use say nothing against a sentence of theirs this close."""
    return bool(ASKS_FOR_ROLE.search(asked)) or any(
        w.lower() in words.job_forms for pair in re.findall(r"\bwhich\s+(\w+)(?:\s+(\w+))?", asked, re.IGNORECASE)
        for w in pair)


def closest_sentence(question: str, passages: list[Passage], relevance: SentenceRelevance | None) -> float:
    """The question's similarity to the closest sentence of the passages (0 without a scorer)."""
    texts = [t for p in passages for a, b in sentences(p.text) if (t := p.text[a:b].strip())]
    return max(relevance.scores(question, texts), default=0.0) if relevance else 0.0


def concept_words(text: str) -> list[tuple[str, ...]]:
    """The stems of each word that says what the question is about: a compound ("in-house") and its parts are one
    concept, known when the guides use the compound or every part of it."""
    groups = []
    for word in split_words(text):
        found = tuple(stem(t) for t in terms(word) if t not in STOPWORDS and len(t) > 1 and stem(t) not in GENERIC)
        if found and stem(word) not in GENERIC:
            groups.append(found)
    return groups


def _aspects_verdict(question: str, about: list[Passage], words: Vocabulary, unknown: tuple[str, ...],
                     original: str) -> Verdict:
    """Details a guide must state (pay, on-call) that none of the passages about the asked role states. Asked
    alone they are a refusal; asked beside something the guides do cover, the answer says what is missing.
    ``question`` comes without its role names: "machine learning engineer" asks nothing about learning. A missing
    figure is a refusal whatever else the question names: that is what it counts ("how many years to a promotion");
    so is a missing detail the ``original`` question opens with (see ``_leads``). Only the asked sentences ask:
    "Salaries in London are high. What does a data engineer do?" asks no pay."""
    asking = asked_sentences(asking_part(question))
    asked = [a for a in words.aspects_in(asking) if not (a.counted and asks_whether(asking, a))]
    missing = []
    given = [(m[1] or m[2], m[0]) for m in _GIVEN_FIGURE.finditer(asking)]
    # A year or figure asked of a detail ("the median wage in May 2021") must be in a passage stating that detail.
    stated = [a for a in asked if a.stated and not a.counted] if given else []
    stating = [p for p in about if any(_states(p, a, a.used_in(question)) for a in stated)]
    unstated = [written for n, written in given if not any(n in p.text for p in (stating or about))]
    figure_missing = bool(unstated)
    figure_of: set[str] = set()  # what a missing figure counts
    led = False
    aside = {a.name for a in words.aspects_in(" ".join(m.group() for m in _SET_ASIDE.finditer(asking)))} - {
        a.name for a in words.aspects_in(_SET_ASIDE.sub(" ", asking))}
    excused = True  # every missing detail is one the asker set aside ("Salary aside, what does a QA engineer do?")
    missing += unstated
    for aspect in asked:
        phrases = aspect.used_in(question)
        if aspect.counted:
            concepts = counted(asking, phrases)
            if not any(counts(p, concepts) for p in about):
                missing.append(aspect.label)
                figure_missing = True
                figure_of = concepts
            continue
        phrases += [stems_of(target) for phrase, target in words.aliases if phrase in phrases]
        phrases += list(aspect.phrases) if aspect.synonyms else []
        phrases += list(aspect.stated_by)
        if aspect.stated and not any(_states(p, aspect, phrases) for p in about):
            missing.append(aspect.label or (_as_written(question, " ".join(phrases[0])) if phrases else aspect.name))
            if aspect.name in aside:
                continue
            excused = False
            earlier = [p for a in asked if a is not aspect for p in a.used_in(question)]
            led = led or any(_leads(p, asked_sentences(original), earlier) for p in aspect.used_in(question))
    if not missing:
        return Verdict(True, "covered", unknown)
    if any(set(stems_of(m)) & figure_of for m in missing if m not in unstated):  # "hours", not "that figure or hours"
        missing = [m for m in missing if m not in {a.label for a in asked if a.counted}]
    note = " or ".join(dict.fromkeys(m or "that" for m in missing))
    if not figure_missing and not led and (excused or any(not a.stated for a in specific_aspects(asked))):
        return Verdict(True, "covered in part", unknown, unstated=note)
    return Verdict(False, f"the guides do not state {note}", unknown, unstated=note)


_LEADS = frozenset(stem(w) for w in "which what does do did am is are can could would will".split())


def _leads(phrase: tuple[str, ...], asked: str, others: list[tuple[str, ...]]) -> bool:
    """An asked sentence opens with the detail ("Which online bootcamp is best for becoming a web developer?", "Does
    Spotify hire data scientists ...?", "What's a normal salary for ...?"): it is the whole ask, and what follows
    ("for becoming ...") only its purpose, so the other aspects that follow answer nothing of it. One asked before
    it (``others``: "Would someone like me be a normal hire?" asks entry first) makes it no lead."""
    for sentence in re.split(r"(?<=[.!?])\s+", asked.strip()):
        words = stems_of(sentence)
        at = find_phrase(phrase, words)
        between = [w for w in words[1:at] if w not in STOP_STEMS and len(w) > 1]
        first = not any(0 <= find_phrase(o, words[:at]) for o in others)
        if first and (at == 0 or (at > 0 and words[0] in _LEADS and len(between) <= 1)) \
                and not _SECOND_ASK.search(sentence):
            return True
    return False


_SECOND_ASK = re.compile(r"\band (what|how|which|where|who|when|why|do|does|is|are|can|should|would)\b", re.IGNORECASE)
"""A sentence that asks two things ("What do SREs earn, and what do they do all day?"): the first is not all."""


SELF = re.compile(r"(i|i'm|im|i've|i'd|my|me|we|we're|our)\b", re.IGNORECASE)


_SELF_CONDITION = re.compile(rf"^(if|when|once|since|now that)\s+{SELF.pattern}[^,?]*,\s*(?=\w)", re.IGNORECASE)
"""A leading clause that sets up the asker's situation ("If we hired a frontend engineer, would ..."): its words
("hired") ask nothing about the job market."""


def asking_part(question: str) -> str:
    """The question without the statements that describe the asker: "I do Kaggle comps most weekends. Which jobs
    list that as a way in?" says when the asker is free, and asks nothing about a job's weekends. A statement
    about the guides ("The atlas says they get a night bonus.") stays: it is what the question is about."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", question.strip()) if p]
    kept = [_SELF_CONDITION.sub("", p) for p in parts if p.rstrip().endswith("?") or not SELF.match(p)]
    return " ".join(kept) if kept else question


_SET_ASIDE = re.compile(r"\b(\w+\s+aside|aside from (the\s+)?\w+)\b", re.IGNORECASE)
"""What the asker sets aside ("Money aside, what's the downside of agency work?") is no refusal: the answer says
the guides do not state it and gives the rest."""


_GUIDE_TALK = frozenset(content_stems(
    "say says said mention mentions mentioned cover covers covered talk talks write writes wrote state states stated "
    "tell tells recommend recommends suggest suggests list lists anything something nothing stuff info information "
    "section sections chapter chapters part bit page pages line lines word words open opens opening close closes "
    "closing final finally last first end ends ending intro introduction conclusion conclude concludes summary "
    "summarise summarize begin begins beginning"))
"""Words a question uses to refer to what a guide says or where, not to what it asks about."""


def beyond_guide(question: str, named: list[Mention], source: str, index: Index) -> list[str]:
    """The words, as written, that a question naming one guide asks about when another guide gives them a heading
    but that guide uses none of them ("What does the atlas say about portfolios?"): the other guide may answer it.
    Only heading words count: a word of the asker's own ("what's the catch?") says nothing of what a guide covers."""
    rest = asked_sentences(asking_part(replace_roles(question, named, " ")))
    skip = GENERIC | index.title_words | ANY_GUIDE | _GUIDE_TALK
    asked = {s: w for w in split_words(rest) if (s := stem(w)) not in skip and w.lower() not in STOPWORDS
             and len(s) > 1 and s in index.heading_stems}
    return [] if not asked or set(asked) & index.guide_stems(source) else list(asked.values())


def _names_a_guide(question: str, passages: list[Passage]) -> bool:
    """The question refers to a retrieved passage's guide by a word of its title ("how does the atlas open?",
    "the atlas's closing advice"): it asks about the guides themselves, however its other words score. Only a
    title word the passages do not use themselves counts ("the path" to anything is no reference to a guide)."""
    said = [stem(w) for w in re.findall(r"\bthe\s+([A-Za-z]+)", question, re.IGNORECASE)]
    titled = {s for p in passages for s in content_stems(p.title) if s not in GENERIC}
    used = {s for p in passages for s in _said(p)}
    return bool((titled - used) & set(said))


def _fit_for_named(question: str, named: list[Mention], words: Vocabulary) -> bool:
    """Which named role suits the asker ("I like digging into slow queries: DBA or backend?"): the words the
    guides never use describe the asker, not what is asked about."""
    return bool(named) and any(a.name == FIT_ASPECT for a in words.aspects_in(question))


def _heading_topic(concepts: list[str], passages: list[Passage]) -> bool:
    """A retrieved passage's heading names a concept of the question ("consultancy" under "Consultancy and agency
    roles"): the question is about a topic a guide gives a section to, whatever its other words."""
    wanted = set(concepts)
    return any(wanted & set(content_stems(p.section)) for p in passages)


def _asked_concepts(question: str) -> list[str]:
    """The concepts of the sentences that ask, not of the story around them."""
    return [s for s in content_stems(asked_sentences(asking_part(question))) if s not in GENERIC]


def _heading_answers(question: str, passages: list[Passage], words: Vocabulary) -> bool:
    """The question asks an aspect (portfolio, pivots) that a retrieved passage's own heading is about: a guide
    gives the asked topic a section, however differently the question is worded."""
    asked = [a for a in specific_aspects(words.aspects_in(question)) if not a.stated]
    return any(a.in_words(stems_of(p.section)) for a in asked for p in passages)


def _lexically_covered(concepts: list[str], passages: list[Passage]) -> bool:
    """One passage holds most of the question's own concepts: a paraphrase the embedding scores low."""
    wanted = set(concepts)
    if len(wanted) < 2:
        return False
    best = max((len(wanted & _said(p)) for p in passages), default=0)
    return best >= 2 and best / len(wanted) >= LEXICAL_SHARE


def _relation(question: str, named: list[Mention]) -> bool:
    """Two roles and a question about working together (not a comparison, not a move between them)."""
    return (len(named) >= 2 and bool(WORKING_TOGETHER.search(question)) and not compared(named, question)
            and not PIVOT.search(question))


def _related(named: list[Mention], passages: list[Passage], catalog: RoleCatalog) -> bool:
    """A passage about one of the roles names the other one."""
    for p in passages:
        mentioned = frozenset().union(*(m.keys for m in catalog.mentions(p.text)))
        about = [m for m in named if set(p.roles) & m.keys]
        if about and any(m.keys & mentioned for m in named if m not in about):
            return True
    return False


def quoted_in(question: str, passages: list[Passage]) -> bool:
    """A phrase the question quotes ("what does 'median wage' mean?") that a retrieved passage contains: the
    guides use the asker's very words, however low the similarity of the whole question."""
    phrases = quoted_phrases(question)
    return bool(phrases) and any(quotes(p, phrases) for p in passages)


def _modifier(word: str) -> bool:
    """A word that can qualify a job noun (``qualifies``), not a number."""
    return qualifies(word) and not word.isdigit()


def unknown_roles(question: str, vocabulary: frozenset[str], words: Vocabulary, passages: list[Passage],
                  forms: frozenset[str], alone: bool) -> list[str]:
    """Role-like phrases the guides never name: "blockchain engineer" (a first word no guide uses, or none writes
    in that form: "robotics" where a guide says "robot"; ``forms`` are the words the guides write), "engineering
    manager", "product owner" (a job-word before a job noun, or, ``alone`` in a question that names no role of the
    guides or in quotes ("a 'release manager'"), any word before a job noun other than "engineer", that no
    retrieved passage puts together), or "embedded systems engineer" and "computer systems analyst" (known words,
    the last two of which no retrieved passage puts together; "list game developers" is no role where a guide says
    "game developers"). ``question``
    comes without the roles the catalog knows, so "senior backend engineer" is never a stranger. Only the first rule
    reads a job word not written as one, which may be a verb ("I'd rather design networks", "a biologist designing
    experiments"), or a prefixed one ("ex-engineers"). A job noun is one as the vocabulary writes it: "market
    research" names no researcher."""
    tokens = list(re.finditer(r"[A-Za-z0-9+#]+", question))
    raw = [t.group() for t in tokens]
    said = [stems_of(f"{p.section} {p.text}") for p in passages]
    quoted = quoted_phrases(question)  # a title the asker quotes ("a 'release manager'") is a role asked about
    found = []
    for i in range(1, len(raw)):
        before, noun = raw[i - 1], raw[i]
        if noun.lower() not in words.job_forms or not (_modifier(before) or stem(before) in words.role_suffixes):
            continue
        if _a_plural(f"{before} {noun}", question, words):
            continue
        start = tokens[i - 1].start()
        if start and question[start - 1] in "/-" and not (
                i >= 2 and tokens[i - 2].end() == start - 1 and stem(raw[i - 2]) not in vocabulary):
            continue  # "cloud/infra engineer", "server-side devs": another name beside a known one (or a role's)
        if stem(before) not in vocabulary or not _written(before, forms) or (
                (stem(before) in words.role_suffixes
                 or alone or any(find_phrase(stems_of(f"{before} {noun}"), q) >= 0 for q in quoted))
                and stem(noun) not in words.role_suffixes
                and not any(find_phrase(stems_of(f"{before} {noun}"), t) >= 0 for t in said)):
            found.append(f"{before} {noun}")  # "blockchain engineer"; "product owner" where no passage says it
        elif i >= 2 and question[tokens[i].start() - 1] != "-" \
                and _modifier(raw[i - 2]) and not AFTER_MODAL.search(question[:tokens[i - 2].start()]) and not any(
                find_phrase(stems_of(f"{before} {noun}"), text) >= 0 for text in said):
            found.append(f"{raw[i - 2]} {before} {noun}")
    return found


AFTER_MODAL = re.compile(r"\b(?i:will|would|can|could|should|may|might|must|to|do|does|did)\s+"
                         r"((?i:it|they|he|she|i|we|you)\s+|[A-Z][A-Za-z]*\s+)?$")
"""What comes next is a verb ("will AI replace software engineers?", "going to replace"), not a job's first word."""


def _as_named(names: list[str], question: str) -> list[str]:
    """Each name with the capitalised words the question writes around it ("Le Wagon", "Home Office"), once."""
    runs = []
    for name in names:
        match = re.search(rf"(?:\b[A-Z][\w&-]*\s+)*\b{re.escape(name)}\b(?:\s+[A-Z][\w&-]*\b)*", question)
        words = match.group().split() if match else [name]
        while len(words) > 1 and words[0].lower() in STOPWORDS:
            words = words[1:]
        runs.append(" ".join(words))
    return [r for r in dict.fromkeys(runs) if not any(r != o and r in o for o in runs)]


def _written(word: str, forms: frozenset[str]) -> bool:
    """A guide writes the word, or the verb it is a participle of ("mixed" where a guide writes "a mix of both")."""
    low = word.lower()
    verbs = {low[:-2], low[:-1]} if low.endswith("ed") else {low[:-3], f"{low[:-3]}e"} if low.endswith("ing") else set()
    return bool(({low, low.removesuffix("s"), f"{low}s"} | verbs) & forms)


def job_titles(question: str, words: Vocabulary) -> list[str]:
    """Each job title the question writes ("systems administrators", "UX writer"): a word before a role noun, as
    the vocabulary writes it ("consultancy" shares a stem with "consultant" but names no person). Not "<word>
    engineers": the guides describe engineers by their field ("consultancy engineers")."""
    raw = re.findall(r"[A-Za-z0-9+#]+", question)
    return list(dict.fromkeys(f"{before} {noun}" for before, noun in pairwise(raw)
                              if noun.lower() in words.job_forms and stem(noun) not in words.role_suffixes
                              and _modifier(before)))


def strangers_named_by_article(question: str, vocabulary: frozenset[str]) -> list[str]:
    """Words the guides never use after "a"/"an" ("How much does a nurse earn?"): whoever the question asks about,
    no guide states their pay or hours."""
    return [w for w in re.findall(r"\b(?:a|an)\s+([A-Za-z]{3,})\b", question, re.IGNORECASE)
            if stem(w) not in vocabulary and w.lower() not in STOPWORDS and stem(w) not in GENERIC]


_ONE_OF = r"\b(a|an|as|become|becoming)\s+"


def joined_titles(question: str, named: list[Mention], words: Vocabulary) -> list[str]:
    """Two roles of the guides written as one title, the second a bare job noun ("security analyst": the security
    engineers' field and the data analysts' noun): a job of its own, which no guide describes unless one says it."""
    return [f"{a.label} {b.label}" for a, b in pairwise(named)
            if len(stems_of(b.label)) == 1 and stems_of(b.label)[0] in words.role_nouns
            and re.search(rf"\b{re.escape(a.label)}\s+{re.escape(b.label)}\b", question)]


def _one_of(title: str, question: str) -> bool:
    """The question asks about being one ("What does a technical writer do?", "become a scrum master"), not about
    people the asker meets ("Do hiring managers read cover letters?")."""
    return bool(re.search(_ONE_OF + re.escape(title), question, re.IGNORECASE))


def _a_plural(title: str, question: str, words: Vocabulary) -> bool:
    """"a stats masters", "a CS masters": a job noun's plural after "a" is no group of people but a degree."""
    noun = title.split()[-1].lower()
    return noun.endswith("s") and noun[:-1] in words.job_forms and bool(
        re.search(rf"\ban?\s+{re.escape(title)}\b", question, re.IGNORECASE))


def _sub_types(asked: str, named: list[Mention], passages: list[Passage]) -> list[str]:
    """A named role narrowed by a word before it that a retrieved passage also puts there ("system DBAs" where a
    guide describes the types of DBA): a detail a guide states for the role as a whole (its median pay) is no
    answer for that kind."""
    found = []
    for mention in named:
        for match in re.finditer(rf"\b([A-Za-z][\w-]*)\s+{re.escape(mention.label)}(?![\w-])", asked, re.IGNORECASE):
            title = f"{match.group(1)} {mention.label}"
            if _modifier(match.group(1)) and _naming(passages, [title]):
                found.append(title)
    return list(dict.fromkeys(found))


def _naming(passages: list[Passage], titles: list[str]) -> list[Passage]:
    """The passages that name the job title the question asks about, one the role catalog does not know as a
    whole: a salary a guide states for computer support specialists is no answer to what systems administrators
    earn."""
    return [p for p in passages if any(_names(stems_of(t), stems_of(f"{p.section} {p.text}")) for t in titles)]


def _names(title: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """``title`` is a run of ``words``, a shortened word standing for a longer one ("tech writers" in "technical
    writers", "database admin" in "database administrators")."""
    n = len(title)
    return any(all(w == t or (len(t) >= 3 and w.startswith(t)) for t, w in zip(title, words[i:i + n], strict=True))
               for i in range(len(words) - n + 1))


def asked_sentences(question: str) -> str:
    """The sentences that ask (end in "?") and those that say what a guide says ("The atlas says you need the
    CISSP."): what the question is about; a message with neither is all asking. What a message tells around its
    question ("I'm in Manchester, on about 45k.") names places, employers and figures it does not ask about."""
    asked = [p for p in re.split(r"(?<=[.!?])\s+", question.strip())
             if p.rstrip().endswith("?") or GUIDE_SAYS.search(p)]
    return " ".join(asked) if asked else question


GUIDE_SAYS = re.compile(rf"{GUIDE.pattern}.{{0,60}}\b(says?|said|mentions?|recommends?|claims?|states?|lists?|"
                        r"tells?|suggests?)\b", re.IGNORECASE)
ABOUT_CONTEXT = re.compile(r"\b(what|how|does|do|is|would|could|did|should) (one|they|it)\b|"
                           r"\b(that|this|the) (role|job|position|title|career)\b", re.IGNORECASE)
"""A question about what the message told around it ("I'd make a good solutions architect. What does one do?"): a
role named there is its subject; otherwise what the asker tells of themselves ("eight years as a graphic designer")
is context, not the subject."""
_THERE = ("".join(rf"(?<!\b{w} )" for w in "is are was were be get go got getting going".split()) + r"\bthere\b"
          r"(?!'s|\s+(is|are|was|were|be|been|will|would|might|may|could|can|must|should|seems?|any|many|much|some|no"
          r"|a|an|that|more|fewer)\b)")
"""A place the message told of ("the pay there"), not "is there" or "get there"."""
ABOUT_THEM = re.compile(rf"(^|[.!?]\s+)(do|does|did|would|will|are|is|were|can|could)\s+(they|their)\b|{_THERE}",
                        re.IGNORECASE)
"""A question that opens by asking about "they", the people or firm the message told of ("an interview with Monzo's
platform team. Do they run on AWS?", "Do their teams use Terraform?"), or asks about "there", the place it told of ("I'm moving to Seattle. What's
the pay there?"): a name there the guides never mention is what it asks about."""
_NAME_LIST = re.compile(r"[A-Z][\w+#-]*(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)[A-Z][\w+#-]*)+")


def _listed_with_known(name: str, question: str, vocabulary: frozenset[str]) -> bool:
    """The name is one item of a list whose other items the guides name ("Python, Go and Rust"): examples of
    something the guides cover, not the question's subject."""
    for listed in _NAME_LIST.finditer(question):
        items = re.findall(r"[A-Z][\w+#-]*", listed.group())
        if name in items and any(stem(i) in vocabulary for i in items if i != name):
            return True
    return False


def _own_job(title: str, question: str) -> bool:
    """The asker says the title is or was their own job ("I've been a PHP dev for six years"): "what do they do?"
    points at someone else, not at the asker."""
    return bool(re.search(rf"\b(i'?m|i am|i've been|ive been|i was|i work as|i worked as)\s+(an?\s+)?(\w+\s+){{0,2}}?"
                          rf"{re.escape(title)}\b", question, re.IGNORECASE))


def _asker_place(name: str, question: str) -> bool:
    """The name says where the asker's own things are ("for my online candle shop in Savannah", "at our office in
    Leeds"): their situation, not what they ask about."""
    return bool(re.search(rf"\b(my|our)\s+[^,.;:?!]{{0,40}}\b(in|at|near)\s+{re.escape(name)}\b", question,
                          re.IGNORECASE))


def _example(name: str, question: str) -> bool:
    """The name is given as an example ("online courses like Coursera"): of something the question is about."""
    return bool(re.search(rf"\b(like|such as|e\.g\.,?|including)\s+{re.escape(name)}\b", question, re.IGNORECASE))


def _as_written(question: str, stemmed: str) -> str:
    """The question's own words for a stemmed phrase ("salari" -> "salary", "on call" -> "on call")."""
    written = list(re.finditer(r"[A-Za-z]+", question))
    n = len(stemmed.split())
    for i in range(len(written) - n + 1):
        span = question[written[i].start():written[i + n - 1].end()]
        if " ".join(stems_of(span)) == stemmed:
            return span.lower()
    return ""
