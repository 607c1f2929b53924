"""``python -m bot.serve app.py [streamlit options]``: ``streamlit run`` with the engine loaded at server start.

Streamlit runs a page's script only when someone opens the page, so the first visitor would wait for the
imports and the engine. Here a background thread makes the shared engine while the server starts, in the
server's own process: the page's ``Engine.shared`` call then finds it ready (or waits for that same build).
"""

from __future__ import annotations

import sys
import threading


def warm() -> None:
    from bot.chat import Engine
    from bot.settings import get_settings
    from ingest.store import StoreError

    try:
        Engine.shared(get_settings()).retriever.index()
    except StoreError:  # no store yet: the page says what to do
        pass


def main() -> None:
    threading.Thread(target=warm, name="careerchat-warm-up", daemon=True).start()
    from streamlit.web.cli import main as streamlit

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    streamlit()


if __name__ == "__main__":
    main()
