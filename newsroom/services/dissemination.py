"""Dissemination: an item sent to an audience over channels (fan-out,
sending, provider callbacks)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.permissions import can, in_scope, require
from accounts.services import audit_record
from network import selectors as network
from newsroom import channels, content
from newsroom.models import (
    Article,
    Channel,
    Delivery,
    Dissemination,
    OptOut,
    ShortLink,
    Subscriber,
    recipient_key,
)
from newsroom.services.subscribers import opt_out_url
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from accounts.models import User

S = Article.Status
PROVINCE = settings.HOME_REGION


# --- dissemination ------------------------------------------------------------------
@dataclass
class Audience:
    """Who receives a dissemination. Region codes at any level (``"64.02"``:
    all of Kutai Kartanegara); ``topics`` narrows subscribers to those who chose
    one of these kinds (or none)."""

    region_codes: list[str] = field(default_factory=list)
    subscribers: bool = True
    kim_members: bool = False
    forum_boards: bool = False
    topics: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | Audience) -> Audience:
        if isinstance(data, Audience):
            return data
        return cls(
            region_codes=[str(c) for c in data.get("region_codes", []) if c],
            subscribers=bool(data.get("subscribers", True)),
            kim_members=bool(data.get("kim_members", False)),
            forum_boards=bool(data.get("forum_boards", False)),
            topics=[str(t) for t in data.get("topics", []) if t],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "region_codes": self.region_codes,
            "subscribers": self.subscribers,
            "kim_members": self.kim_members,
            "forum_boards": self.forum_boards,
            "topics": self.topics,
        }


def _check_audience(
    actor: User | None, audience: Audience, channel_list: list[str]
) -> None:
    if not audience.region_codes:
        raise ValidationError({"audience": _("Choose at least one region.")})
    if not Region.objects.filter(kode__in=audience.region_codes).count() == len(
        set(audience.region_codes)
    ):
        raise ValidationError({"audience": _("Unknown region code.")})
    if not (audience.subscribers or audience.kim_members or audience.forum_boards):
        raise ValidationError({"audience": _("Choose who receives it.")})
    if actor is not None and not actor.is_superuser:
        for code in audience.region_codes:
            if not in_scope(actor, code):
                raise PermissionDenied(_("This region is outside your area."))
    if not channel_list:
        raise ValidationError({"channels": _("Choose at least one channel.")})
    enabled = channels.enabled_channels()
    for channel in channel_list:
        if channel not in Channel.values:
            raise ValidationError({"channels": _("Unknown channel.")})
        if channel not in enabled:
            raise ValidationError(
                {
                    "channels": _("The %(channel)s channel is not configured.")
                    % {"channel": channel}
                }
            )


@transaction.atomic
def dissemination_create(
    *,
    actor: User | None,
    item_url: str,
    title: str,
    summary: str,
    item_ref: str,
    audience: dict[str, Any] | Audience,
    channels: list[str],
    urgent: bool = False,
    region: Region | None = None,
    article: Article | None = None,
) -> Dissemination:
    """Send an item to an audience over channels, in a background task.

    The API for other apps (factcheck hands verdicts over through it)::

        dissemination_create(
            actor=fact_checker,                 # None: the system
            item_url="https://…/cek-fakta/12/", # where the message links to
            title="Hoaks: …", summary="…",      # the message text
            item_ref="factcheck:12",            # stable id of the item
            audience={"region_codes": ["64.02"], "subscribers": True,
                      "kim_members": True, "forum_boards": False,
                      "topics": ["klarifikasi_hoaks"]},
            channels=["whatsapp", "telegram", "sms", "email"],  # preference order
            urgent=False,                       # True ignores quiet hours
            region=None,                        # the item's region (default: the
        )                                       # actor's, else the province)

    Each person gets the item once, whatever the number of disseminations of
    the same ``item_ref``, on the first listed channel they can be reached on
    (a subscriber's own channel first). Opted-out addresses are skipped; sends
    wait for 06:00 WITA between 21:00 and 06:00 unless ``urgent``. The fan-out
    and the sending run in tasks after the transaction commits.
    """
    channel_list = list(dict.fromkeys(channels))
    plan = Audience.from_dict(audience)
    if region is None:
        region = getattr(actor, "region", None) or Region.objects.get(kode=PROVINCE)
    if actor is not None:
        require(actor, "create", "newsroom.dissemination", region_code=region.kode)
    _check_audience(actor, plan, channel_list)
    if not item_url.startswith(("http://", "https://")):
        raise ValidationError({"item_url": _("Enter a web address (http or https).")})
    dissemination = Dissemination(
        item_ref=item_ref.strip()[:64],
        item_url=item_url.strip(),
        title=" ".join(title.split())[:200],
        summary=content.summary_text(summary, 600),
        article=article,
        region=region,
        audience=plan.as_dict(),
        channels=channel_list,
        urgent=urgent,
        created_by=actor,
    )
    dissemination.full_clean()
    dissemination.save()
    for channel in channel_list:
        ShortLink.objects.create(
            target_url=dissemination.item_url,
            dissemination=dissemination,
            article=article,
            channel=channel,
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=dissemination,
        region_code=region.kode,
        changes={"item": dissemination.item_ref, "channels": channel_list},
    )
    from newsroom.tasks import dissemination_fanout_task

    pk = dissemination.pk
    transaction.on_commit(lambda: dissemination_fanout_task.enqueue(pk))
    return dissemination


def in_quiet_hours(moment: datetime) -> bool:
    hour = timezone.localtime(moment).hour
    start, end = settings.NEWSROOM_QUIET_START_HOUR, settings.NEWSROOM_QUIET_END_HOUR
    return hour >= start or hour < end


def quiet_hours_end(moment: datetime) -> datetime:
    """The next end of quiet hours (06:00 WITA) after ``moment``."""
    local = timezone.localtime(moment)
    end = local.replace(
        hour=settings.NEWSROOM_QUIET_END_HOUR, minute=0, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end


def first_send_time(*, urgent: bool, now: datetime) -> datetime:
    return now if urgent or not in_quiet_hours(now) else quiet_hours_end(now)


Recipient = tuple[str, str, str, str, str, int | None]
# (key, channel, address, source, region_code, kim_id)


def _pick(
    preferred: str, channel_list: list[str], phone: str, email: str, chat: str
) -> tuple[str, str] | None:
    address = {
        "email": email,
        "whatsapp": phone,
        "sms": phone,
        "telegram": chat,
    }
    order = ([preferred] if preferred in channel_list else []) + channel_list
    for channel in order:
        if address.get(channel):
            return channel, address[channel]
    return None


def _recipients(
    dissemination: Dissemination, chunk: int, opted_out: set[str]
) -> Iterator[Recipient]:
    """Everyone in the audience, streamed (a person may appear more than once:
    the unique constraint keeps the first)."""
    plan = Audience.from_dict(dissemination.audience)
    channel_list = list(dissemination.channels)
    codes = plan.region_codes

    def skip(phone: str, email: str, chat: str) -> bool:
        keys = {
            recipient_key(phone=phone),
            recipient_key(email=email),
            recipient_key(telegram=chat),
        }
        return bool(keys & opted_out)

    if plan.subscribers:
        match = Q()
        ancestors: set[str] = set()
        for code in codes:
            match |= subtree_q(code)
            parts = code.split(".")
            ancestors |= {".".join(parts[:i]) for i in range(1, len(parts))}
        if ancestors:
            match |= Q(region_id__in=sorted(ancestors))
        subscribers = Subscriber.objects.filter(match, opted_out_at__isnull=True)
        if plan.topics:
            topic_q = Q(topics="")
            for topic in plan.topics:
                topic_q |= Q(topics__contains=f",{topic},")
            subscribers = subscribers.filter(topic_q)
        rows = (
            subscribers.order_by("pk")
            .values_list("channel", "phone", "email", "telegram_chat_id", "region_id")
            .iterator(chunk_size=chunk)
        )
        for preferred, phone, email, chat, region_code in rows:
            picked = _pick(preferred, channel_list, phone, email, chat)
            if picked is None or (opted_out and skip(phone, email, chat)):
                continue
            key = recipient_key(phone=phone, email=email, telegram=chat)
            yield key, picked[0], picked[1], "subscriber", region_code, None
    if plan.kim_members:
        members = (
            network.kim_members_for_regions(region_codes=codes)
            .order_by("pk")
            .values_list("person__phone", "person__email", "kim_id", "kim__region_id")
            .iterator(chunk_size=chunk)
        )
        for raw_phone, raw_email, kim_id, region_code in members:
            phone, email = raw_phone or "", raw_email or ""
            picked = _pick("", channel_list, phone, email, "")
            if picked is None or (opted_out and skip(phone, email, "")):
                continue
            key = recipient_key(phone=phone, email=email)
            yield key, picked[0], picked[1], "kim_member", region_code, kim_id
    if plan.forum_boards:
        seats = (
            network.forum_board_members_for_regions(region_codes=codes)
            .order_by("pk")
            .values_list("person__phone", "person__email", "kim_id", "forum__region_id")
            .iterator(chunk_size=chunk)
        )
        for raw_phone, raw_email, kim_id, region_code in seats:
            phone, email = raw_phone or "", raw_email or ""
            picked = _pick("", channel_list, phone, email, "")
            if picked is None or (opted_out and skip(phone, email, "")):
                continue
            key = recipient_key(phone=phone, email=email)
            yield key, picked[0], picked[1], "forum_board", region_code, kim_id


def dissemination_fan_out(
    *,
    dissemination_id: int,
    batch_size: int | None = None,
    max_batches: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Create the delivery rows of a dissemination, streamed in batches (one
    transaction each, ``INSERT … ON CONFLICT DO NOTHING``), then start sending.

    Safe to run again at any point (a worker killed half-way: the periodic task
    runs it again): rows that exist are skipped by the unique constraint.
    ``max_batches`` stops early (returns False) for tests and time-slicing.
    """
    batch_size = batch_size or settings.NEWSROOM_FANOUT_BATCH
    dissemination = Dissemination.objects.filter(pk=dissemination_id).first()
    if dissemination is None or dissemination.fanout_finished_at is not None:
        return True
    now = now or timezone.now()
    Dissemination.objects.filter(pk=dissemination_id).update(
        status=Dissemination.Status.FANNING_OUT, fanout_heartbeat_at=timezone.now()
    )
    start_at = first_send_time(urgent=dissemination.urgent, now=now)
    opted_out = set(OptOut.objects.values_list("recipient_key", flat=True))
    ref = dissemination.item_ref
    batch: list[Delivery] = []
    batches = 0

    def flush() -> None:
        with transaction.atomic():
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            Dissemination.objects.filter(pk=dissemination_id).update(
                fanout_heartbeat_at=timezone.now()
            )
        batch.clear()

    for key, channel, address, source, region_code, kim_id in _recipients(
        dissemination, batch_size, opted_out
    ):
        batch.append(
            Delivery(
                dissemination_id=dissemination_id,
                item_ref=ref,
                recipient_key=key,
                channel=channel,
                address=address,
                source=source,
                region_code=region_code,
                kim_id=kim_id,
                next_attempt_at=start_at,
            )
        )
        if len(batch) >= batch_size:
            flush()
            batches += 1
            if max_batches is not None and batches >= max_batches:
                return False
    if batch:
        flush()
    with transaction.atomic():
        count = Delivery.objects.filter(dissemination_id=dissemination_id).count()
        Dissemination.objects.filter(pk=dissemination_id).update(
            status=Dissemination.Status.SENDING,
            recipients=count,
            fanout_finished_at=timezone.now(),
        )
        from newsroom.tasks import deliveries_send_task

        def enqueue(channel: str) -> Callable[[], object]:
            return lambda: deliveries_send_task.enqueue(channel, dissemination_id)

        for channel in dissemination.channels:
            transaction.on_commit(enqueue(channel))
    return True


def disseminations_stalled(
    *, older_than: timedelta = timedelta(minutes=3)
) -> list[int]:
    """Disseminations whose fan-out stopped (a killed worker): to run again."""
    cutoff = timezone.now() - older_than
    return list(
        Dissemination.objects.filter(fanout_finished_at__isnull=True)
        .filter(
            Q(fanout_heartbeat_at__lt=cutoff)
            | Q(fanout_heartbeat_at__isnull=True, created_at__lt=cutoff)
        )
        .values_list("pk", flat=True)
    )


SEND_LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(0, attempts - 1), 360))


def _claim(
    channel: str, dissemination_id: int | None, now: datetime, size: int
) -> list[int]:
    due = Delivery.objects.filter(
        channel=channel, status=Delivery.Status.QUEUED, next_attempt_at__lte=now
    )
    if dissemination_id is not None:
        due = due.filter(dissemination_id=dissemination_id)
    if in_quiet_hours(now):
        due = due.filter(dissemination__urgent=True)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(
            due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:size]
        )
        if ids:
            # A lease: another worker leaves these alone while they are sent.
            Delivery.objects.filter(pk__in=ids).update(
                attempts=F("attempts") + 1, next_attempt_at=now + SEND_LEASE
            )
    return ids


@contextlib.contextmanager
def _quick_commits() -> Iterator[None]:
    """Each delivery is committed on its own as it is sent; on PostgreSQL those
    commits need not wait for the disk flush (a killed worker loses nothing the
    server has; only a crash of the database server itself could lose the last
    instant's marks), which keeps one commit per message cheap."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def deliveries_send(
    *,
    channel: str,
    dissemination_id: int | None = None,
    sender: channels.Sender | None = None,
    now: datetime | None = None,
    max_batches: int | None = None,
) -> dict[str, int]:
    """Send the due queued deliveries of one channel, batch after batch, each
    marked as soon as it is sent.

    Temporary failures are tried again later (1, 2, 4… minutes, at most
    ``NEWSROOM_MAX_ATTEMPTS`` times); refusals fail at once. One channel's
    failures never touch another channel's deliveries."""
    sender = sender or channels.sender_for(channel)
    size = settings.NEWSROOM_SEND_BATCH
    max_attempts = settings.NEWSROOM_MAX_ATTEMPTS
    totals = {"sent": 0, "retry": 0, "failed": 0}
    context: dict[int, tuple[Dissemination, str]] = {}
    batches = 0
    with _quick_commits():
        while max_batches is None or batches < max_batches:
            moment = now or timezone.now()
            ids = _claim(channel, dissemination_id, moment, size)
            if not ids:
                break
            batches += 1
            rows = list(Delivery.objects.filter(pk__in=ids).order_by("pk"))
            opted_out = set(
                OptOut.objects.filter(
                    recipient_key__in={r.recipient_key for r in rows}
                ).values_list("recipient_key", flat=True)
            )
            to_send: list[Delivery] = []
            messages: list[channels.Message] = []
            for row in rows:
                if row.recipient_key in opted_out:
                    row.status, row.error = Delivery.Status.FAILED, "opted out"
                    continue
                if row.dissemination_id not in context:
                    item = Dissemination.objects.get(pk=row.dissemination_id)
                    link = ShortLink.objects.filter(
                        dissemination=item, channel=channel
                    ).first()
                    url = (
                        settings.SITE_URL + link.get_absolute_url()
                        if link
                        else item.item_url
                    )
                    context[row.dissemination_id] = (item, url)
                item, url = context[row.dissemination_id]
                to_send.append(row)
                messages.append(
                    channels.Message(
                        to=row.address,
                        title=item.title,
                        summary=item.summary,
                        link=url,
                        unsubscribe=opt_out_url(row.recipient_key),
                        reference=str(row.pk),
                    )
                )
            # Opt-outs first, then each message recorded as soon as it is sent: a
            # worker killed mid-batch leaves every message that went out marked.
            _save_opted_out([r for r in rows if r.status == Delivery.Status.FAILED])
            results = sender.send_each(messages) if messages else iter([])
            for row, result in zip(to_send, results, strict=True):
                sent_at = now or timezone.now()
                if isinstance(result, channels.PermanentError):
                    row.status, row.error = Delivery.Status.FAILED, str(result)[:300]
                elif isinstance(result, Exception):
                    row.error = str(result)[:300]
                    if row.attempts >= max_attempts:
                        row.status = Delivery.Status.FAILED
                    else:
                        row.next_attempt_at = sent_at + retry_delay(row.attempts)
                else:
                    row.status, row.provider_id, row.sent_at = (
                        Delivery.Status.SENT,
                        result,
                        sent_at,
                    )
                    row.error = ""
                _save_result(row)
            for row in rows:
                if row.status == Delivery.Status.SENT:
                    totals["sent"] += 1
                elif row.status == Delivery.Status.FAILED:
                    totals["failed"] += 1
                else:
                    totals["retry"] += 1
    return totals


def _save_opted_out(rows: list[Delivery]) -> None:
    if rows:
        Delivery.objects.bulk_update(rows, ["status", "error"])


def _save_result(row: Delivery) -> None:
    if row.status == Delivery.Status.SENT:
        # Only a queued row: a later status is never undone.
        Delivery.objects.filter(pk=row.pk, status=Delivery.Status.QUEUED).update(
            status=row.status,
            provider_id=row.provider_id,
            sent_at=row.sent_at,
            error="",
        )
    else:
        Delivery.objects.filter(pk=row.pk).update(
            status=row.status, error=row.error, next_attempt_at=row.next_attempt_at
        )


def channels_with_due_deliveries(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=Delivery.Status.QUEUED, next_attempt_at__lte=now
    )
    if in_quiet_hours(now):
        due = due.filter(dissemination__urgent=True)
    return sorted(set(due.values_list("channel", flat=True).distinct()))


_ORDER = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


def delivery_status_update(
    *, channel: str, provider_id: str, status: str, error: str = ""
) -> int:
    """A channel's report about a message (by the provider's message id). Status
    only moves forward (a late "delivered" never undoes "read"); "failed"
    replaces only queued or sent. Returns the number of rows changed."""
    if not provider_id or status not in Delivery.Status.values:
        return 0
    now = timezone.now()
    rows = Delivery.objects.filter(channel=channel, provider_id=provider_id)
    if status == Delivery.Status.FAILED:
        return rows.filter(status__in=["queued", "sent"]).update(
            status=status, error=error[:300]
        )
    lower = [s for s, rank in _ORDER.items() if rank < _ORDER[status]]
    stamp: dict[str, Any] = {"status": status}
    if status in ("delivered", "read"):
        stamp["delivered_at"] = now
    if status == "read":
        stamp["read_at"] = now
    changed = rows.filter(status__in=lower).update(**stamp)
    if status == "read":
        rows.filter(delivered_at__isnull=True).update(delivered_at=now)
    return changed


def user_can_disseminate(actor: User, article: Article) -> bool:
    return article.status == S.PUBLISHED and can(
        actor, "create", "newsroom.dissemination", region_code=article.region_id
    )
