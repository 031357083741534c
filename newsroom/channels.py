"""One sender per channel: the only code of the newsroom that talks to the outside.

Called from tasks only (``newsroom.tasks``), never inside a web request. Base URLs
and tokens come from settings, so tests point them at local fake servers.

A sender takes a batch of messages and yields, for each in turn as soon as it is
sent (``send_each``: the caller records it before the next one goes out, so a
worker killed mid-batch sends nothing twice), the provider's message id (a
string, possibly empty) or the error: ``TemporaryError`` (the provider is
down, slow or rate-limiting: retried with backoff) or ``PermanentError`` (the
address is refused: not retried).

SMS gateway interface (generic HTTP, for any Indonesian SMS provider behind a
small adapter)::

    POST {SMS_GATEWAY_URL}/messages
    Authorization: Bearer {SMS_GATEWAY_TOKEN}
    {"to": "+62812…", "text": "… (≤160 characters)", "sender": "SIMPUL",
     "reference": "<delivery id>", "callback_url": "{SITE_URL}/api/v1/callbacks/sms"}
    → 2xx {"id": "<gateway message id>"}; 4xx refused; 429/5xx try later.

    Delivery reports: POST {callback_url}
    X-Gateway-Secret: {SMS_GATEWAY_CALLBACK_SECRET}
    {"id": "<gateway message id>", "status": "delivered" | "failed", "error": "…"}
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from core import whatsapp
from core.webhooks import secret_matches


class TemporaryError(Exception):
    """Try again later."""


class PermanentError(Exception):
    """Do not try again."""


@dataclass(frozen=True)
class Message:
    to: str
    title: str
    summary: str
    link: str  # the short link
    unsubscribe: str  # absolute URL
    reference: str = ""  # our delivery id


Result = str | Exception


def enabled_channels() -> list[str]:
    """Channels whose settings are complete."""
    channels = ["email"]
    if settings.NEWSROOM_TELEGRAM_BOT_TOKEN:
        channels.append("telegram")
    if settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID:
        channels.append("whatsapp")
    if settings.SMS_GATEWAY_URL:
        channels.append("sms")
    return channels


def sms_text(title: str, summary: str, link: str, limit: int = 160) -> str:
    """At most ``limit`` GSM-friendly characters ending with the short link."""
    text = " ".join(f"{title}: {summary}".split())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    room = limit - len(link) - 1
    if len(text) > room:
        text = text[: room - 3].rstrip() + "..."
    return f"{text} {link}"


class Sender:
    channel = ""

    def send_each(self, messages: list[Message]) -> Iterator[Result]:
        raise NotImplementedError

    def send_many(self, messages: list[Message]) -> list[Result]:
        return list(self.send_each(messages))


class HttpSender(Sender):
    def send_each(self, messages: list[Message]) -> Iterator[Result]:
        with httpx.Client(timeout=settings.OUTGOING_HTTP_TIMEOUT) as client:
            for message in messages:
                try:
                    result: Result = self.send_one(client, message)
                except (TemporaryError, PermanentError) as exc:
                    result = exc
                yield result

    def send_one(self, client: httpx.Client, message: Message) -> str:
        raise NotImplementedError

    def post(
        self,
        client: httpx.Client,
        url: str,
        payload: dict[str, object],
        headers: dict[str, str] | None = None,
    ) -> dict[str, object]:
        try:
            response = client.post(url, json=payload, headers=headers or {})
        except httpx.HTTPError as exc:
            raise TemporaryError(f"{self.channel}: {exc.__class__.__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryError(f"{self.channel}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(
                f"{self.channel}: HTTP {response.status_code} {response.text[:150]}"
            )
        try:
            data = response.json()
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}


class EmailSender(Sender):
    """Django's configured mail backend, one connection per batch."""

    channel = "email"

    def send_each(self, messages: list[Message]) -> Iterator[Result]:
        emails = [
            EmailMessage(
                subject=m.title,
                body=(
                    f"{m.summary}\n\nBaca selengkapnya: {m.link}\n\n--\n"
                    f"Berhenti berlangganan: {m.unsubscribe}\n"
                ),
                to=[m.to],
                headers={"List-Unsubscribe": f"<{m.unsubscribe}>"},
            )
            for m in messages
        ]
        sent = 0
        try:
            with get_connection() as connection:
                for email in emails:
                    connection.send_messages([email])
                    sent += 1
                    yield ""
        except OSError as exc:  # smtplib errors are OSErrors
            error = TemporaryError(f"email: {exc.__class__.__name__}")
            yield from [error] * (len(messages) - sent)


class TelegramSender(HttpSender):
    """Bot API ``sendMessage``. Telegram reports no delivery: "sent" is final."""

    channel = "telegram"

    def send_one(self, client: httpx.Client, message: Message) -> str:
        token = settings.NEWSROOM_TELEGRAM_BOT_TOKEN
        if not token:
            raise PermanentError("telegram: NEWSROOM_TELEGRAM_BOT_TOKEN is not set")
        text = (
            f"{message.title}\n\n{message.summary}\n\n{message.link}\n\n"
            "Berhenti: /berhenti"
        )
        data = self.post(
            client,
            f"{settings.TELEGRAM_API_BASE}/bot{token}/sendMessage",
            {"chat_id": message.to, "text": text[:4096]},
        )
        if data.get("ok") is False:
            raise PermanentError(f"telegram: {data.get('description', 'not ok')}")
        result = data.get("result")
        return str(result.get("message_id", "")) if isinstance(result, dict) else ""


class WhatsAppSender(HttpSender):
    """WhatsApp Business Cloud API, an approved template message with three body
    parameters (title, summary, link)."""

    channel = "whatsapp"

    def send_one(self, client: httpx.Client, message: Message) -> str:
        token = settings.WHATSAPP_TOKEN
        number_id = settings.WHATSAPP_PHONE_NUMBER_ID
        if not token or not number_id:
            raise PermanentError("whatsapp: WHATSAPP_TOKEN/PHONE_NUMBER_ID not set")
        params = [message.title[:200], message.summary[:600], message.link]
        data = self.post(
            client,
            f"{settings.WHATSAPP_API_BASE}/{number_id}/messages",
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": message.to.lstrip("+"),
                "type": "template",
                "template": whatsapp.template(
                    settings.NEWSROOM_WHATSAPP_TEMPLATE,
                    settings.NEWSROOM_WHATSAPP_TEMPLATE_LANG,
                    params,
                ),
            },
            {"Authorization": f"Bearer {token}"},
        )
        messages = data.get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return str(messages[0].get("id", ""))
        return ""


class SmsSender(HttpSender):
    """The generic HTTP SMS gateway described in this module's docstring."""

    channel = "sms"

    def send_one(self, client: httpx.Client, message: Message) -> str:
        if not settings.SMS_GATEWAY_URL:
            raise PermanentError("sms: SMS_GATEWAY_URL is not set")
        data = self.post(
            client,
            f"{settings.SMS_GATEWAY_URL}/messages",
            {
                "to": message.to,
                "text": sms_text(message.title, message.summary, message.link),
                "sender": settings.SMS_SENDER_ID,
                "reference": message.reference,
                "callback_url": f"{settings.SITE_URL}/api/v1/callbacks/sms",
            },
            {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        return str(data.get("id", ""))


SENDERS: dict[str, type[Sender]] = {
    "email": EmailSender,
    "telegram": TelegramSender,
    "whatsapp": WhatsAppSender,
    "sms": SmsSender,
}


def sender_for(channel: str) -> Sender:
    return SENDERS[channel]()


# --- callback authentication ------------------------------------------------------
def whatsapp_signature_valid(body: bytes, header: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body, app secret>``."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return secret_matches(header.removeprefix("sha256="), expected)


def sms_secret_valid(header: str) -> bool:
    secret = settings.SMS_GATEWAY_CALLBACK_SECRET
    return secret_matches(header, secret)


def telegram_secret_valid(header: str) -> bool:
    secret = settings.NEWSROOM_TELEGRAM_WEBHOOK_SECRET
    return secret_matches(header, secret)
