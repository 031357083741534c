"""The chat bots' side of the tipline (Telegram, WhatsApp): one incoming message
→ a command (start, region, stop, delete) or a tip, and the answer queued.

The webhook views check signatures and parse the providers' payloads; this
module decides what to do, once per delivery, in one transaction.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from factcheck import messages as texts
from factcheck import services
from factcheck.models import Channel

log = logging.getLogger(__name__)

_START = {"/start", "start", "mulai", "menu", "/menu", "/help", "help", "bantuan"}
_STOP = {"/berhenti", "berhenti", "/stop", "stop", "unsubscribe", "/unsubscribe"}
_DELETE = {"/hapus", "hapus", "hapus data", "hapus nomor saya", "/delete"}
_REGION = re.compile(r"^/?(wilayah|daerah|kabupaten|kota)\s+(.{2,60})$", re.IGNORECASE)


def bot_message(
    *, channel: str, delivery_id: str, contact: str, text: str | None
) -> str:
    """Handle one message from a chat. Returns what was done (for logs/tests):
    duplicate, start, stop, delete, region, not_text, invalid, or the tip's
    decision (match, suggest, none)."""
    assert channel in (Channel.TELEGRAM, Channel.WHATSAPP)
    with translation.override("id"), transaction.atomic():
        if services._delivery_seen(channel, delivery_id):
            return "duplicate"
        if text is None:
            tipster = services.tipster_get_or_create(channel=channel, contact=contact)
            services.tipster_message(tipster=tipster, text=texts.NOT_TEXT)
            return "not_text"
        command = " ".join(text.strip().lower().split())
        if command in _START:
            tipster = services.tipster_get_or_create(channel=channel, contact=contact)
            services.tipster_message(tipster=tipster, text=texts.WELCOME)
            return "start"
        if command in _STOP:
            stopped = services.tipster_unsubscribe(channel=channel, contact=contact)
            if stopped is not None:
                services.tipster_message(tipster=stopped, text=texts.UNSUBSCRIBED)
            return "stop"
        if command in _DELETE:
            if not services.tipster_delete_by_contact(
                channel=channel, contact=contact, goodbye=texts.DELETED
            ):
                # Unknown here: nothing to delete, but the goodbye still goes out.
                services.tipster_get_or_create(channel=channel, contact=contact)
                services.tipster_delete_by_contact(
                    channel=channel, contact=contact, goodbye=texts.DELETED
                )
            return "delete"
        region_command = _REGION.match(text.strip())
        if region_command:
            region = services.tipster_set_region(
                channel=channel, contact=contact, query=region_command[2]
            )
            tipster = services.tipster_get_or_create(channel=channel, contact=contact)
            services.tipster_message(
                tipster=tipster,
                text=texts.REGION_SET.format(name=region.name)
                if region
                else texts.REGION_UNKNOWN,
            )
            return "region"
        try:
            with transaction.atomic():
                outcome = services.tip_submit(
                    channel=channel,
                    text=text,
                    contact_channel=channel,
                    contact=contact,
                    send_reply=True,
                )
        except ValidationError as exc:
            tipster = services.tipster_get_or_create(channel=channel, contact=contact)
            reason = " ".join(exc.messages)
            services.tipster_message(
                tipster=tipster,
                text=f"Maaf, pesan ini tidak dapat kami periksa. {reason}",
            )
            return "invalid"
        return outcome.decision
