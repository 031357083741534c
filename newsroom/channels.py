"""What a newsroom item looks like on each channel. Sending, retries, consent and
provider callbacks are ``channels``' (``channels.services.messages_send_bulk``);
the newsroom only formats the title, summary and short link of an item."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings

from channels.senders import enabled_channels

__all__ = ["Content", "content_for", "enabled_channels", "sms_text", "template"]


@dataclass(frozen=True)
class Content:
    body: str
    subject: str = ""
    # WhatsApp's approved template outside the 24-hour window: title, summary, link.
    parameters: tuple[str, ...] = ()


def sms_text(title: str, summary: str, link: str, limit: int = 160) -> str:
    """At most ``limit`` GSM-friendly characters ending with the short link."""
    text = " ".join(f"{title}: {summary}".split())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    room = limit - len(link) - 1
    if len(text) > room:
        text = text[: room - 3].rstrip() + "..."
    return f"{text} {link}"


def content_for(channel: str, *, title: str, summary: str, link: str) -> Content:
    """One item's message on ``channel`` (the same for every recipient: the
    email's unsubscribe link is added by channels' email sender)."""
    if channel == "sms":
        return Content(body=sms_text(title, summary, link))
    if channel == "email":
        return Content(
            subject=title[:200], body=f"{summary}\n\nBaca selengkapnya: {link}\n"
        )
    if channel == "whatsapp":
        return Content(
            body=f"*{title}*\n\n{summary}\n\n{link}",
            parameters=(title[:200], summary[:600], link),
        )
    return Content(body=f"{title}\n\n{summary}\n\n{link}\n\nBerhenti: /berhenti")


def template(channel: str) -> tuple[str, str]:
    """The WhatsApp template (name, language) of newsroom items."""
    if channel != "whatsapp":
        return "", ""
    return (
        settings.NEWSROOM_WHATSAPP_TEMPLATE,
        settings.NEWSROOM_WHATSAPP_TEMPLATE_LANG,
    )
