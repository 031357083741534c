"""Subscribers, their opt-outs (kept by channels' ``Consent``) and the bot's
``/langganan`` command."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.phones import InvalidPhoneNumber, normalize_phone
from channels import services as outbox
from channels.addresses import InvalidAddress
from core.links import site_url
from newsroom.models import (
    Channel,
    Kind,
    Subscriber,
)
from newsroom.selectors import deliveries_to_address, subscriptions_of_address
from regions import provinces
from regions.models import Region

if TYPE_CHECKING:
    from channels.routes import Inbound

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
    # Subscribing again ends an earlier opt-out of this address on this channel.
    outbox.consent_opt_in(
        channel=subscriber.channel,
        address=_subscriber_address(subscriber),
        source="newsroom.subscribe",
    )
    return subscriber


def _subscriber_address(subscriber: Subscriber) -> str:
    if subscriber.channel == Channel.EMAIL:
        return subscriber.email
    if subscriber.channel == Channel.TELEGRAM:
        return subscriber.telegram_chat_id
    return subscriber.phone


# The channels a legacy opt-out key (``p:``/``e:``/``t:``, signed into the links
# of emails sent before channels) stops; the data migration maps OptOut rows the
# same way (``newsroom/migrations/0004_to_channels.py``).
KEY_CHANNELS = {
    "p": ("whatsapp", "sms"),
    "e": ("email",),
    "t": ("telegram",),
}


def opt_out_token(key: str) -> str:
    return signing.dumps(key, salt=OPT_OUT_SALT, compress=True)


def opt_out_url(key: str) -> str:
    from django.urls import reverse

    return site_url(
        reverse("newsroom:unsubscribe", kwargs={"token": opt_out_token(key)})
    )


@transaction.atomic
def opt_out_record(*, key: str, source: str = "newsroom.optout") -> None:
    """Stop every message to an address (``p:+62…``, ``e:…``, ``t:…``) on the
    channels it names (channels' ``Consent``) and end its subscriptions."""
    kind, _sep, value = key.partition(":")
    if kind not in KEY_CHANNELS or not value:
        return
    for channel in KEY_CHANNELS[kind]:
        try:
            outbox.consent_opt_out(channel=channel, address=value, source=source)
        except InvalidAddress:
            continue
    match = {"p": Q(phone=value), "e": Q(email=value), "t": Q(telegram_chat_id=value)}
    Subscriber.objects.filter(match[kind], opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )


def opt_out_by_token(*, token: str) -> str:
    """Opt out the address signed into ``token`` (the links of emails sent before
    the move to channels, whose own link is ``/berhenti/<token>/``); returns
    its key."""
    try:
        key = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        raise ValidationError({"token": _("This link is not valid.")}) from None
    opt_out_record(key=str(key))
    return str(key)


# --- the bot's /langganan command (a channels route; /berhenti is channels') --------
def subscribe_command(event: Inbound) -> bool:
    """``/langganan [wilayah]`` on Telegram subscribes the chat to the news of
    the province, or of the region named ("Tenggarong", "Kukar"); the answer
    goes back through the outbox. Registered in ``newsroom.hooks``.

    Serving several provinces, there is no "the province": without a region
    the bot asks for one (naming the provinces served) instead of choosing the
    home province for the reader; a region named must lie in a province served."""
    from regions.selectors import region_list

    if event.channel != Channel.TELEGRAM:
        return False
    rest = event.text.strip()
    if not rest and provinces.is_national():
        served = [p.name for p in provinces.served_provinces().order_by("kode")]
        _answer(
            event,
            "Kabar wilayah mana yang ingin Anda ikuti? Kirim /langganan diikuti "
            f"nama provinsi, kabupaten/kota atau kecamatan, misalnya /langganan "
            f"{served[0] if served else 'Tenggarong'}. Provinsi yang dilayani: "
            f"{', '.join(served)}.",
        )
        return True
    region = Region.objects.get(kode=PROVINCE)
    if rest:
        found = region_list(q=rest[:100]).filter(provinces.served_q("kode")).first()
        if found is None:
            _answer(event, "Wilayah tidak ditemukan. Contoh: /langganan Tenggarong")
            return True
        region = found
    subscriber_create(
        channel=Channel.TELEGRAM,
        region=region,
        telegram_chat_id=event.address,
    )
    _answer(
        event,
        f"Terima kasih! Anda berlangganan kabar {region.name}. "
        "Kirim /berhenti untuk berhenti.",
    )
    return True


def _answer(event: Inbound, text: str) -> None:
    outbox.message_send(
        channel=event.channel,
        to=event.address,
        body=text,
        dedupe_key=f"newsroom:reply:{event.id}",
        origin="newsroom",
        reference=f"reply:{event.id}",
    )


# --- what is kept about an address (channels' DATA and HAPUS) ----------------------
def subscriber_data_summary(*, channel: str, address: str) -> list[str]:
    """What the newsroom keeps about this address (answer to "DATA")."""
    lines = [
        _("News subscription: %(region)s") % {"region": subscriber.region.name}
        for subscriber in subscriptions_of_address(channel=channel, address=address)
    ]
    sent = deliveries_to_address(channel=channel, address=address).count()
    if sent:
        lines.append(_("News messages sent to you: %(count)d") % {"count": sent})
    return lines


@transaction.atomic
def subscriber_erase_address(*, channel: str, address: str) -> int:
    """Erase what the newsroom keeps about this address (after "HAPUS"; channels
    calls this as newsroom's eraser): its subscription goes, and its deliveries
    stay for the reach figures without the address or the key that named the
    person. Returns the number of rows erased."""
    deleted, _counts = subscriptions_of_address(
        channel=channel, address=address
    ).delete()
    erased = deliveries_to_address(channel=channel, address=address).update(
        address="",
        recipient_key=Concat(Value("erased:"), Cast("pk", CharField())),
    )
    return deleted + erased
