"""A conversation as Markdown (for people) or JSON (with full citations, for tools)."""

from __future__ import annotations

import json

from bot.models import Answer


def to_markdown(history: list[Answer]) -> str:
    lines = ["# careerchat conversation", ""]
    for answer in history:
        lines += [f"**You:** {answer.question}", "", f"**careerchat** ({answer.backend}):", "", answer.answer, ""]
        if answer.citations:
            lines.append("Sources:")
            lines += [f"- [{c.n}] {c.source} — {c.section}" for c in answer.citations]
            lines.append("")
    return "\n".join(lines)


def to_json(history: list[Answer]) -> str:
    return json.dumps([answer.public() for answer in history], ensure_ascii=False, indent=2)
