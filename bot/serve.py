"""``python -m bot.serve app.py [streamlit options]``: ``streamlit run`` with the engine loaded at server start.

Streamlit runs a page's script only when someone opens the page, so the first visitor would wait for the
imports and the engine. Here a background thread makes the shared engine in the server's own process as soon
as the server is up: the page's ``Engine.shared`` call then finds it ready (or waits for that same build). It
waits for the server because on two cores, under one GIL, importing the engine alongside Streamlit's own start
delayed the server by ~1 s and a usable page by ~1.5 s (bench/app_bench.py).
"""

from __future__ import annotations

import sys
import threading
import time

POLL_S = 0.05


def wait_for_server() -> None:
    from streamlit import runtime
    from streamlit.runtime.runtime import RuntimeState

    while not runtime.exists() or runtime.get_instance().state == RuntimeState.INITIAL:
        time.sleep(POLL_S)


def warm() -> None:
    wait_for_server()
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
