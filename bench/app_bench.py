"""The app as a person meets it, in Chromium: server start to a usable chat box, Enter to first text and to the
full answer (its sources shown).

The server is started as ``make run`` starts it (``python -m bot.serve app.py``, which loads the engine at
server start) on the configured store; playwright drives Debian's chromium (never a
downloaded browser). "Usable" is the chat box accepting input; the first answer's timings include warming
the engine if the server has not finished doing so. Skipped, with the reason recorded, without chromium.
Worker: python -m bench.app_bench  (prints one JSON line)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import latency_stats

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
QUESTIONS = ("What does an SRE do?", "Should I be a data engineer or a data analyst?", "How do I become a PM?")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure() -> dict:
    if not os.path.exists(CHROMIUM):
        return {"skipped": f"no chromium at {CHROMIUM} (make browser installs it)"}
    from playwright.sync_api import sync_playwright

    port = free_port()
    scratch = tempfile.mkdtemp()  # the conversations it saves are the benchmark's, not the user's
    env = {**os.environ, "CAREERCHAT_FEEDBACK_DB": str(Path(scratch) / "bench.sqlite3")}
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.serve", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}", timeout=2_000)
                    break
                except Exception:  # the server is not listening yet
                    if time.monotonic() - started > 120:
                        raise
                    time.sleep(0.05)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=120_000)
            usable_s = time.monotonic() - started
            first_text, full = [], []
            for n, question in enumerate(QUESTIONS):
                box.wait_for(timeout=120_000)
                box.fill(question)
                asked = time.monotonic()
                box.press("Enter")
                reply = page.get_by_test_id("stChatMessage").nth(2 * n + 1)
                while not reply.count() or not reply.inner_text().strip():
                    time.sleep(0.01)
                first_text.append((time.monotonic() - asked) * 1000)
                page.get_by_test_id("stChatMessage").nth(2 * n + 1).get_by_test_id("stExpander").first.wait_for(
                    timeout=120_000)
                full.append((time.monotonic() - asked) * 1000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    return {"usable_after_server_start_s": round(usable_s, 2), "first_answer_first_text_ms": round(first_text[0], 1),
            "first_answer_full_ms": round(full[0], 1), "first_text_ms": latency_stats(first_text),
            "full_answer_ms": latency_stats(full), "questions": len(QUESTIONS)}


if __name__ == "__main__":
    print(json.dumps(measure()))
