"""Messages to tipsters, handed to ``channels`` (its outbox sends them in a task,
holds them for someone who sent BERHENTI, and picks free text or the approved
template by WhatsApp's 24-hour window, ``Consent.last_inbound_at``).

Each message has a dedupe key, so a retried webhook or a repeated publication
never sends it twice: ``factcheck:verdict:<claim>:<tipster>`` (each asker hears
about a claim once), ``factcheck:reply:tip:<tip>``, ``factcheck:reply:event:<inbound
event>``; rows moved from the old ``OutgoingMessage`` kept
``factcheck:outgoing:<pk>`` (migration 0005).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings

from channels import services as channel_services
from channels.models import OutboxMessage
from factcheck.models import Channel, Tipster
from factcheck.personal import contact_decrypt

log = logging.getLogger(__name__)

ORIGIN = "factcheck"
REPLY = "reply"
VERDICT = "verdict"


def verdict_key(*, claim_id: int, tipster_id: int) -> str:
    return f"factcheck:verdict:{claim_id}:{tipster_id}"


def whatsapp_template(text: str) -> dict[str, Any]:
    """What a WhatsApp message of ours carries for outside the 24-hour window:
    ``FACTCHECK_WHATSAPP_TEMPLATE`` (approved body ``{{1}}``) with the text."""
    return {
        "template": settings.FACTCHECK_WHATSAPP_TEMPLATE,
        "template_language": settings.FACTCHECK_WHATSAPP_TEMPLATE_LANG,
        "parameters": [text],
    }


def tipster_send(
    *,
    tipster: Tipster,
    text: str,
    dedupe_key: str,
    kind: str = REPLY,
    interactive: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """Queue ``text`` for a tipster through channels; None when there is no way
    to reach them (the contact is gone, or cannot be read with today's key)."""
    if tipster.channel not in (Channel.TELEGRAM, Channel.WHATSAPP):
        return None
    contact = contact_decrypt(tipster.contact_encrypted)
    if contact is None:
        log.warning("factcheck: tipster %s has no readable contact", tipster.pk)
        return None
    extra = whatsapp_template(text) if tipster.channel == Channel.WHATSAPP else {}
    return channel_services.message_send(
        channel=tipster.channel,
        to=contact,
        body=text,
        interactive=interactive,
        dedupe_key=dedupe_key,
        origin=ORIGIN,
        reference=f"{kind}:{tipster.pk}",
        **extra,
    )


def tipster_message(
    *, tipster: Tipster, text: str, key: str = ""
) -> OutboxMessage | None:
    """A short answer to a tipster (welcome, region set, …). ``key``: what it
    answers (``event:<id>``), so that answering again sends nothing new."""
    return tipster_send(
        tipster=tipster,
        text=text,
        dedupe_key=f"factcheck:reply:{key or uuid.uuid4().hex}",
    )


def tipster_messages_cancel(*, tipster: Tipster) -> int:
    """Withdraw what is still queued for this tipster (their record is deleted)."""
    contact = contact_decrypt(tipster.contact_encrypted)
    if contact is None:
        return 0
    return channel_services.messages_cancel(
        channel=tipster.channel, address=contact, origin=ORIGIN
    )
