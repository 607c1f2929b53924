"""A conversation as Markdown (for people) or JSON (for tools), each answer with its cited passages' text and
the settings it was made with, so a reader can check every claim without the app."""

from __future__ import annotations

import json

from bot.models import Answer


def settings_line(answer: Answer) -> str:
    options = answer.options
    if options is None:
        return f"backend {answer.backend}"
    used = f"backend {answer.backend}" + (f" (asked for {options.backend})" if options.backend != answer.backend else "")
    return f"{used} · {options.k} passages per question · guides: {options.source or 'all'}"


def _quoted(text: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.splitlines()]


def to_markdown(history: list[Answer]) -> str:
    lines = ["# careerchat conversation", ""]
    for answer in history:
        lines += [f"**You:** {answer.question}", "", f"**careerchat** ({settings_line(answer)}):", "", answer.answer, ""]
        if answer.citations:
            lines += ["Sources:", ""]
            for c in answer.citations:
                lines += [f"[{c.n}] {c.place}", "", *_quoted(c.text), ""]
    return "\n".join(lines)


def to_json(history: list[Answer]) -> str:
    return json.dumps([{**answer.public(), "settings": answer.options.model_dump() if answer.options else None}
                       for answer in history], ensure_ascii=False, indent=2)
