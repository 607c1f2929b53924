"""Corpus and answer text made safe for the page: escaped HTML, highlighted support, no live links."""

from __future__ import annotations

import re
from html import escape

from bot.models import Citation

_MARKDOWN_LINKS = re.compile(r"([\[\]!])")


def safe_markdown(text: str) -> str:
    """Text for st.markdown: HTML shows as text, and no link or remote image (a tracking pixel) can render.

    Our own markup (bullets, **bold**) survives; brackets are escaped, which still displays [1] markers.
    """
    return _MARKDOWN_LINKS.sub(r"\\\1", escape(text, quote=False))


def highlighted_passage(citation: Citation) -> str:
    """The passage with its supporting sentences wrapped in <mark>; everything from the corpus is escaped."""
    text, parts, pos = citation.text, [], 0
    for start, end in sorted(citation.support):
        if start < pos:
            continue
        parts += [safe_markdown(text[pos:start]), f"<mark>{safe_markdown(text[start:end])}</mark>"]
        pos = end
    parts.append(safe_markdown(text[pos:]))
    return "".join(parts).replace("\n", "<br>")
