"""What the fake X and TikTok servers share: a threaded local HTTP server
that records requests (form, multipart files, JSON) and answers by path."""

from __future__ import annotations

import email
import email.policy
import json
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from channels.testing import QuietHandler, Recorder, serve


def send_json(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: dict[str, Any] | None,
    headers: dict[str, str],
) -> None:
    """Answer as the platforms do: JSON (or nothing), with its length."""
    data = json.dumps(body).encode() if body is not None else b""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    if body is not None:
        handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@dataclass
class _Queued:
    status: int
    body: dict[str, Any]
    hang: float = 0.0
    path_part: str = ""
    # After the stall, do nothing: the request was lost, not just its answer.
    drop: bool = False


@dataclass
class ApiRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]  # form fields (urlencoded or multipart, files excluded)
    json: Any
    files: dict[str, bytes]


@dataclass
class _Answer:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]


def _multipart(
    content_type: str, raw: bytes
) -> tuple[dict[str, str], dict[str, bytes]]:
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw,
        policy=email.policy.HTTP,
    )
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        if part.get_filename():
            files[name] = payload
        else:
            form[name] = payload.decode()
    return form, files


class _FakeApi(Recorder[ApiRequest]):
    """A local HTTP server recording requests, answering ``ok`` or what
    ``fail_next``/``hang_next`` queued for a path."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[tuple[str, _Queued, dict[str, str]]] = []
        fake = self

        class Handler(QuietHandler):
            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("Content-Type", "")
                form: dict[str, str] = {}
                files: dict[str, bytes] = {}
                body: Any = None
                if kind.startswith("multipart/"):
                    form, files = _multipart(kind, raw)
                elif kind.startswith("application/json"):
                    body = json.loads(raw or b"null")
                elif raw:
                    form = dict(parse_qsl(raw.decode()))
                request = ApiRequest(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    form,
                    body,
                    files,
                )
                answer = fake._answer(request)
                send_json(self, answer.status, answer.body, answer.headers)

            do_GET = _handle
            do_POST = _handle

        self.server, self.url, self._thread = serve(Handler)

    def fail_next(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        path_part: str = "",
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        with self._lock:
            self.queued.extend(
                (path_part, _Queued(status, body or {}), headers or {})
                for _ in range(times)
            )

    def hang_next(
        self, seconds: float, *, path_part: str = "", drop: bool = False
    ) -> None:
        """Stall (longer than the client's timeout), then answer as usual: the
        platform has done the work, the caller did not hear of it. ``drop``:
        the platform never did the work (a 500 after the stall)."""
        with self._lock:
            self.queued.append(
                (path_part, _Queued(200, {}, hang=seconds, drop=drop), {})
            )

    def _answer(self, request: ApiRequest) -> _Answer:
        with self._lock:
            self.requests.append(request)
            self._n += 1
            n = self._n
            queued = next((q for q in self.queued if q[0] in request.path), None)
            if queued is not None:
                self.queued.remove(queued)
        if queued is not None:
            if queued[1].hang:
                time.sleep(queued[1].hang)
                if queued[1].drop:
                    return _Answer(500, {}, {})
            else:
                return _Answer(queued[1].status, queued[1].body, queued[2])
        with self._lock:
            return self.ok(request, n)

    def ok(self, request: ApiRequest, n: int) -> _Answer:
        raise NotImplementedError

    @staticmethod
    def bearer(request: ApiRequest) -> str:
        return request.headers.get("authorization", "").removeprefix("Bearer ")
