"""Fake Telegram, WhatsApp and SMS-gateway servers on 127.0.0.1, in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]


class FakeServer:
    """Records every POST (path, JSON body, headers) and answers with ``respond``
    (by default: Telegram-, WhatsApp- and gateway-shaped successes)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.respond: Responder = self.default
        self._counter = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append((self.path, body, dict(self.headers)))
                status, answer = fake.respond(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def default(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self._counter += 1
        n = self._counter
        if "/sendMessage" in path:
            return 200, {"ok": True, "result": {"message_id": n}}
        if path.endswith("/messages") and "messaging_product" in body:
            return 200, {"messages": [{"id": f"wamid.{n}"}]}
        return 200, {"id": f"sms-{n}"}

    def paths(self, needle: str) -> list[dict[str, Any]]:
        return [body for path, body, _h in self.requests if needle in path]

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
