"""The chat bots' side of the tipline (Telegram, WhatsApp), as routes of the
``channels`` app (registered in ``factcheck.hooks``): a message is a tip, a
command (start, region) or a button asking for a fact-check's verdict.

Channels checks the webhook, drops replays (``InboundEvent`` is unique per
provider message) and handles BERHENTI/HAPUS/DATA before anything gets here;
factcheck's part of HAPUS and DATA is ``data_summary``/``data_erase`` below.
Each answer's dedupe key is the inbound event's, so a handler run again after a
failure sends nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django_ratelimit.core import is_ratelimited

from channels.inbound import START as OPT_IN_WORDS
from channels.media import MediaError, media_download
from channels.routes import Inbound
from factcheck import image_matching, imaging, matching_service, services
from factcheck import messages as texts
from factcheck.models import Channel, FactCheck
from factcheck.services import confirmations

log = logging.getLogger(__name__)

BOT_CHANNELS = (Channel.TELEGRAM, Channel.WHATSAPP)
# Channels' MULAI/START also reaches here (after it noted the opt-in): our welcome.
START = {"start", "mulai", "menu", "help", "bantuan"}
REGION_COMMANDS = ("wilayah", "daerah", "kabupaten", "kota")
_REGION = re.compile(r"^(wilayah|daerah|kabupaten|kota)\s+(.{2,60})$", re.IGNORECASE)
BUTTON_PREFIX = "fc:"


def _ours(event: Inbound) -> bool:
    return event.channel in BOT_CHANNELS


def _limited(event: Inbound) -> bool:
    """``TIPLINE_RATE`` per person (django-ratelimit's counter; no request is
    involved here, so its key is the address's digest)."""
    digest = hashlib.sha256(f"{event.channel}:{event.address}".encode()).hexdigest()
    return is_ratelimited(
        HttpRequest(),
        group=f"factcheck.tipline.{event.channel}",
        key=lambda group, request: digest[:32],
        rate=settings.TIPLINE_RATE,
        increment=True,
    )


def _answer(event: Inbound, text: str) -> None:
    tipster = services.tipster_get_or_create(
        channel=event.channel, contact=event.address
    )
    services.tipster_message(tipster=tipster, text=text, key=f"event:{event.id}")


def _tip(event: Inbound, text: str, image: bytes | None = None) -> bool:
    if image is None and _limited(event):
        log.info("tipline %s: rate limited", event.channel)
        return True
    try:
        with transaction.atomic():
            services.tip_submit(
                channel=event.channel,
                text=text,
                contact_channel=event.channel,
                contact=event.address,
                send_reply=True,
                image=image,
            )
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        if image is not None and "image" in getattr(exc, "error_dict", {}):
            _answer(event, texts.IMAGE_REFUSED.format(reason=reason))
        else:
            _answer(event, f"Maaf, pesan ini tidak dapat kami periksa. {reason}")
    return True


def _region(event: Inbound, query: str) -> bool:
    region = services.tipster_set_region(
        channel=event.channel, contact=event.address, query=query
    )
    _answer(
        event,
        texts.REGION_SET.format(name=region.name) if region else texts.REGION_UNKNOWN,
    )
    return True


def _text_kind(text: str) -> str:
    """What a text message is: "start", "opt-in", "region" or "tip"."""
    words = " ".join(text.strip().lower().split())
    if words in START:
        return "start"
    if words.split(" ", 1)[0] in OPT_IN_WORDS:
        # "LANGGANAN …" is another app's (or channels' own) opt-in, not a tip.
        return "opt-in"
    return "region" if _REGION.match(text.strip()) else "tip"


def handle_text(event: Inbound) -> bool:
    """A text message: the welcome, a region, or a tip to check."""
    if not _ours(event):
        return False
    with translation.override("id"):
        kind = _text_kind(event.text)
        if kind == "start":
            _answer(event, texts.WELCOME)
            return True
        if kind == "opt-in":
            return False
        region = _REGION.match(event.text.strip())
        if region:
            return _region(event, region[2])
        return _tip(event, event.text)


def prepare_tips(events: list[Inbound]) -> None:
    """Channels' batch preparer: the tips among a batch of messages are
    embedded in one call before each is handled (``tip_submit`` matches the
    same cleaned text, whose embedding is then remembered)."""
    tips = []
    for event in events:
        if _ours(event) and event.kind == "text" and _text_kind(event.text) == "tip":
            try:
                tips.append(services.tip_text_clean(event.text))
            except ValidationError:
                continue  # refused by tip_submit too: nothing to match
    if tips:
        matching_service.prepare(tips)


def handle_image(event: Inbound) -> bool:
    """A picture (with its caption, if any): fetched from the provider and
    matched by the picture and the text in it. A picture that cannot be fetched
    or is refused gets a polite answer; with a caption, the caption is still
    checked."""
    if not _ours(event):
        return False
    with translation.override("id"):
        if _limited(event):
            log.info("tipline %s: rate limited", event.channel)
            return True
        try:
            image = media_download(
                channel=event.channel, data=event.data, limit=imaging.MAX_BYTES
            )
        except MediaError as exc:
            log.info("tipline %s: picture not fetched (%s)", event.channel, exc)
            if exc.code == "too_large":
                reason = image_matching.refusal("too_large")
                _answer(event, texts.IMAGE_REFUSED.format(reason=reason))
                return True
            if event.text.strip():
                return _tip(event, event.text)
            _answer(event, texts.IMAGE_UNREADABLE)
            return True
        return _tip(event, event.text, image)


def handle_start(event: Inbound) -> bool:
    """``/start`` (Telegram's first message), ``/mulai``, ``/menu``, ``/bantuan``."""
    if not _ours(event):
        return False
    with translation.override("id"):
        _answer(event, texts.WELCOME)
    return True


def handle_region(event: Inbound) -> bool:
    """``/wilayah Kutai Kartanegara``."""
    if not _ours(event):
        return False
    with translation.override("id"):
        if len(event.text.strip()) < 2:
            _answer(event, texts.REGION_UNKNOWN)
            return True
        return _region(event, event.text.strip()[:60])


def handle_button(event: Inbound) -> bool:
    """``fc:fakta:<id>``: the button under a suggestion ("Lihat hasilnya")
    answers with that published fact-check's verdict."""
    if not _ours(event):
        return False
    parts = event.button_id.split(":")
    if len(parts) != 3 or parts[1] != "fakta" or not parts[2].isdigit():
        return False
    factcheck = FactCheck.objects.filter(
        pk=int(parts[2]), status=FactCheck.Status.PUBLISHED
    ).first()
    with translation.override("id"):
        _answer(event, texts.match_reply(factcheck) if factcheck else texts.GONE)
    return True


def handle_confirm(event: Inbound) -> bool:
    """``fc:k:<token>:<n>``: the sender's answer to "is it one of these?"
    (candidate n, or 0 for "Tidak ada"). A stale or repeated press changes
    nothing and gets a polite line; each press is answered once (the inbound
    event's key)."""
    if not _ours(event):
        return False
    parsed = confirmations.button_parse(event.button_id)
    if parsed is None:
        return False
    token, choice = parsed
    with translation.override("id"):
        answer = services.confirmation_answer(
            token=token, choice=choice, channel=event.channel, contact=event.address
        )
        _answer(event, answer.reply)
    return True


def data_summary(channel: str, address: str) -> list[str]:
    return services.tipster_data_summary(channel=channel, contact=address)


def data_erase(channel: str, address: str) -> int:
    return services.tipster_delete_by_contact(channel=channel, contact=address)


def register() -> None:
    """Called by ``factcheck.hooks.register``."""
    from channels.routes import (
        register_batch_preparer,
        register_data_provider,
        register_route,
    )

    register_batch_preparer(prepare_tips)

    register_route(kind="text", handler=handle_text, order=50, name="factcheck.tip")
    register_route(kind="image", handler=handle_image, order=50, name="factcheck.tip")
    for command in sorted(START):
        register_route(
            kind="command",
            match=command,
            handler=handle_start,
            order=50,
            name="factcheck.start",
        )
    for command in REGION_COMMANDS:
        register_route(
            kind="command",
            match=command,
            handler=handle_region,
            order=50,
            name="factcheck.region",
        )
    register_route(
        kind="button",
        match=confirmations.BUTTON_PREFIX,
        handler=handle_confirm,
        order=40,
        name="factcheck.confirm",
    )
    register_route(
        kind="button",
        match=BUTTON_PREFIX,
        handler=handle_button,
        order=50,
        name="factcheck.button",
    )
    register_data_provider("factcheck", summary=data_summary, erase=data_erase)
