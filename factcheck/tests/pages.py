"""A local stand-in for other publishers' web servers (the ClaimReview and RSS
feeds the fact-check app imports): an HTTP server on 127.0.0.1, port 0, in a
thread, that answers GET with the pages it is given and records every request.

Messaging providers are faked by ``channels.testing`` (``fake_telegram``,
``fake_whatsapp`` fixtures)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Requested:
    method: str
    path: str


@dataclass
class PageServer:
    server: ThreadingHTTPServer
    requests: list[Requested] = field(default_factory=list)
    pages: dict[str, tuple[str, str | bytes]] = field(
        default_factory=dict
    )  # path → body
    # Misbehaving pages: path → seconds to wait before answering; path → size
    # of a body of that many bytes, streamed (declared, and sent until cut off).
    delays: dict[str, float] = field(default_factory=dict)
    huge: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)  # path → error status

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_page_server() -> PageServer:
    holder: dict[str, PageServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            fake = holder["fake"]
            fake.requests.append(Requested("GET", self.path))
            if self.path in fake.delays:
                time.sleep(fake.delays[self.path])
            if self.path in fake.huge:
                self._stream(fake.huge[self.path])
                return
            if self.path in fake.statuses:
                self.send_response(fake.statuses[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind, text = fake.pages.get(self.path, ("text/plain", ""))
            body = text if isinstance(text, bytes) else text.encode()
            body = body if self.path in fake.pages else b"not found"
            self.send_response(200 if self.path in fake.pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, size: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"a" * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:  # the client stopped reading: as it should
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = PageServer(server=server)
    holder["fake"] = fake
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
