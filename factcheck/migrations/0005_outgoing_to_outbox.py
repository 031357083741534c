"""Factcheck's own outbox (``OutgoingMessage``) moves into channels'
``OutboxMessage``; the tipline's opt-outs and last-message times move into
channels' ``Consent``. Nothing is lost:

- every row is copied (waiting, failed, sent and cancelled: the history too),
  with its text, attempts, error and times; waiting rows, and failed ones that
  the old retry task would have tried again (fewer than 5 attempts), are
  queued for channels' sender; cancelled rows become failed ("cancelled").
- dedupe key ``factcheck:outgoing:<pk>``, except a verdict to a known asker,
  which takes the key new verdicts use (``factcheck:verdict:<claim>:<tipster>``)
  so that the same verdict is never queued twice for that person.
- a tipster who had sent STOP (``subscribed`` off) is opted out in ``Consent``
  (source ``factcheck.stop``); each tipster's last tip opens WhatsApp's 24-hour
  window as it did before (``Consent.last_inbound_at``).

Run again, it adds nothing twice (the keys are unique). The reverse copies the
rows of origin "factcheck" back (and leaves them in the outbox).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations
from django.db.models import Max
from django.utils import timezone

MAX_ATTEMPTS = 5  # the old ``outgoing_retry_failed``'s limit
BATCH = 1000
STATUS = {
    "pending": "queued",
    "sent": "sent",
    "failed": "failed",
    "cancelled": "failed",
}


def _address(channel: str, contact: str) -> tuple[str, str]:
    from channels import addresses

    try:
        address = addresses.normalize(channel, contact)
    except addresses.InvalidAddress:
        address = contact.strip()
    return address[:254], addresses.address_hash(channel, address)


def _outbox_row(Outbox: Any, message: Any, now: Any) -> Any:
    from factcheck.personal import contact_decrypt

    token = message.contact_encrypted or (
        message.tipster.contact_encrypted if message.tipster_id else ""
    )
    contact = contact_decrypt(token) or ""
    to, digest = _address(message.channel, contact) if contact else ("", "")
    status = STATUS.get(message.status, "failed")
    error = message.error
    if message.status == "cancelled":
        error = ("cancelled: " + error) if error else "cancelled"
    if message.status == "failed" and message.attempts < MAX_ATTEMPTS:
        status = "queued"
    if status == "queued" and not to:
        status, error = "failed", "no contact (deleted, or the key changed)"
    if message.kind == "verdict" and message.tipster_id and message.claim_id:
        key = f"factcheck:verdict:{message.claim_id}:{message.tipster_id}"
    else:
        key = f"factcheck:outgoing:{message.pk}"
    template: dict[str, Any] = {}
    if message.channel == "whatsapp":
        template = {
            "template": settings.FACTCHECK_WHATSAPP_TEMPLATE,
            "template_language": settings.FACTCHECK_WHATSAPP_TEMPLATE_LANG,
            "parameters": [message.text] if message.text else [],
        }
    return Outbox(
        channel=message.channel,
        to=to,
        address_hash=digest,
        body=message.text,
        dedupe_key=key,
        origin="factcheck",
        reference=f"{message.kind}:{message.tipster_id or ''}",
        not_before=now if status == "queued" else message.created_at,
        attempts=message.attempts,
        status=status,
        error=error[:300],
        created_at=message.created_at,
        sent_at=message.sent_at,
        updated_at=message.sent_at or message.created_at,
        **template,
    )


def _consents(apps: Any, now: Any) -> None:
    from factcheck.personal import contact_decrypt

    Tipster = apps.get_model("factcheck", "Tipster")
    Consent = apps.get_model("channels", "Consent")
    tipsters = Tipster.objects.filter(channel__in=["telegram", "whatsapp"]).annotate(
        last_tip=Max("tips__received_at")
    )
    for tipster in tipsters.order_by("pk").iterator(chunk_size=BATCH):
        contact = contact_decrypt(tipster.contact_encrypted)
        if not contact:
            continue
        _to, digest = _address(tipster.channel, contact)
        consent, _created = Consent.objects.get_or_create(
            channel=tipster.channel,
            address_hash=digest,
            defaults={"address_masked": tipster.masked[:64]},
        )
        changed = []
        if tipster.last_tip and (
            consent.last_inbound_at is None or consent.last_inbound_at < tipster.last_tip
        ):
            consent.last_inbound_at = tipster.last_tip
            changed.append("last_inbound_at")
        if not tipster.subscribed and consent.status != "opted_out":
            consent.status = "opted_out"
            consent.opted_out_at = now
            consent.opted_out_source = "factcheck.stop"
            changed += ["status", "opted_out_at", "opted_out_source"]
        if changed:
            consent.updated_at = now
            consent.save(update_fields=[*changed, "updated_at"])


def forward(apps: Any, schema_editor: Any) -> None:
    Outgoing = apps.get_model("factcheck", "OutgoingMessage")
    Outbox = apps.get_model("channels", "OutboxMessage")
    now = timezone.now()
    _consents(apps, now)
    batch = []
    messages = Outgoing.objects.select_related("tipster").order_by("pk")
    for message in messages.iterator(chunk_size=BATCH):
        batch.append(_outbox_row(Outbox, message, now))
        if len(batch) >= BATCH:
            Outbox.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Outbox.objects.bulk_create(batch, ignore_conflicts=True)
    # The ones opted out just now: their waiting messages are held, as channels
    # holds any message to an opted-out address.
    Consent = apps.get_model("channels", "Consent")
    for channel in ("telegram", "whatsapp"):
        opted_out = Consent.objects.filter(channel=channel, status="opted_out")
        Outbox.objects.filter(
            channel=channel,
            origin="factcheck",
            status="queued",
            address_hash__in=opted_out.values("address_hash"),
        ).update(status="held", error="opted out", updated_at=now)


def backward(apps: Any, schema_editor: Any) -> None:
    Outgoing = apps.get_model("factcheck", "OutgoingMessage")
    Outbox = apps.get_model("channels", "OutboxMessage")
    Tipster = apps.get_model("factcheck", "Tipster")
    Claim = apps.get_model("factcheck", "Claim")
    back = {
        "queued": "pending",
        "sending": "pending",
        "held": "cancelled",
        "failed": "failed",
    }
    tipster_ids = set(Tipster.objects.values_list("pk", flat=True))
    claim_ids = set(Claim.objects.values_list("pk", flat=True))
    for row in Outbox.objects.filter(origin="factcheck").order_by("pk"):
        kind, _sep, tipster = row.reference.partition(":")
        tipster_id = int(tipster) if tipster.isdigit() else None
        key = row.dedupe_key.split(":")
        claim_id = (
            int(key[2]) if key[1] == "verdict" and key[2].isdigit() else None
        )
        Outgoing.objects.create(
            tipster_id=tipster_id if tipster_id in tipster_ids else None,
            claim_id=claim_id if claim_id in claim_ids else None,
            channel=row.channel,
            kind=kind if kind in ("reply", "verdict") else "reply",
            text=row.body,
            status=back.get(row.status, "sent"),
            attempts=row.attempts,
            error=row.error,
            created_at=row.created_at,
            sent_at=row.sent_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0004_claim_appearance"),
        ("channels", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
