"""A local stand-in for the Telegram Bot API and the WhatsApp Cloud API: an HTTP
server on 127.0.0.1 in a thread that records every request and answers like the
real one."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeProvider:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    fail_with: int = 0  # answer every request with this status when set
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # GET path → body

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def sent(self, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if path_part in r.path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_provider() -> FakeProvider:
    holder: dict[str, FakeProvider] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            fake = holder["fake"]
            fake.requests.append(Recorded("GET", self.path, dict(self.headers), None))
            if self.path in fake.pages:
                kind, text = fake.pages[self.path]
                self._reply(200, text.encode(), kind)
            else:
                self._reply(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            fake = holder["fake"]
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            fake.requests.append(Recorded("POST", self.path, dict(self.headers), body))
            if fake.fail_with:
                self._reply(fake.fail_with, b'{"ok": false}', "application/json")
                return
            if "/sendMessage" in self.path:
                answer = {"ok": True, "result": {"message_id": len(fake.requests)}}
            else:
                answer = {
                    "messaging_product": "whatsapp",
                    "messages": [{"id": f"wamid.fake{len(fake.requests)}"}],
                }
            self._reply(200, json.dumps(answer).encode(), "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeProvider(server=server)
    holder["fake"] = fake
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
