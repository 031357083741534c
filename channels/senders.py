"""One sender per provider: the only code that sends messages to the outside.

Called from tasks only (``channels.tasks`` → ``services.outbox_send_due``), never
inside a web request. Base URLs and tokens come from settings, so tests point them
at the local fake servers of ``channels.testing``.

``send`` returns the provider's message id (possibly empty) or raises
``TemporaryError`` (429, 5xx, timeouts, the provider's own rate limits: tried again
later, after ``retry_after`` seconds when the provider says so) or
``PermanentError`` (bad address, blocked by the person, a refused message: never
tried again).

SMS gateway interface (generic HTTP, any Indonesian SMS provider behind a small
adapter)::

    POST {SMS_GATEWAY_URL}/messages
    Authorization: Bearer {SMS_GATEWAY_TOKEN}
    {"to": "+62812…", "text": "…", "sender": "SIMPUL", "reference": "<outbox id>",
     "callback_url": "{SITE_URL}/hooks/sms/"}
    → 2xx {"id": "<gateway message id>"}; 4xx refused; 429/5xx try later.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from channels.ratelimit import KeyedBuckets, TokenBucket
from core import whatsapp
from core.links import site_url


class SendError(Exception):
    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class TemporaryError(SendError):
    """Try again later (after ``retry_after`` seconds when given)."""

    def __init__(
        self, message: str, *, code: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class PermanentError(SendError):
    """Do not try again."""


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of an outbox row."""

    to: str
    body: str = ""
    subject: str = ""
    image_url: str = ""
    template: str = ""
    template_language: str = ""
    parameters: list[str] = field(default_factory=list)
    interactive: dict[str, Any] | None = None
    window_open: bool = True  # WhatsApp: the person wrote within 24 hours
    unsubscribe_url: str = ""
    reference: str = ""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After``: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# The process-wide token buckets, one per ``CHANNELS_*_RATE`` setting, made on
# first use (so a test's settings apply; its fixture empties this map).
_buckets: dict[str, TokenBucket | KeyedBuckets] = {}

B = TypeVar("B", TokenBucket, KeyedBuckets)


def shared_bucket(kind: type[B], setting: str) -> B:
    """The process-wide bucket (of ``kind``) for the rate in ``setting``."""
    bucket = _buckets.get(setting)
    if not isinstance(bucket, kind):
        bucket = kind(getattr(settings, setting))
        _buckets[setting] = bucket
    return bucket


class Sender:
    channel = ""
    # The CHANNELS_*_RATE setting of the provider's process-wide token bucket.
    rate_setting = ""

    def __init__(self, *, limit: TokenBucket | None = None) -> None:
        if limit is None:
            limit = shared_bucket(TokenBucket, self.rate_setting)
        self.limit = limit

    def send(self, message: Outgoing) -> str:
        raise NotImplementedError

    def retry_at(self, message: Outgoing, earliest: datetime) -> datetime:
        """When a message that failed for now may be tried again, no earlier
        than ``earliest`` (the back-off). A sender with its own schedule
        (quiet hours, posts per day) moves it to its next free slot."""
        return earliest

    def close(self) -> None:
        """Release connections; the sender may still be used afterwards."""


class HttpPool:
    """One httpx connection pool, opened on first use; ``close`` releases it and
    the owner may still be used afterwards (the next call opens a new one)."""

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=settings.OUTGOING_HTTP_TIMEOUT)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @staticmethod
    def json(response: httpx.Response) -> dict[str, Any]:
        """The response's JSON object, or {} for anything else."""
        try:
            data = response.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


class HttpSender(HttpPool, Sender):
    """A JSON-over-HTTPS provider, one connection pool per sender."""

    def __init__(
        self, *, client: httpx.Client | None = None, limit: TokenBucket | None = None
    ) -> None:
        HttpPool.__init__(self, client=client)
        Sender.__init__(self, limit=limit)

    def post(
        self, url: str, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            return self.client.post(url, json=payload, headers=headers or {})
        except httpx.HTTPError as exc:
            # Timeouts and refused connections: the message may or may not have
            # arrived; the provider's own retries are idempotent enough.
            raise TemporaryError(
                f"{self.channel}: {exc.__class__.__name__}", code="network"
            ) from exc


# --- Telegram -----------------------------------------------------------------------
# Bot API: ~30 messages a second overall, one a second per chat.
_TELEGRAM_PERMANENT = (
    "bot was blocked by the user",
    "user is deactivated",
    "chat not found",
    "bot was kicked",
    "have no rights to send",
    "peer_id_invalid",
)


class TelegramSender(HttpSender):
    """Bot API ``sendMessage`` / ``sendPhoto`` with optional inline keyboards.
    Telegram reports no delivery: "sent" is final."""

    channel = "telegram"
    rate_setting = "CHANNELS_TELEGRAM_RATE"

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        limit: TokenBucket | None = None,
        per_chat: KeyedBuckets | None = None,
    ) -> None:
        super().__init__(client=client, limit=limit)
        if per_chat is None:
            per_chat = shared_bucket(KeyedBuckets, "CHANNELS_TELEGRAM_CHAT_RATE")
        self.per_chat = per_chat

    @staticmethod
    def keyboard(interactive: dict[str, Any] | None) -> dict[str, Any] | None:
        if not interactive:
            return None
        if "buttons" in interactive:
            buttons = interactive["buttons"]
            return {
                "inline_keyboard": [
                    [{"text": b["title"][:64], "callback_data": b["id"][:64]}]
                    for b in buttons
                ]
            }
        rows = [
            row
            for section in interactive.get("list", {}).get("sections", [])
            for row in section.get("rows", [])
        ]
        return {
            "inline_keyboard": [
                [{"text": r["title"][:64], "callback_data": r["id"][:64]}] for r in rows
            ]
        }

    def send(self, message: Outgoing) -> str:
        token = settings.TELEGRAM_BOT_TOKEN
        if not token:
            raise TemporaryError("telegram: TELEGRAM_BOT_TOKEN is not set", code="conf")
        payload: dict[str, Any] = {"chat_id": message.to}
        if message.image_url:
            method = "sendPhoto"
            payload["photo"] = message.image_url
            payload["caption"] = message.body[:1024]
        else:
            method = "sendMessage"
            payload["text"] = message.body[:4096]
        markup = self.keyboard(message.interactive)
        if markup:
            payload["reply_markup"] = markup
        self.limit.acquire()
        self.per_chat.acquire(message.to)
        response = self.post(
            f"{settings.TELEGRAM_API_BASE}/bot{token}/{method}", payload
        )
        data = self.json(response)
        description = str(data.get("description", ""))[:200]
        parameters = data.get("parameters")
        if response.status_code == 429 or response.status_code >= 500:
            retry = (
                parameters.get("retry_after") if isinstance(parameters, dict) else None
            )
            raise TemporaryError(
                f"telegram: HTTP {response.status_code} {description}",
                code=str(response.status_code),
                retry_after=float(retry) if isinstance(retry, int | float) else None,
            )
        if response.status_code >= 400 or data.get("ok") is False:
            code = str(response.status_code)
            if response.status_code in (400, 403) or any(
                p in description.lower() for p in _TELEGRAM_PERMANENT
            ):
                raise PermanentError(f"telegram: {code} {description}", code=code)
            raise TemporaryError(f"telegram: {code} {description}", code=code)
        result = data.get("result")
        return str(result.get("message_id", "")) if isinstance(result, dict) else ""


def telegram_callback_answer(callback_query_id: str) -> bool:
    """``answerCallbackQuery``: stops the spinner on the button the person
    pressed. Best effort: False when Telegram could not be told."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        return False
    try:
        with httpx.Client(timeout=settings.OUTGOING_HTTP_TIMEOUT) as client:
            response = client.post(
                f"{settings.TELEGRAM_API_BASE}/bot{token}/answerCallbackQuery",
                json={"callback_query_id": callback_query_id},
            )
    except httpx.HTTPError:
        return False
    return response.status_code < 400


# --- WhatsApp Cloud API -------------------------------------------------------------

# Meta's error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/
# error-codes): throttling and transient faults are tried again, the rest refused.
WHATSAPP_TEMPORARY = {
    1,  # API unknown
    2,  # API service
    4,  # app rate limit
    80007,  # WABA rate limit
    130429,  # throughput reached
    131000,  # something went wrong
    131016,  # service unavailable
    131048,  # spam rate limit
    131056,  # pair rate limit
    133004,  # server temporarily unavailable
    190,  # access token expired: fixed by an operator, then tried again
}
# 131047: more than 24 hours since the person wrote (needs a template).
WHATSAPP_WINDOW_CLOSED = 131047


def _wa_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list's sections within the Cloud API's limits: 10 rows in all, row
    titles of 24 characters, descriptions of 72, ids of 200."""
    out: list[dict[str, Any]] = []
    left = 10
    for section in sections:
        rows = []
        for row in section.get("rows", [])[:left]:
            clipped = {"id": str(row["id"])[:200], "title": str(row["title"])[:24]}
            if row.get("description"):
                clipped["description"] = str(row["description"])[:72]
            rows.append(clipped)
        left -= len(rows)
        if rows:
            title = section.get("title")
            out.append(
                {"title": str(title)[:24], "rows": rows} if title else {"rows": rows}
            )
    return out


class WhatsAppSender(HttpSender):
    """WhatsApp Business Cloud API ``POST /<phone number id>/messages``.

    Within the 24-hour customer-service window: free text, an image, or an
    interactive message (reply buttons, a list). Outside it WhatsApp accepts only
    an approved template: the row's own (``template`` + ``parameters``), else
    ``CHANNELS_WHATSAPP_FALLBACK_TEMPLATE`` with the text as its one parameter."""

    channel = "whatsapp"
    rate_setting = "CHANNELS_WHATSAPP_RATE"

    @staticmethod
    def content(message: Outgoing) -> dict[str, Any]:
        """The type-specific part of the payload."""
        if not message.window_open or (message.template and not message.body):
            name = message.template or settings.CHANNELS_WHATSAPP_FALLBACK_TEMPLATE
            parameters = message.parameters if message.template else [message.body]
            language = message.template_language or settings.LANGUAGE_CODE
            return {
                "type": "template",
                "template": whatsapp.template(name, language, list(parameters)),
            }
        interactive = message.interactive or {}
        if "buttons" in interactive:
            return {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": message.body[:1024]},
                    "action": {
                        "buttons": [
                            {
                                "type": "reply",
                                "reply": {
                                    "id": b["id"][:256],
                                    "title": b["title"][:20],
                                },
                            }
                            for b in interactive["buttons"][:3]
                        ]
                    },
                },
            }
        if "list" in interactive:
            listing = interactive["list"]
            return {
                "type": "interactive",
                "interactive": {
                    "type": "list",
                    "body": {"text": message.body[:4096]},
                    "action": {
                        "button": str(listing.get("button", "Pilih"))[:20],
                        "sections": _wa_sections(listing.get("sections", [])),
                    },
                },
            }
        if message.image_url:
            return {
                "type": "image",
                "image": {"link": message.image_url, "caption": message.body[:1024]},
            }
        return {
            "type": "text",
            "text": {"preview_url": True, "body": message.body[:4096]},
        }

    def send(self, message: Outgoing) -> str:
        token = settings.WHATSAPP_TOKEN
        number_id = settings.WHATSAPP_PHONE_NUMBER_ID
        if not token or not number_id:
            raise TemporaryError(
                "whatsapp: WHATSAPP_TOKEN/PHONE_NUMBER_ID are not set", code="conf"
            )
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
            **self.content(message),
        }
        self.limit.acquire()
        response = self.post(
            f"{settings.WHATSAPP_API_BASE}/{number_id}/messages",
            payload,
            {"Authorization": f"Bearer {token}"},
        )
        data = self.json(response)
        if response.status_code < 400:
            messages = data.get("messages")
            if (
                isinstance(messages, list)
                and messages
                and isinstance(messages[0], dict)
            ):
                return str(messages[0].get("id", ""))
            return ""
        error = data.get("error")
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        text = (
            f"whatsapp: HTTP {response.status_code} {code} {error.get('message', '')}"
        )
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if (
            response.status_code == 429
            or response.status_code >= 500
            or code in WHATSAPP_TEMPORARY
        ):
            raise TemporaryError(
                text[:300],
                code=str(code or response.status_code),
                retry_after=retry_after,
            )
        raise PermanentError(text[:300], code=str(code or response.status_code))


# --- SMS gateway --------------------------------------------------------------------


class SmsSender(HttpSender):
    """The generic HTTP SMS gateway of this module's docstring."""

    channel = "sms"
    rate_setting = "CHANNELS_SMS_RATE"

    def send(self, message: Outgoing) -> str:
        if not settings.SMS_GATEWAY_URL:
            raise TemporaryError("sms: SMS_GATEWAY_URL is not set", code="conf")
        self.limit.acquire()
        response = self.post(
            f"{settings.SMS_GATEWAY_URL}/messages",
            {
                "to": message.to,
                "text": message.body,
                "sender": settings.SMS_SENDER_ID,
                "reference": message.reference,
                "callback_url": site_url("/hooks/sms/"),
            },
            {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        code = str(response.status_code)
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryError(
                f"sms: HTTP {code}",
                code=code,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if response.status_code >= 400:
            raise PermanentError(f"sms: HTTP {code} {response.text[:150]}", code=code)
        return str(self.json(response).get("id", ""))


# --- Email --------------------------------------------------------------------------


class EmailSender(Sender):
    """Django's configured mail backend, one connection kept open per sender;
    every message carries its unsubscribe link (body and List-Unsubscribe, with
    RFC 8058 one-click)."""

    channel = "email"
    rate_setting = "CHANNELS_EMAIL_RATE"

    def __init__(self, *, limit: TokenBucket | None = None) -> None:
        super().__init__(limit=limit)
        self._connection: Any = None

    def send(self, message: Outgoing) -> str:
        body = message.body
        headers: dict[str, str] = {}
        if message.unsubscribe_url:
            body += f"\n\n--\nBerhenti berlangganan: {message.unsubscribe_url}\n"
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMessage(
            subject=message.subject or "Simpul",
            body=body,
            to=[message.to],
            headers=headers,
        )
        self.limit.acquire()
        try:
            if self._connection is None:
                self._connection = get_connection()
                self._connection.open()
            email.connection = self._connection
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError("email: recipient refused", code="refused") from exc
        except (OSError, smtplib.SMTPException) as exc:  # smtplib errors are OSErrors
            self.close()
            raise TemporaryError(
                f"email: {exc.__class__.__name__}", code="smtp"
            ) from exc
        return ""

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None


SENDERS: dict[str, type[Sender]] = {
    "telegram": TelegramSender,
    "whatsapp": WhatsAppSender,
    "sms": SmsSender,
    "email": EmailSender,
}


def sender_for(channel: str) -> Sender:
    if channel in ("facebook", "instagram", "x", "tiktok"):
        # Posts to connected social accounts (channels/social).
        from channels.social.senders import SocialSender

        return SocialSender(channel)
    return SENDERS[channel]()


def enabled_channels() -> list[str]:
    """Channels whose settings are complete."""
    enabled = ["email"]
    if settings.TELEGRAM_BOT_TOKEN:
        enabled.append("telegram")
    if settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID:
        enabled.append("whatsapp")
    if settings.SMS_GATEWAY_URL:
        enabled.append("sms")
    return enabled
