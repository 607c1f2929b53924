"""Corpus and answer text made safe for the page: escaped HTML, highlighted support, no live links anywhere.

Streamlit renders Markdown in message bodies and in widget labels (links, images, ``:material/x:`` icons,
``:red[...]`` colours) and turns bare URLs into links, so every piece of corpus text passes through here.
"""

from __future__ import annotations

import re
from html import escape

from bot.models import Citation
from bot.source_view import SourceView

_MARKDOWN_LINKS = re.compile(r"([\[\]!])")
# A bare address that Markdown would auto-link ("https://", "www.", "name@host"). GFM links them after escapes
# are resolved, so a backslash does not help: an invisible word joiner breaks the pattern instead.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|file)(?=:)|\b(www)(?=\.)|(?<=[\w.+-])(?=@)")
_JOINER = "\u2060"
_LABEL_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$<>&@])")


def _no_autolinks(markdown: str) -> str:
    return _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, markdown)


def safe_markdown(text: str) -> str:
    """Text for st.markdown: HTML shows as text, and no link or remote image (a tracking pixel) can render.

    Our own markup (bullets, **bold**) survives; brackets are escaped, which still displays [1] markers.
    """
    return _no_autolinks(_MARKDOWN_LINKS.sub(r"\\\1", escape(text, quote=False)))


def safe_label(text: str) -> str:
    """Text for a widget label, shown literally: every Markdown-active character is escaped."""
    return _LABEL_SPECIAL.sub(r"\\\1", _no_autolinks(" ".join(text.split())))


def _marked(text: str, spans: list[tuple[int, int]], markup) -> str:
    """``text`` with each span wrapped in <mark>; ``markup`` makes the plain pieces safe."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        parts += [markup(text[pos:start]), f"<mark>{markup(text[start:end])}</mark>"]
        pos = end
    parts.append(markup(text[pos:]))
    return "".join(parts)


def highlighted_passage(citation: Citation) -> str:
    """The passage with its supporting sentences wrapped in <mark>; everything from the corpus is escaped."""
    return _marked(citation.text, citation.support, safe_markdown).replace("\n", "<br>")


def source_view_html(view: SourceView) -> str:
    """The citation viewer's body as HTML (no Markdown step, so nothing auto-links); all corpus text escaped.

    Breadcrumbs stay above a scrolling body; each top-level section gets its heading and each sub-section its
    own, so the whole guide reads in order. The cited chunk is the element with id ``cc-cited``.
    """
    crumbs = " › ".join(f"<span>{escape(c)}</span>" for c in view.breadcrumbs)
    body, top = [], None
    for block in view.blocks:
        parts = block.section.split(" > ") if block.section else []
        if parts[:1] != top:
            top = parts[:1]
            body.append(f"<h3>{escape(parts[0])}</h3>" if parts else "")
        heading = f"<h4>{escape(block.heading)}</h4>" if len(parts) > 1 else ""
        if block.cited:
            start, end = block.cited
            inner = [(s - start, e - start) for s, e in block.support]
            text = (escape(block.text[:start]) + '<span id="cc-cited" class="cc-cited">'
                    + _marked(block.text[start:end], inner, escape) + "</span>" + escape(block.text[end:]))
        else:
            text = escape(block.text)
        body.append(f"<section>{heading}<p>{text.replace(chr(10), '<br>')}</p></section>")
    return (f'<nav class="cc-crumbs" aria-label="Section path">{crumbs}</nav>'
            f'<div class="cc-view">{"".join(body)}</div>')
