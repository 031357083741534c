"""Subscribers, opt-outs and the Telegram bot's commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phones import InvalidPhoneNumber, normalize_phone
from newsroom.models import (
    Channel,
    Kind,
    OptOut,
    Subscriber,
    recipient_key,
)
from regions.models import Region

if TYPE_CHECKING:
    pass

PROVINCE = settings.HOME_REGION
OPT_OUT_SALT = "newsroom.optout"


# --- subscribers and opt-outs ------------------------------------------------------
def _phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber:
        raise ValidationError(
            {"phone": _("Enter a valid phone number, e.g. 0812 3456 7890.")}
        ) from None


@transaction.atomic
def subscriber_create(
    *,
    channel: str,
    region: Region,
    name: str = "",
    email: str = "",
    phone: str = "",
    telegram_chat_id: str = "",
    topics: Iterable[str] = (),
) -> Subscriber:
    """Subscribe (or subscribe again, with new choices) an address to a region's
    news on one channel; clears an earlier opt-out of that address."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    email = (email or "").strip().lower()
    phone = _phone(phone) if phone else ""
    if channel == Channel.EMAIL and not email:
        raise ValidationError({"email": _("Enter your email address.")})
    if channel in (Channel.WHATSAPP, Channel.SMS) and not phone:
        raise ValidationError({"phone": _("Enter your phone number.")})
    topic_list = [t for t in topics if t in Kind.values]
    address = {
        Channel.EMAIL: {"email": email},
        Channel.WHATSAPP: {"phone": phone},
        Channel.SMS: {"phone": phone},
        Channel.TELEGRAM: {"telegram_chat_id": telegram_chat_id},
    }[Channel(channel)]
    defaults = {
        "email": "",
        "phone": "",
        "telegram_chat_id": "",
        **address,
    }
    subscriber = Subscriber.objects.filter(channel=channel, **defaults).first()
    if subscriber is None:
        subscriber = Subscriber(channel=channel, **defaults)
    subscriber.name = " ".join(name.split())[:100]
    subscriber.region = region
    subscriber.topics = f",{','.join(topic_list)}," if topic_list else ""
    subscriber.opted_out_at = None
    subscriber.full_clean()
    subscriber.save()
    OptOut.objects.filter(recipient_key=_subscriber_key(subscriber)).delete()
    return subscriber


def _subscriber_key(subscriber: Subscriber) -> str:
    return recipient_key(
        phone=subscriber.phone,
        email=subscriber.email,
        telegram=subscriber.telegram_chat_id,
    )


def opt_out_token(key: str) -> str:
    return signing.dumps(key, salt=OPT_OUT_SALT, compress=True)


def opt_out_url(key: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse(
        "newsroom:unsubscribe", kwargs={"token": opt_out_token(key)}
    )


@transaction.atomic
def opt_out_record(*, key: str) -> None:
    """Stop every message to an address (and end its subscriptions)."""
    if not key:
        return
    OptOut.objects.get_or_create(recipient_key=key)
    kind, _sep, value = key.partition(":")
    match = {"p": Q(phone=value), "e": Q(email=value), "t": Q(telegram_chat_id=value)}
    if kind in match:
        Subscriber.objects.filter(match[kind], opted_out_at__isnull=True).update(
            opted_out_at=timezone.now()
        )


def opt_out_by_token(*, token: str) -> str:
    """Opt out the address signed into ``token``; returns its key."""
    try:
        key = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        raise ValidationError({"token": _("This link is not valid.")}) from None
    opt_out_record(key=str(key))
    return str(key)


# --- Telegram bot -------------------------------------------------------------------
def telegram_update_handle(*, update: dict[str, Any]) -> str:
    """Handle a message to the bot; returns the answer to send back.

    ``/start`` or ``/langganan [wilayah]`` subscribes the chat (the province, or
    the region named: "Tenggarong", "Kukar"); ``/berhenti`` opts out."""
    from regions.selectors import region_list

    message = update.get("message") or {}
    chat = message.get("chat") or {}
    chat_id = str(chat.get("id", ""))[:32]
    text = str(message.get("text", "")).strip()
    if not chat_id or not text.startswith("/"):
        return ""
    command, _sep, rest = text.partition(" ")
    command = command.split("@", 1)[0].lower()
    if command in ("/berhenti", "/stop"):
        opt_out_record(key=recipient_key(telegram=chat_id))
        return (
            "Anda berhenti berlangganan Kabar Simpul. Kirim /langganan untuk kembali."
        )
    if command in ("/start", "/langganan"):
        region = Region.objects.get(kode=PROVINCE)
        if rest.strip():
            found = region_list(q=rest.strip()[:100]).first()
            if found is None:
                return "Wilayah tidak ditemukan. Contoh: /langganan Tenggarong"
            region = found
        name = " ".join(
            str(p) for p in (chat.get("first_name"), chat.get("last_name")) if p
        )
        subscriber_create(
            channel=Channel.TELEGRAM,
            region=region,
            name=name,
            telegram_chat_id=chat_id,
        )
        return (
            f"Terima kasih! Anda berlangganan kabar {region.name}. "
            "Kirim /berhenti untuk berhenti."
        )
    return "Perintah: /langganan [wilayah], /berhenti"
