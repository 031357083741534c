"""One sender per channel: the only code that talks to Telegram and WhatsApp.

Called from tasks only (``factcheck.tasks``), never inside a web request. Base
URLs come from settings so tests point them at a local fake server.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from core import whatsapp


class SendError(Exception):
    """The provider refused the message or could not be reached."""


class Sender:
    channel = ""

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    def _post(
        self, url: str, payload: dict[str, object], headers: dict[str, str]
    ) -> dict[str, object]:
        client = self._client or httpx.Client(timeout=settings.OUTGOING_HTTP_TIMEOUT)
        try:
            response = client.post(url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise SendError(f"{self.channel}: {exc.__class__.__name__}") from exc
        finally:
            if self._client is None:
                client.close()
        if response.status_code >= 400:
            raise SendError(
                f"{self.channel}: HTTP {response.status_code} {response.text[:200]}"
            )
        try:
            data = response.json()
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}

    def send(
        self, to: str, text: str, *, outside_window: bool = False
    ) -> dict[str, object]:
        """Send ``text`` to ``to``.  ``outside_window``: the person has not
        written to us lately (WhatsApp's 24-hour customer-service window is
        closed), so a channel that needs one must use a pre-approved template."""
        raise NotImplementedError


class TelegramSender(Sender):
    """Bot API ``sendMessage``."""

    channel = "telegram"

    def send(
        self, to: str, text: str, *, outside_window: bool = False
    ) -> dict[str, object]:
        token = settings.TELEGRAM_BOT_TOKEN
        if not token:
            raise SendError("telegram: TELEGRAM_BOT_TOKEN is not set")
        data = self._post(
            f"{settings.TELEGRAM_API_BASE}/bot{token}/sendMessage",
            {"chat_id": to, "text": text[:4096]},
            {},
        )
        if data.get("ok") is False:
            raise SendError(f"telegram: {data.get('description', 'not ok')}")
        return data


class WhatsAppSender(Sender):
    """WhatsApp Business Cloud API: ``POST /<phone number id>/messages``.

    Free text is allowed only within 24 hours of the person's last message;
    later (a verdict published days after the tip) WhatsApp accepts only a
    template approved in the Business Manager: ``FACTCHECK_WHATSAPP_TEMPLATE``,
    whose body has one parameter, ``{{1}}``, filled with the message."""

    channel = "whatsapp"

    def send(
        self, to: str, text: str, *, outside_window: bool = False
    ) -> dict[str, object]:
        token = settings.WHATSAPP_TOKEN
        number_id = settings.WHATSAPP_PHONE_NUMBER_ID
        if not token or not number_id:
            raise SendError("whatsapp: WHATSAPP_TOKEN/PHONE_NUMBER_ID are not set")
        payload: dict[str, object] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.lstrip("+"),
        }
        if outside_window:
            payload["type"] = "template"
            payload["template"] = whatsapp.template(
                settings.FACTCHECK_WHATSAPP_TEMPLATE,
                settings.FACTCHECK_WHATSAPP_TEMPLATE_LANG,
                [text],
            )
        else:
            payload["type"] = "text"
            payload["text"] = {"preview_url": True, "body": text[:4096]}
        return self._post(
            f"{settings.WHATSAPP_API_BASE}/{number_id}/messages",
            payload,
            {"Authorization": f"Bearer {token}"},
        )


def sender_for(channel: str) -> Sender:
    if channel == "telegram":
        return TelegramSender()
    if channel == "whatsapp":
        return WhatsAppSender()
    raise SendError(f"no sender for channel {channel!r}")
