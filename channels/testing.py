"""Local stand-ins for the providers, for tests of every app that sends.

One fake server per provider (Telegram Bot API, WhatsApp Cloud API, the SMS
gateway): an HTTP server on 127.0.0.1, port 0, in a thread, recording every
request and answering like the real one, or with the errors queued by
``fail_next`` (429 with retry_after, 5xx, a provider's error code).

The pytest fixtures are in ``channels.tests.fixtures`` (a plugin module the root
conftest can load with ``pytest_plugins``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that does not write each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(
    handler: type[BaseHTTPRequestHandler],
) -> tuple[ThreadingHTTPServer, str, threading.Thread]:
    """A threaded server on a free loopback port, serving in the background."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", thread


class _Request(Protocol):
    method: str
    path: str


R = TypeVar("R", bound=_Request)


class Recorder(Generic[R]):
    """What every fake platform keeps: the requests it got (numbered, under a
    lock), and the server it answers on (``server``, set by the subclass)."""

    server: ThreadingHTTPServer

    def __init__(self) -> None:
        self.requests: list[R] = []
        self._lock = threading.Lock()
        self._n = 0

    def calls(self, path_part: str = "", method: str = "") -> list[R]:
        return [
            r
            for r in self.requests
            if path_part in r.path and (not method or r.method == method)
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeProvider(Recorder[Recorded]):
    """Base: records requests, answers ``queued`` errors first, else ``ok``."""

    name = ""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[Answer] = []
        # Files people "sent" (pictures), by the provider's id: served on GET.
        self.media: dict[str, bytes] = {}
        # Called with each request before it is answered (e.g. to stop a worker).
        self.on_request: Callable[[Recorded], None] | None = None
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = raw.decode(errors="replace")
                answer = fake._answer(
                    Recorded("POST", self.path, dict(self.headers), body)
                )
                data = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                fake.requests.append(
                    Recorded("GET", self.path, dict(self.headers), None)
                )
                status, kind, data = fake.get(self.path, dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server, self.url, self._thread = serve(Handler)

    def _answer(self, request: Recorded) -> Answer:
        with self._lock:
            self.requests.append(request)
            self._n += 1
            n = self._n
            queued = self.queued.pop(0) if self.queued else None
        if self.on_request is not None:
            self.on_request(request)
        return queued or self.ok(request, n)

    def ok(self, request: Recorded, n: int) -> Answer:
        raise NotImplementedError

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """A GET (media downloads): 404 unless a subclass serves it."""
        return 404, "application/json", b"{}"

    @staticmethod
    def _json(status: int, body: dict[str, Any]) -> tuple[int, str, bytes]:
        return status, "application/json", json.dumps(body).encode()

    def fail_next(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        with self._lock:
            self.queued.extend(
                Answer(status, body or {}, headers or {}) for _ in range(times)
            )

    def bodies(self, path_part: str = "") -> list[Any]:
        return [r.body for r in self.requests if path_part in r.path]


class FakeTelegram(FakeProvider):
    """``/bot<token>/sendMessage`` and ``/sendPhoto``."""

    name = "telegram"

    def ok(self, request: Recorded, n: int) -> Answer:
        chat = request.body.get("chat_id") if isinstance(request.body, dict) else None
        return Answer(
            200, {"ok": True, "result": {"message_id": n, "chat": {"id": chat}}}
        )

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """``getFile?file_id=`` and ``/file/bot<token>/<file_path>`` for the
        pictures in ``media``."""
        parsed = urlsplit(path)
        if parsed.path.endswith("/getFile"):
            file_id = parse_qs(parsed.query).get("file_id", [""])[0]
            if file_id not in self.media:
                return self._json(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: invalid file_id",
                    },
                )
            return self._json(
                200,
                {
                    "ok": True,
                    "result": {
                        "file_id": file_id,
                        "file_size": len(self.media[file_id]),
                        "file_path": f"photos/{file_id}.jpg",
                    },
                },
            )
        if "/file/bot" in parsed.path and parsed.path.startswith("/file/"):
            name = parsed.path.rsplit("/", 1)[-1].removesuffix(".jpg")
            if name in self.media:
                return 200, "image/jpeg", self.media[name]
        return 404, "application/json", b"{}"

    def flood(self, retry_after: int = 3) -> None:
        """The next request gets Telegram's 429 with ``parameters.retry_after``."""
        self.fail_next(
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            },
        )

    def blocked(self) -> None:
        self.fail_next(
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
        )


class FakeWhatsApp(FakeProvider):
    """``/<phone number id>/messages``. Interactive messages are checked against
    the Cloud API's limits (reply buttons: 1-3, titles up to 20 characters,
    unique ids; lists: up to 10 rows, row titles up to 24 characters,
    descriptions up to 72, a button text up to 20), and refused as Meta does
    (HTTP 400, error 131009) when they break one."""

    name = "whatsapp"

    def ok(self, request: Recorded, n: int) -> Answer:
        problem = interactive_problem(request.body)
        if problem:
            return Answer(
                400,
                {
                    "error": {
                        "message": "(#131009) Parameter value is not valid",
                        "type": "OAuthException",
                        "code": 131009,
                        "error_data": {"details": problem},
                    }
                },
            )
        to = request.body.get("to") if isinstance(request.body, dict) else None
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.fake{n}"}],
            },
        )

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """``/<media id>`` (its URL, with the token) and that URL, for the
        pictures in ``media``."""
        if not headers.get("Authorization", "").startswith("Bearer "):
            return self._json(401, {"error": {"code": 190, "message": "no token"}})
        parts = urlsplit(path).path.strip("/").split("/")
        media_id = parts[-1]
        if media_id not in self.media:
            return self._json(
                404, {"error": {"code": 100, "message": "Invalid media id"}}
            )
        if parts[0] == "media-download":
            return 200, "image/jpeg", self.media[media_id]
        return self._json(
            200,
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/media-download/{media_id}",
                "mime_type": "image/jpeg",
                "file_size": len(self.media[media_id]),
                "id": media_id,
            },
        )

    def error(self, code: int, status: int = 400, message: str = "error") -> None:
        """The next request gets a Graph API error with this code."""
        self.fail_next(
            status,
            {"error": {"message": message, "type": "OAuthException", "code": code}},
        )


def interactive_problem(body: Any) -> str:
    """What breaks the Cloud API's rules in an interactive message ("" if none)."""
    if not isinstance(body, dict) or body.get("type") != "interactive":
        return ""
    interactive = body.get("interactive") or {}
    action = interactive.get("action") or {}
    kind = interactive.get("type")
    if not (interactive.get("body") or {}).get("text"):
        return "body.text is required"
    if kind == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return "buttons: 1 to 3"
        ids = [b.get("reply", {}).get("id") for b in buttons]
        if len(set(ids)) != len(ids) or not all(ids):
            return "button ids must be unique"
        if any(not 1 <= len(b["reply"].get("title", "")) <= 20 for b in buttons):
            return "button title: 1 to 20 characters"
        return ""
    if kind == "list":
        rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            return "rows: 1 to 10"
        if not 1 <= len(action.get("button", "")) <= 20:
            return "list button: 1 to 20 characters"
        if any(not 1 <= len(r.get("title", "")) <= 24 for r in rows):
            return "row title: 1 to 24 characters"
        if any(len(r.get("description", "")) > 72 for r in rows):
            return "row description: at most 72 characters"
        ids = [r.get("id") for r in rows]
        if len(set(ids)) != len(ids) or not all(ids):
            return "row ids must be unique"
        return ""
    return f"unknown interactive type {kind!r}"


class FakeSmsGateway(FakeProvider):
    """``/messages`` of the generic SMS gateway."""

    name = "sms"

    def ok(self, request: Recorded, n: int) -> Answer:
        return Answer(200, {"id": f"sms-{n}"})


# --- building provider calls to our webhooks ----------------------------------------
def whatsapp_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_payload(
    *,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {"messaging_product": "whatsapp"}
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "waba", "changes": [{"field": "messages", "value": value}]}],
    }


def whatsapp_text(sender: str, text: str, message_id: str) -> dict[str, Any]:
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "1767225600",
        "type": "text",
        "text": {"body": text},
    }


def telegram_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1767225600,
            "chat": {"id": chat_id, "type": "private"},
            "text": text,
        },
    }


def whatsapp_reply(
    sender: str, button_id: str, title: str, message_id: str, *, kind: str = "button"
) -> dict[str, Any]:
    """A person's answer to our interactive message: a reply button
    (``kind="button"``) or a list row (``kind="list"``)."""
    reply = {"id": button_id, "title": title}
    interactive: dict[str, Any] = {"type": f"{kind}_reply", f"{kind}_reply": reply}
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "1767225600",
        "type": "interactive",
        "interactive": interactive,
    }


def telegram_callback(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    """A press on an inline keyboard button of one of our messages."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
            "message": {
                "message_id": update_id - 1,
                "date": 1767225600,
                "chat": {"id": chat_id, "type": "private"},
                "text": "…",
            },
            "chat_instance": "1",
            "data": data,
        },
    }


def telegram_photo(
    update_id: int, chat_id: int, file_id: str, caption: str = ""
) -> dict[str, Any]:
    """A photo sent to the bot (Telegram lists sizes, the largest last)."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 1767225600,
        "chat": {"id": chat_id, "type": "private"},
        "photo": [
            {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90},
            {"file_id": file_id, "file_unique_id": "l", "width": 720},
        ],
    }
    if caption:
        message["caption"] = caption
    return {"update_id": update_id, "message": message}


def whatsapp_image(
    sender: str, media_id: str, message_id: str, caption: str = ""
) -> dict[str, Any]:
    image: dict[str, Any] = {"id": media_id, "mime_type": "image/jpeg"}
    if caption:
        image["caption"] = caption
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "1767225600",
        "type": "image",
        "image": image,
    }
