"""Writes of the channels app: the outbox (queue, send, status) and consent.

Apps send only through ``message_send`` / ``messages_send_bulk``: a row is queued
(idempotent on ``(channel, dedupe_key)``) and a task sends it later, one by one,
each marked sent in its own short transaction right after the provider took it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from channels import addresses, routes
from channels.models import Channel, Consent, InboundEvent, OutboxMessage, WebhookCall
from channels.senders import (
    Outgoing,
    PermanentError,
    Sender,
    TemporaryError,
    sender_for,
)
from core.links import site_url

log = logging.getLogger(__name__)
S = OutboxMessage.Status
UNSUBSCRIBE_SALT = "channels.unsubscribe"
# Messages of channels itself (consent confirmations) go out to opted-out people.
ORIGIN = "channels"
# How long "a send task is waiting" is believed without its task starting.
SEND_WAITING_SECONDS = 60


# --- queueing -----------------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    """One message of a fan-out (``messages_send_bulk``)."""

    to: str
    dedupe_key: str
    body: str = ""
    subject: str = ""
    parameters: list[str] = field(default_factory=list)
    reference: str = ""


def _check_content(
    channel: str, body: str, template: str, interactive: dict[str, Any] | None
) -> None:
    if channel not in Channel.values:
        raise ValidationError({"channel": f"unknown channel {channel!r}"})
    if not body and not template:
        raise ValidationError({"body": "a message needs a body or a template"})
    if interactive is None:
        return
    buttons = interactive.get("buttons")
    listing = interactive.get("list")
    ok = (
        isinstance(buttons, list)
        and 0 < len(buttons) <= 3
        and all(
            isinstance(b, dict)
            and isinstance(b.get("id"), str)
            and isinstance(b.get("title"), str)
            for b in buttons
        )
    ) or (
        isinstance(listing, dict)
        and isinstance(listing.get("sections"), list)
        and all(
            isinstance(s, dict)
            and isinstance(s.get("rows"), list)
            and all(
                isinstance(r, dict)
                and isinstance(r.get("id"), str)
                and isinstance(r.get("title"), str)
                for r in s["rows"]
            )
            for s in listing["sections"]
        )
    )
    if not ok:
        raise ValidationError(
            {
                "interactive": "expected {'buttons': [{id, title}…≤3]} or "
                "{'list': {'button', 'sections': [{'title', 'rows': [{id, title}]}]}}"
            }
        )


def _opted_out(channel: str, hashes: Iterable[str]) -> set[str]:
    return set(
        Consent.objects.filter(
            channel=channel,
            address_hash__in=list(hashes),
            status=Consent.Status.OPTED_OUT,
        ).values_list("address_hash", flat=True)
    )


def consent_opted_out(*, channel: str, candidates: Iterable[str]) -> set[str]:
    """Which of these addresses (as given) opted out on this channel: for an
    app that shows it (factcheck's desk marks a tip's sender who stopped)."""
    by_hash: dict[str, str] = {}
    for candidate in candidates:
        try:
            address = addresses.normalize(channel, candidate)
        except addresses.InvalidAddress:
            continue
        by_hash[addresses.address_hash(channel, address)] = candidate
    return {by_hash[digest] for digest in _opted_out(channel, by_hash)}


def send_waiting_key(channel: str) -> str:
    """The shared cache's mark of a send task enqueued and not yet started."""
    return f"channels:send-waiting:{channel}"


def _enqueue_sending(channel: str) -> None:
    """After commit, one send task for the channel unless one is already
    waiting: a waiting task claims every due row when it starts, this one
    included (it was committed before we looked). A burst of replies thus
    enqueues a task or two, not one each. The mark expires: a lost mark or a
    lost task costs at most a duplicate task or a wait for ``outbox_due_task``,
    never a message."""
    from channels.tasks import outbox_send_task

    def enqueue() -> None:
        if cache.add(send_waiting_key(channel), 1, SEND_WAITING_SECONDS):
            outbox_send_task.enqueue(channel)

    transaction.on_commit(enqueue)


def message_send(
    *,
    channel: str,
    to: str,
    dedupe_key: str,
    origin: str,
    body: str = "",
    subject: str = "",
    image_url: str = "",
    template: str = "",
    template_language: str = "",
    parameters: list[str] | None = None,
    interactive: dict[str, Any] | None = None,
    reference: str = "",
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue one message; the same ``(channel, dedupe_key)`` again returns the
    first row and queues nothing. An opted-out address gets a ``held`` row and
    nothing is sent (except channels' own consent confirmations)."""
    _check_content(channel, body, template, interactive)
    try:
        address = addresses.normalize(channel, to)
    except addresses.InvalidAddress as exc:
        raise ValidationError({"to": str(exc)}) from exc
    existing = OutboxMessage.objects.filter(
        channel=channel, dedupe_key=dedupe_key
    ).first()
    if existing is not None:
        return existing
    digest = addresses.address_hash(channel, address)
    held = origin != ORIGIN and bool(_opted_out(channel, [digest]))
    now = timezone.now()
    row = OutboxMessage(
        channel=channel,
        to=address,
        address_hash=digest,
        subject=subject[:200],
        body=body,
        image_url=image_url,
        template=template,
        template_language=template_language,
        parameters=list(parameters or []),
        interactive=interactive,
        dedupe_key=dedupe_key[:200],
        origin=origin,
        reference=str(reference)[:100],
        not_before=not_before or now,
        status=S.HELD if held else S.QUEUED,
        error="opted out" if held else "",
        created_at=now,
        updated_at=now,
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        OutboxMessage.objects.bulk_create([row], ignore_conflicts=True)
        row = OutboxMessage.objects.get(channel=channel, dedupe_key=row.dedupe_key)
        if row.status == S.QUEUED:
            _enqueue_sending(channel)
    if held:
        _notify(row)
    return row


def _chunks(items: Iterable[Draft], size: int) -> Iterator[list[Draft]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_new(rows: list[OutboxMessage]) -> None:
    """``bulk_create(rows, ignore_conflicts=True)`` without the ORM compiling
    every field of every row: a fan-out's rows share most of their values, each
    prepared for the database once per batch. (With the ORM's per-field work the
    outbox alone took three times a bare insert of the deliveries.)"""
    if not rows:
        return
    meta = OutboxMessage._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        # Names from the model, quoted; every value a parameter.
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING"
    )
    prepared: dict[tuple[str, Any], Any] = {}

    def prepare(f: Any, value: Any) -> Any:
        try:
            key = (f.attname, value)
            return prepared[key]
        except TypeError:  # unhashable (JSON lists and dicts): every row's own
            return f.get_db_prep_save(value, connection)
        except KeyError:
            prepared[key] = f.get_db_prep_save(value, connection)
            return prepared[key]

    params = [[prepare(f, f.pre_save(row, add=True)) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def messages_send_bulk(
    *,
    channel: str,
    drafts: Iterable[Draft],
    origin: str,
    template: str = "",
    template_language: str = "",
    image_url: str = "",
    interactive: dict[str, Any] | None = None,
    not_before: datetime | None = None,
    batch_size: int = 2000,
) -> int:
    """Queue a fan-out: one row per draft, in batches (``bulk_create`` with
    ignore_conflicts: a fan-out run again after a crash adds only what is
    missing). Invalid addresses are skipped (logged); opted-out ones are held.
    Returns the number of drafts handed over."""
    if channel not in Channel.values:
        raise ValidationError({"channel": f"unknown channel {channel!r}"})
    if interactive is not None:
        _check_content(channel, "-", template, interactive)
    now = timezone.now()
    when = not_before or now
    total = skipped = 0
    for chunk in _chunks(drafts, batch_size):
        rows: list[OutboxMessage] = []
        for draft in chunk:
            try:
                address = addresses.normalize(channel, draft.to)
            except addresses.InvalidAddress:
                skipped += 1
                continue
            if not draft.body and not template:
                skipped += 1
                continue
            rows.append(
                OutboxMessage(
                    channel=channel,
                    to=address,
                    address_hash=addresses.address_hash(channel, address),
                    subject=draft.subject[:200],
                    body=draft.body,
                    image_url=image_url,
                    template=template,
                    template_language=template_language,
                    parameters=list(draft.parameters),
                    interactive=interactive,
                    dedupe_key=draft.dedupe_key[:200],
                    origin=origin,
                    reference=str(draft.reference)[:100],
                    not_before=when,
                    created_at=now,
                    updated_at=now,
                )
            )
        opted_out = _opted_out(channel, {r.address_hash for r in rows})
        held = []
        for row in rows:
            if row.address_hash in opted_out:
                row.status, row.error = S.HELD, "opted out"
                held.append(row.dedupe_key)
        with transaction.atomic():
            _insert_new(rows)
        # Held at once is a status change too: the apps hear of it (rare rows;
        # the ids are unknown after an INSERT … ON CONFLICT DO NOTHING).
        for row in OutboxMessage.objects.filter(
            channel=channel, dedupe_key__in=held, status=S.HELD
        ):
            _notify(row)
        total += len(rows)
    if skipped:
        log.warning(
            "channels: %s drafts of %s skipped (bad address/empty)", skipped, origin
        )
    if total:
        _enqueue_sending(channel)
    return total


# --- sending ------------------------------------------------------------------------
def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _claim(channel: str, now: datetime, size: int) -> list[int]:
    """Ids of due rows, leased to this worker (others skip them meanwhile)."""
    due = OutboxMessage.objects.filter(
        channel=channel, status=S.QUEUED, not_before__lte=now
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.order_by("not_before", "pk").values_list("pk", flat=True)[:size])
        if ids:
            lease = timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS)
            OutboxMessage.objects.filter(pk__in=ids).update(claimed_until=now + lease)
    return ids


def _window_open(row: OutboxMessage, now: datetime) -> bool:
    if row.channel != Channel.WHATSAPP:
        return True
    since = now - timedelta(hours=settings.CHANNELS_WHATSAPP_WINDOW_HOURS)
    return Consent.objects.filter(
        channel=row.channel, address_hash=row.address_hash, last_inbound_at__gt=since
    ).exists()


def unsubscribe_url(channel: str, address_hash: str, address: str = "") -> str:
    """The email's link: stops by the hash; with ``address`` (sealed, never in
    clear) the page also offers to erase what is kept about it."""
    data = {"c": channel, "h": address_hash}
    if address:
        data["a"] = addresses.seal(address)
    token = signing.dumps(data, salt=UNSUBSCRIBE_SALT)
    return site_url(reverse("channels:unsubscribe", args=[token]))


def outgoing(row: OutboxMessage, *, window_open: bool = True) -> Outgoing:
    return Outgoing(
        to=row.to,
        body=row.body,
        subject=row.subject,
        image_url=row.image_url,
        template=row.template,
        template_language=row.template_language,
        parameters=[str(p) for p in row.parameters or []],
        interactive=row.interactive,
        window_open=window_open,
        unsubscribe_url=unsubscribe_url(row.channel, row.address_hash, row.to)
        if row.channel == Channel.EMAIL
        else "",
        reference=str(row.pk),
    )


def _notify(row: OutboxMessage) -> None:
    routes.status_changed(
        routes.StatusChange(
            message_id=row.pk,
            channel=row.channel,
            origin=row.origin,
            reference=row.reference,
            status=row.status,
            error=row.error,
        )
    )


def _finish(row: OutboxMessage, **fields: Any) -> None:
    """Write one row's outcome at once, in its own short transaction."""
    fields["updated_at"] = timezone.now()
    fields["claimed_until"] = None
    if fields.get("status") in (S.SENT, S.FAILED) and _erased_reply(row):
        # The confirmation of "HAPUS" was the last message kept in clear.
        fields.update(to="", body="", subject="", parameters=[])
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=row.pk).update(**fields)
    for name, value in fields.items():
        setattr(row, name, value)
    _notify(row)


def _erased_reply(row: OutboxMessage) -> bool:
    """Whether ``row`` is channels' own reply to an address that asked to be
    erased (and has not opted in again since)."""
    return (
        row.origin == ORIGIN
        and Consent.objects.filter(
            channel=row.channel,
            address_hash=row.address_hash,
            erased_at__isnull=False,
            status=Consent.Status.OPTED_OUT,
        ).exists()
    )


def _send_one(row: OutboxMessage, sender: Sender, now: datetime) -> str:
    """Send one claimed row; returns "sent", "held", "retry", "failed", "skip"
    or "throttled" (the provider asked to wait: stop this batch)."""
    # Marked "sending" before the provider is asked: a worker killed between
    # the provider's answer and the next write leaves the row here, and it is
    # never sent again (at most once; see ``outbox_interrupted_fail``).
    with transaction.atomic():
        taken = OutboxMessage.objects.filter(pk=row.pk, status=S.QUEUED).update(
            status=S.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    if not taken:
        return "skip"
    row.attempts += 1
    if row.origin != ORIGIN and _opted_out(row.channel, [row.address_hash]):
        _finish(row, status=S.HELD, error="opted out")
        return "held"
    message = outgoing(row, window_open=_window_open(row, now))
    try:
        provider_id = sender.send(message)
    except PermanentError as exc:
        _finish(row, status=S.FAILED, error=str(exc)[:300])
        return "failed"
    except TemporaryError as exc:
        if row.attempts >= settings.CHANNELS_MAX_ATTEMPTS:
            _finish(row, status=S.FAILED, error=str(exc)[:300])
            return "failed"
        delay = retry_delay(row.attempts)
        if exc.retry_after is not None:
            delay = max(delay, timedelta(seconds=exc.retry_after))
        _finish(
            row,
            status=S.QUEUED,
            error=str(exc)[:300],
            not_before=sender.retry_at(message, timezone.now() + delay),
        )
        return "throttled" if exc.retry_after is not None else "retry"
    except Exception as exc:
        # A fault of ours with this one row (say, a malformed stored payload)
        # must not stop the queue behind it.
        log.exception("channels: sending outbox message %s failed", row.pk)
        _finish(row, status=S.FAILED, error=f"internal error: {exc!r}"[:300])
        return "failed"
    _finish(
        row,
        status=S.SENT,
        provider_message_id=provider_id[:200],
        sent_at=timezone.now(),
        error="",
    )
    return "sent"


def outbox_send_due(
    *,
    channel: str,
    sender: Sender | None = None,
    now: datetime | None = None,
    max_batches: int | None = None,
) -> dict[str, int]:
    """Send the due messages of one channel, one by one. Returns counts."""
    sender = sender or sender_for(channel)
    totals = {"sent": 0, "retry": 0, "failed": 0, "held": 0}
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            moment = now or timezone.now()
            ids = _claim(channel, moment, settings.CHANNELS_SEND_BATCH)
            if not ids:
                break
            batches += 1
            rows = list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk"))
            pending = {r.pk for r in rows}
            try:
                for row in rows:
                    outcome = _send_one(row, sender, moment)
                    pending.discard(row.pk)
                    if outcome == "throttled":
                        totals["retry"] += 1
                        return totals
                    if outcome in totals:
                        totals[outcome] += 1
            finally:
                # Leaving early (throttled, an exception, SIGTERM's SystemExit):
                # the rows not yet tried go back for the next run at once.
                if pending:
                    OutboxMessage.objects.filter(
                        pk__in=pending, status=S.QUEUED
                    ).update(claimed_until=None)
    finally:
        sender.close()
    return totals


def outbox_interrupted_fail(*, now: datetime | None = None) -> int:
    """Rows left "sending" by a worker that died mid-send, past their lease: the
    provider may have them already, so they fail rather than go out twice."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS)
    rows = list(OutboxMessage.objects.filter(status=S.SENDING, updated_at__lt=stale))
    for row in rows:
        _finish(row, status=S.FAILED, error="interrupted while sending; not resent")
    return len(rows)


def channels_with_due_messages(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(status=S.QUEUED, not_before__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    return sorted(set(due.values_list("channel", flat=True).distinct()))


_ORDER = {S.QUEUED: 0, S.SENDING: 0, S.SENT: 1, S.DELIVERED: 2, S.READ: 3}


def message_status_update(
    *, channel: str, provider_message_id: str, status: str, error: str = ""
) -> int:
    """A provider's report about one of our messages. Status only moves forward
    (a late "delivered" never undoes "read"); "failed" replaces only queued,
    sending or sent. Returns the number of rows changed."""
    if not provider_message_id or status not in (S.SENT, S.DELIVERED, S.READ, S.FAILED):
        return 0
    now = timezone.now()
    rows = OutboxMessage.objects.filter(
        channel=channel, provider_message_id=provider_message_id
    )
    stamp: dict[str, Any] = {"status": status, "updated_at": now}
    if status == S.FAILED:
        allowed = [S.QUEUED, S.SENDING, S.SENT]
        stamp["error"] = error[:300]
    else:
        allowed = [s for s, rank in _ORDER.items() if rank < _ORDER[S(status)]]
        if status in (S.DELIVERED, S.READ):
            stamp["delivered_at"] = now
        if status == S.READ:
            stamp["read_at"] = now
    with transaction.atomic():
        changed_ids = list(rows.filter(status__in=allowed).values_list("pk", flat=True))
        if changed_ids:
            OutboxMessage.objects.filter(pk__in=changed_ids).update(**stamp)
            if status == S.READ:
                OutboxMessage.objects.filter(
                    pk__in=changed_ids, delivered_at__isnull=True
                ).update(delivered_at=now)
    for row in OutboxMessage.objects.filter(pk__in=changed_ids):
        _notify(row)
    return len(changed_ids)


def messages_cancel(*, channel: str, address: str, origin: str) -> int:
    """An app withdraws what it still has queued for this address (say, the
    person's record was deleted on their request): the rows fail as
    "cancelled" and lose their content. Returns the number of rows."""
    try:
        address = addresses.normalize(channel, address)
    except addresses.InvalidAddress:
        return 0
    digest = addresses.address_hash(channel, address)
    return OutboxMessage.objects.filter(
        channel=channel, address_hash=digest, origin=origin, status=S.QUEUED
    ).update(
        status=S.FAILED,
        error="cancelled",
        body="",
        parameters=[],
        updated_at=timezone.now(),
    )


# --- consent ------------------------------------------------------------------------
def _consent(channel: str, address: str) -> Consent:
    digest = addresses.address_hash(channel, address)
    consent, _created = Consent.objects.get_or_create(
        channel=channel,
        address_hash=digest,
        defaults={"address_masked": addresses.mask(channel, address)},
    )
    return consent


def consent_opt_in(*, channel: str, address: str, source: str) -> Consent:
    """Record that the person agreed (``source``: "newsroom.subscribe",
    "command" …), with the time: the proof UU PDP asks for."""
    address = addresses.normalize(channel, address)
    now = timezone.now()
    with transaction.atomic():
        consent = _consent(channel, address)
        consent.status = Consent.Status.OPTED_IN
        consent.opted_in_at, consent.opted_in_source = now, source[:60]
        consent.updated_at = now
        consent.save()
    return consent


def consent_opt_out(*, channel: str, address: str, source: str) -> Consent:
    """Stop every app's messages to this address on this channel: the row is
    marked and every queued message of any app is held."""
    address = addresses.normalize(channel, address)
    with transaction.atomic():
        consent = _consent(channel, address)
        _opt_out(consent, source)
    return consent


def _opt_out(consent: Consent, source: str) -> None:
    now = timezone.now()
    consent.status = Consent.Status.OPTED_OUT
    consent.opted_out_at, consent.opted_out_source = now, source[:60]
    consent.updated_at = now
    consent.save()
    OutboxMessage.objects.filter(
        channel=consent.channel,
        address_hash=consent.address_hash,
        status=S.QUEUED,
    ).exclude(origin=ORIGIN).update(status=S.HELD, error="opted out", updated_at=now)


def consent_opt_out_by_hash(*, channel: str, address_hash: str, source: str) -> Consent:
    """The email unsubscribe link knows only the hash."""
    with transaction.atomic():
        consent, _created = Consent.objects.get_or_create(
            channel=channel, address_hash=address_hash
        )
        _opt_out(consent, source)
    return consent


def inbound_seen(*, channel: str, address: str, at: datetime | None = None) -> None:
    """The person wrote to us (opens WhatsApp's 24-hour window)."""
    at = at or timezone.now()
    consent = _consent(channel, address)
    if consent.last_inbound_at is None or consent.last_inbound_at < at:
        Consent.objects.filter(pk=consent.pk).update(last_inbound_at=at)


def data_summary(*, channel: str, address: str) -> list[str]:
    """What Simpul keeps about this address: channels' own rows, then each
    registered app's lines (answer to "DATA")."""
    address = addresses.normalize(channel, address)
    digest = addresses.address_hash(channel, address)
    consent = Consent.objects.filter(channel=channel, address_hash=digest).first()
    lines = []
    if consent is not None:
        lines.append(
            _("Consent: %(status)s") % {"status": consent.get_status_display()}
        )
    sent = OutboxMessage.objects.filter(channel=channel, address_hash=digest).count()
    received = InboundEvent.objects.filter(channel=channel, address_hash=digest).count()
    lines.append(
        _("Our messages to you: %(sent)d; your messages to us: %(received)d")
        % {"sent": sent, "received": received}
    )
    for provider in routes.data_providers():
        try:
            lines.extend(provider.summary(channel=channel, address=address))
        except Exception:
            log.exception("channels: data provider %s failed", provider.name)
    return lines


def address_erase(*, channel: str, address: str) -> dict[str, int]:
    """Erase what is kept about this address (after "HAPUS"): the content of its
    messages both ways, the raw webhook calls that carried them, and what each
    registered app keeps. The consent row stays, hashed, so the opt-out holds."""
    address = addresses.normalize(channel, address)
    digest = addresses.address_hash(channel, address)
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        consent = _consent(channel, address)
        _opt_out(consent, "erase")
        Consent.objects.filter(pk=consent.pk).update(erased_at=now)
        events = InboundEvent.objects.filter(channel=channel, address_hash=digest)
        call_ids = set(events.exclude(call=None).values_list("call_id", flat=True))
        counts["inbound"] = events.update(address="", text="", data={})
        # Emptied rather than deleted: the call now being processed may carry
        # other people's events, still to be stored against it.
        counts["webhook_calls"] = WebhookCall.objects.filter(pk__in=call_ids).update(
            body=""
        )
        # An app's dedupe key may name the person (newsroom's holds the phone
        # number of each delivery): it becomes the row's own id.
        counts["outbox"] = (
            OutboxMessage.objects.filter(channel=channel, address_hash=digest)
            .exclude(origin=ORIGIN, status=S.QUEUED)
            .update(
                to="",
                body="",
                subject="",
                parameters=[],
                dedupe_key=Concat(Value("erased:"), Cast("pk", CharField())),
                updated_at=now,
            )
        )
    for provider in routes.data_providers():
        if provider.erase is None:
            continue
        try:
            counts[provider.name] = provider.erase(channel=channel, address=address)
        except Exception:
            log.exception("channels: eraser %s failed", provider.name)
    return counts


# --- webhook calls ------------------------------------------------------------------
def webhook_call_store(*, channel: str, key: str, body: str) -> WebhookCall | None:
    """Keep a provider's call as received and queue its processing; None when
    the same call (``key``) came before."""
    from channels.tasks import inbound_process_task

    try:
        with transaction.atomic():
            call = WebhookCall.objects.create(channel=channel, key=key[:100], body=body)
    except IntegrityError:
        return None
    pk = call.pk
    transaction.on_commit(lambda: inbound_process_task.enqueue(pk))
    return call


def webhook_calls_unprocessed(*, older_than: datetime) -> list[int]:
    return list(
        WebhookCall.objects.filter(
            processed_at__isnull=True, received_at__lt=older_than
        )
        # A batch holds it (``inbound.calls_claim``): not lost, only busy.
        .exclude(claimed_until__gte=timezone.now())
        .values_list("pk", flat=True)[:500]
    )


def webhook_calls_prune(*, before: datetime) -> int:
    """Raw calls hold personal data: kept ``CHANNELS_RAW_RETENTION_DAYS``; the
    events keep their key (replays stay dropped) but lose text and address."""
    deleted = WebhookCall.objects.filter(
        received_at__lt=before, processed_at__isnull=False
    ).delete()[0]
    InboundEvent.objects.filter(created_at__lt=before).exclude(address="").update(
        address="", text="", data={}
    )
    return deleted
