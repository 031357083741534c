"""The channels' part of the generated national load: the delivery rows of
years of broadcasts (articles and fact-checks sent to the KIM members over
WhatsApp, Telegram, SMS and email), nearly all already sent."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.utils import timezone

from channels.addresses import address_hash
from channels.models import OutboxMessage
from core import synthetic
from core.loadgen import LoadContext

MODELS = ("channels.OutboxMessage",)
CHANNELS = ["whatsapp"] * 60 + ["telegram"] * 25 + ["email"] * 10 + ["sms"] * 5
STATUSES = (
    ["read"] * 45 + ["delivered"] * 35 + ["sent"] * 14 + ["failed"] * 5 + ["queued"]
)


def generate(ctx: LoadContext) -> None:
    rng = ctx.rng("channels")
    count = ctx.count("deliveries")
    recipients = min(count, ctx.count("members"))
    ctx.write(
        OutboxMessage,
        [
            "id",
            "channel",
            "to",
            "address_hash",
            "body",
            "dedupe_key",
            "origin",
            "reference",
            "not_before",
            "attempts",
            "status",
            "error",
            "created_at",
            "sent_at",
            "delivered_at",
            "read_at",
            "updated_at",
        ],
        _deliveries(ctx.next_id(OutboxMessage), count, recipients, rng),
    )


def _address(channel: str, index: int) -> str:
    if channel == "email":
        return f"anggota{index}@example.id"
    if channel == "telegram":
        return str(700_000_000 + index)
    return synthetic.phone(index)


def _deliveries(
    first: int, count: int, recipients: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    bodies = [synthetic.paragraph(rng, 2) for _ in range(2000)]
    now = timezone.now()
    for i in range(count):
        pk = first + i
        channel = rng.choice(CHANNELS)
        who = rng.randrange(recipients)
        # Hashed per row: a cache of every address would hold millions.
        to = _address(channel, who)
        digest = address_hash(channel, to)
        status = rng.choice(STATUSES)
        created = now - timedelta(seconds=int(rng.random() * 86400 * 365 * 3))
        sent = created + timedelta(seconds=rng.randint(1, 90))
        done = status in ("sent", "delivered", "read")
        origin, ref = (
            ("newsroom", f"article:{rng.randrange(1, 200_000)}")
            if rng.random() < 0.7
            else ("factcheck", f"factcheck:{rng.randrange(1, 100_000)}")
        )
        yield (
            pk,
            channel,
            to,
            digest,
            rng.choice(bodies),
            f"loadgen:{pk}",
            origin,
            ref,
            created,
            0 if status == "queued" else 1,
            status,
            "provider refused" if status == "failed" else "",
            created,
            sent if done else None,
            sent if status in ("delivered", "read") else None,
            sent + timedelta(minutes=5) if status == "read" else None,
            sent,
        )
