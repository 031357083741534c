"""Pictures people send to the bots, fetched from the provider: Telegram's
``getFile`` then its file URL, WhatsApp Cloud API's media id then its URL (both
with the bot's credentials). Called by the app that handles an ``image``
event (``Inbound.data`` carries ``file_id`` or ``media_id``).

Bounded: at most ``limit`` bytes are read (the provider's stated size is
checked first, the stream is cut past the limit), within
``OUTGOING_HTTP_TIMEOUT``. Base URLs and tokens come from settings, so tests
point them at the fakes of ``channels.testing``.
"""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings


class MediaError(Exception):
    """The picture could not be fetched; ``code`` says why (``too_large``,
    ``conf``, ``missing``, ``network``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


def _client() -> httpx.Client:
    # No cookies kept, no redirects to elsewhere followed.
    return httpx.Client(timeout=settings.OUTGOING_HTTP_TIMEOUT, follow_redirects=False)


def _read(
    client: httpx.Client, url: str, limit: int, headers: dict[str, str] | None = None
) -> bytes:
    try:
        with client.stream("GET", url, headers=headers or {}) as response:
            if response.status_code >= 400:
                raise MediaError("missing", f"HTTP {response.status_code}")
            stated = response.headers.get("Content-Length", "")
            if stated.isdigit() and int(stated) > limit:
                raise MediaError("too_large", stated)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise MediaError("too_large", f"over {limit}")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise MediaError("network", exc.__class__.__name__) from exc
    return b"".join(chunks)


def _json(client: httpx.Client, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = client.get(url, **kwargs)
    except httpx.HTTPError as exc:
        raise MediaError("network", exc.__class__.__name__) from exc
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400 or not isinstance(data, dict):
        raise MediaError("missing", f"HTTP {response.status_code}")
    return data


def _size_ok(value: Any, limit: int) -> None:
    if isinstance(value, int) and value > limit:
        raise MediaError("too_large", str(value))


def telegram_file(file_id: str, *, limit: int) -> bytes:
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise MediaError("conf", "TELEGRAM_BOT_TOKEN is not set")
    base = settings.TELEGRAM_API_BASE
    with _client() as client:
        data = _json(client, f"{base}/bot{token}/getFile", params={"file_id": file_id})
        result = data.get("result") if data.get("ok") else None
        if not isinstance(result, dict) or not result.get("file_path"):
            raise MediaError("missing", str(data.get("description", ""))[:100])
        _size_ok(result.get("file_size"), limit)
        return _read(client, f"{base}/file/bot{token}/{result['file_path']}", limit)


def whatsapp_media(media_id: str, *, limit: int) -> bytes:
    token = settings.WHATSAPP_TOKEN
    if not token:
        raise MediaError("conf", "WHATSAPP_TOKEN is not set")
    auth = {"Authorization": f"Bearer {token}"}
    with _client() as client:
        data = _json(client, f"{settings.WHATSAPP_API_BASE}/{media_id}", headers=auth)
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise MediaError("missing", "no media URL")
        _size_ok(data.get("file_size"), limit)
        return _read(client, url, limit, auth)


def media_download(*, channel: str, data: dict[str, Any], limit: int) -> bytes:
    """The bytes of the picture of an inbound ``image`` event."""
    if channel == "telegram" and isinstance(data.get("file_id"), str):
        return telegram_file(data["file_id"], limit=limit)
    if channel == "whatsapp" and isinstance(data.get("media_id"), str):
        return whatsapp_media(data["media_id"], limit=limit)
    raise MediaError("missing", f"no media reference for {channel}")
