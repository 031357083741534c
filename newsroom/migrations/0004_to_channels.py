"""Move what the newsroom stored for sending onto channels, losing nothing:

- every ``OptOut`` (``p:+62…``, ``e:…``, ``t:…``: the address in clear) becomes an
  opted-out ``channels.Consent`` row (hashed like channels hashes: ``p:`` on
  WhatsApp and SMS, ``e:`` on email, ``t:`` on Telegram; source
  ``newsroom.optout``), and also on every channel a delivery of that key ever
  went to (a KIM member keyed by phone but reached by email stays stopped there);
- every delivery still in flight (queued, sent or delivered: a retry, a message
  held for the end of quiet hours, a status report still to come) gets its
  ``OutboxMessage`` (dedupe key ``newsroom:<dissemination>:<recipient key>``,
  same attempts, provider id and times; queued ones stay due at their
  ``next_attempt_at``, held when the person opted out) and is linked to it.

Delivery rows keep their history, status and provider ids. Idempotent: run on a
database already migrated, it adds nothing.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from channels.addresses import InvalidAddress, address_hash, mask, normalize

KEY_CHANNELS = {"p": ("whatsapp", "sms"), "e": ("email",), "t": ("telegram",)}
IN_FLIGHT = ("queued", "sent", "delivered")
BATCH = 2000


def _sms_text(title, summary, link, limit=160):
    import unicodedata

    text = " ".join(f"{title}: {summary}".split())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    room = limit - len(link) - 1
    if len(text) > room:
        text = text[: room - 3].rstrip() + "..."
    return f"{text} {link}"


def _content(channel, title, summary, link):
    """(subject, body, parameters): the newsroom's formats at the time of the move
    (``newsroom.channels.content_for``), frozen here."""
    if channel == "sms":
        return "", _sms_text(title, summary, link), []
    if channel == "email":
        return title[:200], f"{summary}\n\nBaca selengkapnya: {link}\n", []
    if channel == "whatsapp":
        body = f"*{title}*\n\n{summary}\n\n{link}"
        return "", body, [title[:200], summary[:600], link]
    return "", f"{title}\n\n{summary}\n\n{link}\n\nBerhenti: /berhenti", []


def _opt_outs(apps):
    OptOut = apps.get_model("newsroom", "OptOut")
    Delivery = apps.get_model("newsroom", "Delivery")
    Consent = apps.get_model("channels", "Consent")
    opted_out = set()
    for optout in OptOut.objects.order_by("pk").iterator():
        kind, _sep, value = optout.recipient_key.partition(":")
        pairs = {(channel, value) for channel in KEY_CHANNELS.get(kind, ())}
        pairs |= set(
            Delivery.objects.filter(recipient_key=optout.recipient_key)
            .values_list("channel", "address")
            .distinct()
        )
        for channel, raw in sorted(pairs):
            try:
                address = normalize(channel, raw)
            except InvalidAddress:
                continue
            digest = address_hash(channel, address)
            consent, _created = Consent.objects.get_or_create(
                channel=channel,
                address_hash=digest,
                defaults={"address_masked": mask(channel, address)},
            )
            if consent.status != "opted_out":
                consent.status = "opted_out"
                consent.opted_out_at = optout.created_at
                consent.opted_out_source = "newsroom.optout"
                consent.updated_at = timezone.now()
                consent.save()
            opted_out.add((channel, digest))
    return opted_out


def _links(apps, dissemination):
    ShortLink = apps.get_model("newsroom", "ShortLink")
    return {
        link.channel: f"{settings.SITE_URL}/s/{link.code}"
        for link in ShortLink.objects.filter(dissemination_id=dissemination.pk)
    }


def _outbox(apps, opted_out):
    Delivery = apps.get_model("newsroom", "Delivery")
    Dissemination = apps.get_model("newsroom", "Dissemination")
    OutboxMessage = apps.get_model("channels", "OutboxMessage")
    now = timezone.now()
    template = {
        "whatsapp": (
            settings.NEWSROOM_WHATSAPP_TEMPLATE,
            settings.NEWSROOM_WHATSAPP_TEMPLATE_LANG,
        )
    }
    items = {}
    pending = Delivery.objects.filter(
        status__in=IN_FLIGHT, outbox_message__isnull=True
    ).order_by("pk")
    while True:
        rows = list(pending[:BATCH])
        if not rows:
            break
        messages = []
        for row in rows:
            if row.dissemination_id not in items:
                item = Dissemination.objects.get(pk=row.dissemination_id)
                items[row.dissemination_id] = (item, _links(apps, item))
            item, links = items[row.dissemination_id]
            link = links.get(row.channel, item.item_url)
            subject, body, parameters = _content(
                row.channel, item.title, item.summary, link
            )
            try:
                address = normalize(row.channel, row.address)
            except InvalidAddress:
                address = row.address
            digest = address_hash(row.channel, address)
            status, error = row.status, row.error
            if status == "queued" and (row.channel, digest) in opted_out:
                status, error = "held", "opted out"
            name, language = template.get(row.channel, ("", ""))
            messages.append(
                OutboxMessage(
                    channel=row.channel,
                    to=address,
                    address_hash=digest,
                    subject=subject,
                    body=body,
                    template=name,
                    template_language=language,
                    parameters=parameters,
                    dedupe_key=f"newsroom:{row.dissemination_id}:{row.recipient_key}"[
                        :200
                    ],
                    origin="newsroom",
                    reference=row.item_ref,
                    not_before=row.next_attempt_at,
                    attempts=row.attempts,
                    status=status,
                    provider_message_id=row.provider_id,
                    error=error,
                    created_at=now,
                    sent_at=row.sent_at,
                    delivered_at=row.delivered_at,
                    read_at=row.read_at,
                    updated_at=now,
                )
            )
        OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
        ids = dict(
            OutboxMessage.objects.filter(
                dedupe_key__in=[m.dedupe_key for m in messages]
            ).values_list("dedupe_key", "pk")
        )
        for row, message in zip(rows, messages, strict=True):
            row.outbox_message_id = ids[message.dedupe_key]
            if message.status == "held":
                row.status, row.error = "held", "opted out"
        Delivery.objects.bulk_update(rows, ["outbox_message", "status", "error"])


def forwards(apps, schema_editor):
    opted_out = _opt_outs(apps)
    _outbox(apps, opted_out)


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0001_initial"),
        ("newsroom", "0003_delivery_outbox_message"),
    ]

    operations = [
        # Backwards: the rows stay where they are (nothing is lost by keeping
        # them); 0005's OptOut table comes back empty.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
