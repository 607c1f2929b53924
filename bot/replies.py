"""The bot's own words: refusals and "the guides don't say" notes, built from what the ingested guides cover."""

from __future__ import annotations

import re
from itertools import zip_longest

from bot.catalog import Mention
from bot.refusal import Verdict
from bot.retrieval import Index, field_label
from bot.text import display_heading
from bot.vocabulary import Aspect

MAX_LISTED = 12
SMALL_TALK = re.compile(r"^\W*((hi|hello|hey|hiya|thanks|thank you|thank u|thx|ta|cheers|ok|okay|great|cool|nice|bye|"
                        r"goodbye|good (morning|afternoon|evening))\b\W*)*$", re.IGNORECASE)
"""A greeting, a thank-you or bare punctuation: no question, so a short reply, not the refusal's full list."""
SMALL_TALK_REPLY = ("Ask me about the tech careers in the guides (what a role involves, how people get in, how two "
                    "roles compare) and I'll answer from them, citing each passage.")


def coverage(index: Index, limit: int = MAX_LISTED) -> str:
    """What the ingested guides cover, from their own role headings and topics (not a fixed sentence): one name per
    role (two guides' "Cloud, DevOps, and SRE" and "DevOps / Platform / SRE" are one), taken from each guide in turn
    so an adviser's added guide shows among the first."""
    metas = index.metas
    by_guide: dict[str, list[str]] = {}
    for source, role in metas.distinct(("source", "role"), metas.columns["role"].where(bool)):
        by_guide.setdefault(source, []).append(role)
    roles: list[str] = []
    seen: set[str] = set()
    for turn in zip_longest(*by_guide.values()):
        for role in turn:
            keys = frozenset().union(index.catalog.keys_of(role), *(
                m.keys for m in index.catalog.mentions(role, as_role=True))) if role else frozenset()
            if role and not keys & seen:
                roles.append(display_heading(role))
                seen |= keys
    topics = list(dict.fromkeys(display_heading(section.split(" > ")[0]) for (section,) in metas.distinct(
        ("section",), metas.columns["role"].where(lambda role: not role)) if section))
    lines = []
    if roles:
        more = f" and {len(roles) - limit} more" if len(roles) > limit else ""
        lines.append(f"Roles: {'; '.join(roles[:limit])}{more}.")
    if topics:
        more = f" and {len(topics) - limit} more" if len(topics) > limit else ""
        lines.append(f"Topics: {'; '.join(topics[:limit])}{more}.")
    return "\n\n".join(lines)


def refusal_text(index: Index, verdict: Verdict | None = None, mentions: list[Mention] | None = None) -> str:
    titles = sorted(set(index.metas.values("title")) - {""})
    guides = "; ".join(f"“{t}”" for t in titles) or "the career guides"
    if verdict and verdict.unstated and not verdict.stranger:
        return not_covered(index, verdict.unstated, mentions or [], "and I won't guess.", verdict.subject)
    opening = f"The career guides don't cover the role of {verdict.unstated}" if verdict and verdict.stranger \
        else "I can't answer that from the career guides I have"
    covered = coverage(index)
    return "\n\n".join([f"{opening}, and I won't guess. Here is what they cover.",
                         *([covered] if covered else []), f"Guides: {guides}."])


def roles_overview(index: Index) -> str:
    """The reply to "What roles are there?": every role and topic the guides have, as the guides name them."""
    titles = sorted(set(index.metas.values("title")) - {""})
    return "\n\n".join(["The career guides describe these roles and topics; ask about any of them.",
                         coverage(index, limit=len(index.ids)), f"Guides: {'; '.join(f'“{t}”' for t in titles)}."])


def not_described(option: str, mentions: list[Mention]) -> str:
    """An option the question weighs that no guide describes, said before the answer about the roles they do."""
    return f"The career guides don't cover the role of {option}; here is what they say about " \
           f"{' and '.join(m.label for m in mentions)}."


def not_covered(index: Index, what: str, mentions: list[Mention], then: str, subject: str = "") -> str:
    """One plain sentence on what the guides do not say, and the fields they do cover for the asked role
    (none for a ``subject``, a job title no role of the guides is)."""
    if subject:
        return f"The career guides don't say anything about {what} for {subject}, {then}"
    whose = " or ".join(m.label for m in mentions)
    keys = frozenset().union(*(m.keys for m in mentions))
    about = index.roles.where(lambda roles: bool(roles & keys))
    # A passage under the role's heading alone names no field ("For sales engineer they cover: Sales engineer.").
    fields = sorted({label for field, section, role in index.metas.distinct(("field", "section", "role"), about)
                     if (label := display_heading(field_label(field, section))) and label != display_heading(role)})
    offer = f" For {whose} they cover: {', '.join(fields[:MAX_LISTED])}." if fields else ""
    return f"The career guides don't say anything about {what}{f' for {whose}' if whose else ''}, {then}{offer}"


def roles_under(group: str, count: int) -> str:
    """Framing for a question asking which roles there are: the guides' own grouping answers it."""
    return f"The guides describe {count} roles under “{group}”:"


def only_some_state(aspects: list[Aspect]) -> str:
    """Framing for a detail asked across roles ("Which job pays the most?"): the guides state it for some roles only."""
    what = " or ".join(dict.fromkeys(a.label or a.name for a in aspects))
    return f"The guides state {what} only for the roles below, so this is no ranking of every role."


def not_in_named(source: str, words: list[str], alone: list[Mention] | None = None) -> str:
    """Framing for an answer from the other guides when the guide a question names never uses what it asks about;
    a refusal when the roles asked about are ``alone`` in that guide (no other guide can say it of them)."""
    what = " or ".join(words)
    if alone:
        return (f"The guide {source} doesn't mention {what}, and no other guide covers "
                f"{' or '.join(m.label for m in alone)}, so I won't guess.")
    return f"The guide {source} doesn't mention {what}, but here is what the other guides say."


def not_in_source(source: str, mentions: list[Mention], chosen: bool = True) -> str:
    """A question about roles that the one guide it is limited to (``chosen``) or asks about does not cover (other
    guides may)."""
    names = " or ".join(m.label for m in mentions)
    how = "choosing" if chosen else "naming"
    return f"The guide {source} doesn't cover {names}, and I won't guess. Ask without {how} a guide to search them all."
