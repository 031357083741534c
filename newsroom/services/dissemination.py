"""Dissemination: an item sent to an audience over channels. The fan-out
creates a ``Delivery`` per person (the reach figures) and queues its message in
the channels outbox (``channels.services.messages_send_bulk``); channels sends,
retries, holds what opted-out people would get, and reports each status change
back (``delivery_status_mirror``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.permissions import can, in_scope, require
from accounts.services import audit_record
from channels import services as outbox
from channels.models import OutboxMessage
from channels.routes import StatusChange
from core.links import site_url
from network import selectors as network
from newsroom import channels, content
from newsroom.models import (
    Article,
    Channel,
    Delivery,
    Dissemination,
    ShortLink,
    Subscriber,
    recipient_key,
)
from regions import provinces
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from accounts.models import User

S = Article.Status
PROVINCE = settings.HOME_REGION
ORIGIN = "newsroom"


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
    # A region of a province the deployment does not serve is unknown here.
    known = Region.objects.filter(provinces.served_q("kode"))
    if not known.filter(kode__in=audience.region_codes).count() == len(
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


def _default_region(audience: Audience) -> Region:
    """The region of an item sent by someone with no region of their own (a
    platform admin, the system): the home province where one is served.
    Serving several there is no "the province": the province the audience lies
    in when it lies in one served, else the sender must name the region."""
    if not provinces.is_national():
        return Region.objects.get(kode=PROVINCE)
    codes = {code.split(".")[0] for code in audience.region_codes}
    if len(codes) == 1 and provinces.is_served(code := codes.pop()):
        found = Region.objects.filter(kode=code).first()
        if found is not None:
            return found
    raise ValidationError(
        {
            "region": _(
                "This site serves several provinces: choose the region the item "
                "is about."
            )
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
        )                                       # actor's, else the province; see
                                                # _default_region)

    Each person gets the item once, whatever the number of disseminations of
    the same ``item_ref``, on the first listed channel they can be reached on
    (a subscriber's own channel first). Ended subscriptions are skipped and
    opted-out addresses held (channels' consent); sends wait for 06:00 WITA
    between 21:00 and 06:00 unless ``urgent``. The fan-out and the sending
    (channels' outbox) run in tasks after the transaction commits.
    """
    channel_list = list(dict.fromkeys(channels))
    plan = Audience.from_dict(audience)
    if region is None:
        region = getattr(actor, "region", None) or _default_region(plan)
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


def article_disseminate(
    *,
    actor: User | None,
    article: Article,
    audience: dict[str, Any] | Audience,
    channels: list[str],
    urgent: bool = False,
) -> Dissemination:
    """``dissemination_create`` of an article: the message is its title and lead,
    it links to the article's public page and counts in the article's reach."""
    return dissemination_create(
        actor=actor,
        item_url=site_url(article.get_absolute_url()),
        title=article.title,
        summary=article.lead,
        item_ref=article.item_ref,
        audience=audience,
        channels=channels,
        urgent=urgent,
        region=article.region,
        article=article,
    )


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


def _recipients(dissemination: Dissemination, chunk: int) -> Iterator[Recipient]:
    """Everyone in the audience, streamed (a person may appear more than once:
    the unique constraint keeps the first)."""
    plan = Audience.from_dict(dissemination.audience)
    channel_list = list(dissemination.channels)
    codes = plan.region_codes

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
            if picked is None:
                continue
            key = recipient_key(phone=phone, email=email, telegram=chat)
            yield key, picked[0], picked[1], "subscriber", region_code, None
    if plan.kim_members:
        members = network.kim_members_for_regions(region_codes=codes)
        yield from _people(members, "kim__region_id", "kim_member", channel_list, chunk)
    if plan.forum_boards:
        seats = network.forum_board_members_for_regions(region_codes=codes)
        yield from _people(
            seats, "forum__region_id", "forum_board", channel_list, chunk
        )


def _people(
    rows: QuerySet[Any],
    region_field: str,
    source: str,
    channel_list: list[str],
    chunk: int,
) -> Iterator[Recipient]:
    """KIM members or forum board seats: a person reached by phone or email."""
    values = (
        rows.order_by("pk")
        .values_list("person__phone", "person__email", "kim_id", region_field)
        .iterator(chunk_size=chunk)
    )
    for raw_phone, raw_email, kim_id, region_code in values:
        phone, email = raw_phone or "", raw_email or ""
        picked = _pick("", channel_list, phone, email, "")
        if picked is None:
            continue
        key = recipient_key(phone=phone, email=email)
        yield key, picked[0], picked[1], source, region_code, kim_id


def dissemination_fan_out(
    *,
    dissemination_id: int,
    batch_size: int | None = None,
    max_batches: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Create the delivery rows of a dissemination and hand each message to the
    channels outbox, streamed in batches (one transaction each: the deliveries,
    their outbox rows and the link between them commit together).

    Safe to run again at any point (a worker killed half-way: the periodic task
    runs it again): deliveries that exist are skipped by their unique constraint,
    outbox rows by their dedupe key. ``max_batches`` stops early (returns False)
    for tests and time-slicing. Sending, retries, opt-outs (held) and quiet hours
    (``not_before``) are then channels'.
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
    contents = _contents(dissemination)
    ref = dissemination.item_ref
    batch: list[Delivery] = []
    batches = 0

    def flush() -> None:
        with transaction.atomic():
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            _outbox_queue(dissemination, batch, contents, start_at)
            Dissemination.objects.filter(pk=dissemination_id).update(
                fanout_heartbeat_at=timezone.now()
            )
        batch.clear()

    for key, channel, address, source, region_code, kim_id in _recipients(
        dissemination, batch_size
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
    count = Delivery.objects.filter(dissemination_id=dissemination_id).count()
    Dissemination.objects.filter(pk=dissemination_id).update(
        status=Dissemination.Status.SENDING,
        recipients=count,
        fanout_finished_at=timezone.now(),
    )
    return True


def outbox_key(dissemination_id: int, key: str) -> str:
    """The outbox's dedupe key of one delivery."""
    return f"{ORIGIN}:{dissemination_id}:{key}"


def _contents(dissemination: Dissemination) -> dict[str, channels.Content]:
    """The message of each channel (one short link per channel)."""
    links = {
        link.channel: site_url(link.get_absolute_url())
        for link in ShortLink.objects.filter(dissemination=dissemination)
    }
    return {
        channel: channels.content_for(
            channel,
            title=dissemination.title,
            summary=dissemination.summary,
            link=links.get(channel, dissemination.item_url),
        )
        for channel in dissemination.channels
    }


def _outbox_queue(
    dissemination: Dissemination,
    batch: list[Delivery],
    contents: dict[str, channels.Content],
    start_at: datetime,
) -> None:
    """Queue the outbox messages of the deliveries of ``batch`` that belong to
    this dissemination (a person reached by an earlier dissemination of the same
    item has no new delivery: its unique constraint kept the first).

    The delivery is linked to its message by the dedupe key
    (``outbox_key``), and by ``outbox_message`` from the message's first status
    change on (``delivery_status_mirror``): no UPDATE of every new delivery in
    the fan-out, which on PostgreSQL would write each row (and its indexes)
    twice."""
    keys = [row.recipient_key for row in batch]
    mine = Delivery.objects.filter(
        item_ref=dissemination.item_ref,
        recipient_key__in=keys,
        dissemination_id=dissemination.pk,
        outbox_message__isnull=True,
    ).values_list("recipient_key", "channel", "address")
    drafts: dict[str, list[outbox.Draft]] = {}
    for key, channel, address in mine:
        content = contents[channel]
        drafts.setdefault(channel, []).append(
            outbox.Draft(
                to=address,
                dedupe_key=outbox_key(dissemination.pk, key),
                body=content.body,
                subject=content.subject,
                parameters=list(content.parameters),
                # The delivery is unique per (item_ref, recipient_key): with the
                # key's recipient part, the message finds its delivery.
                reference=dissemination.item_ref,
            )
        )
    for channel, channel_drafts in drafts.items():
        name, language = channels.template(channel)
        outbox.messages_send_bulk(
            channel=channel,
            drafts=channel_drafts,
            origin=ORIGIN,
            template=name,
            template_language=language,
            not_before=start_at,
            batch_size=len(channel_drafts),
        )


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


# --- status, mirrored from the outbox -----------------------------------------------
_MIRRORED = {
    OutboxMessage.Status.QUEUED: Delivery.Status.QUEUED,
    OutboxMessage.Status.SENDING: Delivery.Status.QUEUED,
    OutboxMessage.Status.SENT: Delivery.Status.SENT,
    OutboxMessage.Status.DELIVERED: Delivery.Status.DELIVERED,
    OutboxMessage.Status.READ: Delivery.Status.READ,
    OutboxMessage.Status.FAILED: Delivery.Status.FAILED,
    OutboxMessage.Status.HELD: Delivery.Status.HELD,
}


def delivery_status_mirror(change: StatusChange) -> None:
    """Registered with ``channels.routes.register_status_handler(origin=
    "newsroom")``: copy an outbox message's state onto its delivery (status,
    attempts, provider id, times), the source of the reach figures."""
    message = OutboxMessage.objects.filter(pk=change.message_id).first()
    if message is None:
        return
    fields: dict[str, Any] = {
        "outbox_message_id": message.pk,
        "status": _MIRRORED[OutboxMessage.Status(message.status)],
        "attempts": message.attempts,
        "provider_id": message.provider_message_id[:128],
        "error": message.error,
        "sent_at": message.sent_at,
        "delivered_at": message.delivered_at,
        "read_at": message.read_at,
    }
    if message.status == OutboxMessage.Status.QUEUED:
        fields["next_attempt_at"] = message.not_before
    match = Q(outbox_message_id=message.pk)
    prefix = f"{ORIGIN}:"
    dissemination_id, _sep, key = message.dedupe_key.removeprefix(prefix).partition(":")
    if message.dedupe_key.startswith(prefix) and dissemination_id.isdigit() and key:
        # Not linked yet (its first change): found through the unique
        # (item_ref, recipient_key) index.
        match |= Q(
            item_ref=message.reference,
            recipient_key=key,
            dissemination_id=int(dissemination_id),
        )
    Delivery.objects.filter(match).update(**fields)


def user_can_disseminate(actor: User, article: Article) -> bool:
    return article.status == S.PUBLISHED and can(
        actor, "create", "newsroom.dissemination", region_code=article.region_id
    )
