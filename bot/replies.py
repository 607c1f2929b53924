"""The bot's own words: refusals and "the guides don't say" notes, built from what the ingested guides cover."""

from __future__ import annotations

from bot.catalog import Mention
from bot.refusal import Verdict
from bot.retrieval import Index, field_label

MAX_LISTED = 12


def coverage(index: Index) -> str:
    """What the ingested guides cover, from their own role headings and topics (not a fixed sentence)."""
    metas = index.metas
    roles = [r for r in metas.values("role") if r]
    topics = list(dict.fromkeys(section.split(" > ")[0] for (section,) in metas.distinct(
        ("section",), metas.columns["role"].where(lambda role: not role)) if section))
    shown = roles[:MAX_LISTED] + ([f"and {len(roles) - MAX_LISTED} more"] if len(roles) > MAX_LISTED else [])
    listed = f"roles: {', '.join(shown)}" if shown else ""
    if topics:
        listed += ("; " if listed else "") + f"topics: {', '.join(topics[:MAX_LISTED])}"
    return listed


def refusal_text(index: Index, verdict: Verdict | None = None, mentions: list[Mention] | None = None) -> str:
    titles = sorted(set(index.metas.values("title")) - {""})
    guides = "; ".join(f"“{t}”" for t in titles) or "the career guides"
    if verdict and verdict.unstated:
        return not_covered(index, verdict.unstated, mentions or [], "and I won't guess.", verdict.subject)
    covered = coverage(index)
    return (
        "I can't answer that from the career guides I have, and I won't guess. "
        + (f"They cover {covered}. " if covered else "")
        + f"Sources: {guides}."
    )


def not_covered(index: Index, what: str, mentions: list[Mention], then: str, subject: str = "") -> str:
    """One plain sentence on what the guides do not say, and the fields they do cover for the asked role
    (none for a ``subject``, a job title no role of the guides is)."""
    if subject:
        return f"The career guides don't say anything about {what} for {subject}, {then}"
    whose = " or ".join(m.label for m in mentions)
    keys = frozenset().union(*(m.keys for m in mentions))
    about = index.roles.where(lambda roles: bool(roles & keys))
    fields = sorted({field_label(field, section) for field, section in index.metas.distinct(("field", "section"), about)}
                    - {""})
    offer = f" For {whose} they cover: {', '.join(fields[:MAX_LISTED])}." if fields else ""
    return f"The career guides don't say anything about {what}{f' for {whose}' if whose else ''}, {then}{offer}"
