"""A citation's passage as safe HTML: everything escaped, supporting sentences wrapped in <mark>."""

from __future__ import annotations

from html import escape

from bot.models import Citation


def highlighted_passage(citation: Citation) -> str:
    text, parts, pos = citation.text, [], 0
    for start, end in sorted(citation.support):
        if start < pos:
            continue
        parts += [escape(text[pos:start]), f"<mark>{escape(text[start:end])}</mark>"]
        pos = end
    parts.append(escape(text[pos:]))
    return "".join(parts).replace("\n", "<br>")
