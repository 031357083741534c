"""The shapes of the providers' webhook payloads, checked before any field is used.

A payload that passed the signature check can still hold a list where an object
belongs (a test by the provider, a proxy, a bug): reading it with ``.get`` chains
ended in AttributeError/TypeError, so a 500, so the provider retried for days.
Each payload is validated here (pydantic, unknown fields ignored, ids that arrive
as numbers taken as text) and the caller answers 400 when it does not fit.
Bodies nested too deeply never get here (``core.middleware.InputGuardMiddleware``).
"""

from __future__ import annotations

import hmac
import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Id = str


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class BadPayload(ValueError):
    pass


def secret_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a secret from a header with the configured one.
    Headers may carry any (latin-1) character; ``hmac.compare_digest`` raises
    TypeError on non-ASCII ``str``, so both sides are compared as UTF-8 bytes."""
    if not expected:
        return False
    return hmac.compare_digest((given or "").encode(), expected.encode())


# --- Telegram Bot API -------------------------------------------------------------
class TelegramChat(_Lenient):
    id: Id = Field(..., max_length=64)
    first_name: str = Field("", max_length=256)
    last_name: str = Field("", max_length=256)


class TelegramMessage(_Lenient):
    chat: TelegramChat
    text: str | None = None
    caption: str | None = None


class TelegramUpdate(_Lenient):
    update_id: Id = Field(..., max_length=64)
    message: TelegramMessage | None = None
    channel_post: TelegramMessage | None = None


# --- WhatsApp Business Cloud API --------------------------------------------------
class WhatsAppText(_Lenient):
    body: str | None = None


class WhatsAppMedia(_Lenient):
    caption: str | None = None


class WhatsAppButton(_Lenient):
    text: str | None = None


class WhatsAppMessage(_Lenient):
    id: Id = Field(..., max_length=256)
    from_: Id = Field(..., alias="from", max_length=64)
    type: str = Field("", max_length=32)
    text: WhatsAppText | None = None
    image: WhatsAppMedia | None = None
    video: WhatsAppMedia | None = None
    document: WhatsAppMedia | None = None
    button: WhatsAppButton | None = None

    def body(self) -> str | None:
        if self.type == "text" and self.text:
            return self.text.body
        if self.type in ("image", "video", "document"):
            media = getattr(self, self.type)
            return media.caption if media else None
        if self.type == "button" and self.button:
            return self.button.text
        return None


class WhatsAppError(_Lenient):
    title: str = Field("", max_length=1_000)


class WhatsAppStatus(_Lenient):
    id: Id = Field(..., max_length=256)
    status: str = Field(..., max_length=32)
    errors: list[WhatsAppError] = []


class WhatsAppValue(_Lenient):
    messages: list[WhatsAppMessage] = []
    statuses: list[WhatsAppStatus] = []


class WhatsAppChange(_Lenient):
    value: WhatsAppValue = WhatsAppValue()


class WhatsAppEntry(_Lenient):
    changes: list[WhatsAppChange] = []


class WhatsAppPayload(_Lenient):
    entry: list[WhatsAppEntry] = []

    def messages(self) -> list[WhatsAppMessage]:
        return [m for e in self.entry for c in e.changes for m in c.value.messages]

    def statuses(self) -> list[WhatsAppStatus]:
        return [s for e in self.entry for c in e.changes for s in c.value.statuses]


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: bytes) -> M:
    """``body`` as ``model``; raises ``BadPayload`` when it is not JSON of that
    shape."""
    try:
        data: Any = json.loads(body)
        return model.model_validate(data)
    except (ValueError, RecursionError, ValidationError) as exc:
        raise BadPayload(str(exc)[:300]) from None
