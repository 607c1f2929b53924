"""A stand-in for a paid OpenAI-compatible endpoint that speaks the real chat-completions protocol over HTTP.

It answers by rule, not from a script: chat requests cite passage [1]'s first sentence verbatim (plus a
hallucinated sentence and a bogus marker the citation checker must drop), condense requests name the
earlier role, and judge requests say "supported" when every long word of the claim is in the passage.
``mode`` injects the faults a real endpoint has: 500, 429, slow, malformed JSON and a cut stream.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeChatCompletions(BaseHTTPRequestHandler):
    mode = "ok"
    requests: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.mode in ("500", "429"):
            self._json({"error": {"message": "boom", "type": "server_error"}}, status=int(self.mode))
            return
        if self.mode == "slow":
            threading.Event().wait(3)
        if self.mode == "malformed":
            raw = b'{"id": "x", "choices": [{"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        text = self._reply(body)
        if not body.get("stream"):
            self._json({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                     "finish_reason": "stop"}]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = re.findall(r"\S+\s*", text)
        for n, piece in enumerate(pieces):
            if self.mode == "cut" and n == 2:
                self.wfile.write(b"data: {\"id\": \"x\", \"choi")
                self.wfile.flush()
                self.connection.close()
                return
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        last = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())

    @staticmethod
    def _reply(body: dict) -> str:
        system = body["messages"][0]["content"]
        user = body["messages"][-1]["content"]
        if system.startswith("Given the conversation"):
            role = re.search(r"about (\w+ \w+)", body["messages"][1]["content"])
            return f"{user.rstrip('?')} compared with {role.group(1) if role else 'that'}?"
        if system.startswith("You check answers"):
            passage, claim = re.findall(r"<<<\n(.*?)\n>>>", user, re.S)
            missing = [w for w in re.findall(r"[a-z]{5,}", claim.lower()) if w not in passage.lower()]
            return json.dumps({"supported": not missing, "reason": f"missing {missing}" if missing else ""})
        passage = re.search(r"\[1\].*?<<<\n(.*?)\n>>>", user, re.S)
        first = re.split(r"(?<=[.!?])\s", passage.group(1))[0] if passage else "Nothing."
        return f"{first} [1] The moon is made of cheese [2]. Bogus marker [9]."

    def _json(self, data: dict, status: int = 200) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up (the timeout tests) closes the socket mid-write; that is the point."""
