"""Record what a real model writes for the smoke cases, before careerchat's citation check touches it.

``CAREERCHAT_OPENAI_BASE_URL=http://127.0.0.1:8080/v1 python -m evals.smoke.record OUT.jsonl`` writes one line per
case: the raw answer and the passages (in the order the model saw them, so its markers name them by position).
The recordings are what ``tests/test_judge.py`` parses: real markers, not ones written for the test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.chat import Conversation, Engine
from bot.settings import get_settings
from evals.golden import load_cases

CASES = Path(__file__).with_name("llm-10.jsonl")


def main(out: Path) -> None:
    settings = get_settings()
    engine = Engine(settings.model_copy(update={"backend": "openai"}))
    index = engine.retriever.index()
    texts = dict(zip(index.ids, index.texts, strict=True))
    with out.open("w", encoding="utf-8") as sink:
        for case in load_cases(CASES):
            conversation = Conversation(engine)
            for turn in case.turns[:-1]:
                conversation.ask(turn)
            raw = "".join(conversation.stream(case.turns[-1]))
            answer = conversation.history[-1]
            if answer.refused and not answer.citations and raw == answer.answer:
                continue  # refused before the model was asked: nothing it wrote
            sink.write(json.dumps({"id": case.id, "model": settings.model, "question": case.turns[-1], "raw": raw,
                                   "passages": [texts[i] for i in answer.retrieved]}, ensure_ascii=False) + "\n")
            print(f"{case.id}: {len(raw)} characters", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
