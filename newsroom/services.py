"""Writes of the newsroom: articles and their workflow, comments, subscribers,
dissemination (fan-out, sending, callbacks) and reach counters.

Workflow of an article::

    draft → submitted → changes_requested → submitted → approved
          → scheduled → published → unpublished → published …

KIM members write and submit for their KIM; editors (and Diskominfo admins) of
the article's region review, schedule, publish and unpublish.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.permissions import can, in_scope, require
from accounts.phones import InvalidPhoneNumber, normalize_phone
from accounts.services import audit_record
from network import selectors as network
from newsroom import cache, channels, content
from newsroom.models import (
    Article,
    ArticleImage,
    ArticleRevision,
    Channel,
    Comment,
    DailyStat,
    Delivery,
    Dissemination,
    Kind,
    OptOut,
    ReviewNote,
    ShortLink,
    Subscriber,
    Tag,
    recipient_key,
)
from newsroom.selectors import can_article, kims_of_user
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from accounts.models import User
    from network.models import Kim

log = logging.getLogger(__name__)
S = Article.Status
PROVINCE = settings.HOME_REGION
OPT_OUT_SALT = "newsroom.optout"


# --- articles -----------------------------------------------------------------------
def _check_links(links: Iterable[str]) -> list[str]:
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    clean = []
    for link in links:
        link = (link or "").strip()
        if not link:
            continue
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                {"source_links": _("Enter valid web addresses (http or https).")}
            ) from None
        clean.append(link)
    return clean[:10]


def _tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in names:
        name = " ".join((name or "").split())[:60]
        slug = slugify(content.fold(name))[:70]
        if not slug:
            continue
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _apply_text(article: Article, fields: dict[str, Any]) -> None:
    for name in ("kind", "title", "lead", "factcheck_url", "factcheck_ref"):
        if name in fields and fields[name] is not None:
            setattr(article, name, " ".join(str(fields[name]).split()))
    if fields.get("body") is not None:
        article.body = content.clean_body(fields["body"])
    if fields.get("source_links") is not None:
        article.source_links = _check_links(fields["source_links"])
    article.search_document = content.search_document(
        article.title, article.lead, article.body
    )
    article.reading_minutes = content.reading_minutes(article.body)
    if not content.plain_text(article.body):
        raise ValidationError({"body": _("Write the article's text.")})


def _save_revision(article: Article, actor: User | None) -> None:
    last = article.revisions.order_by("-number").first()
    if last and (last.title, last.lead, last.body) == (
        article.title,
        article.lead,
        article.body,
    ):
        return
    ArticleRevision.objects.create(
        article=article,
        number=(last.number + 1) if last else 1,
        title=article.title,
        lead=article.lead,
        body=article.body,
        created_by=actor,
    )


def _set_regions(article: Article, regions: Iterable[Region] | None) -> None:
    chosen = {r.kode: r for r in (regions or [])}
    chosen[article.region_id] = article.region
    article.regions.set(list(chosen.values()))


@transaction.atomic
def article_create(
    *,
    actor: User,
    kind: str,
    title: str,
    lead: str,
    body: str,
    kim: Kim | None = None,
    office: Region | None = None,
    regions: Iterable[Region] | None = None,
    tags: Iterable[str] = (),
    source_links: Iterable[str] = (),
    factcheck_url: str = "",
    factcheck_ref: str = "",
) -> Article:
    """A draft by a KIM (``kim``: the actor must be its member or coordinator) or
    by a Diskominfo office (``office``: a province or regency in the actor's
    region, for editors and admins)."""
    if (kim is None) == (office is None):
        raise ValidationError({"kim": _("Choose the author: a KIM or an office.")})
    if kim is not None:
        own = kims_of_user(actor).filter(pk=kim.pk).exists()
        require(
            actor, "create", "newsroom.article", region_code=kim.region_id, is_own=own
        )
        region = kim.region
    else:
        assert office is not None
        if office.level not in (Region.Level.PROVINCE, Region.Level.REGENCY):
            raise ValidationError(
                {"office": _("An office is the province's or a regency's.")}
            )
        require(actor, "create", "newsroom.article", region_code=office.kode)
        region = office
    article = Article(kim=kim, office=office, region=region, created_by=actor)
    _apply_text(
        article,
        {
            "kind": kind,
            "title": title,
            "lead": lead,
            "body": body,
            "source_links": list(source_links),
            "factcheck_url": factcheck_url,
            "factcheck_ref": factcheck_ref,
        },
    )
    article.slug = content.unique_slug(
        article.title, lambda s: Article.objects.filter(slug=s).exists()
    )
    article.full_clean()
    article.save()
    _set_regions(article, regions)
    article.tags.set(_tags(tags))
    _save_revision(article, actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=article,
        region_code=article.region_id,
        changes={"kind": article.kind},
    )
    return article


@transaction.atomic
def article_update(
    *,
    actor: User,
    article: Article,
    kind: str | None = None,
    title: str | None = None,
    lead: str | None = None,
    body: str | None = None,
    regions: Iterable[Region] | None = None,
    tags: Iterable[str] | None = None,
    source_links: Iterable[str] | None = None,
    factcheck_url: str | None = None,
    factcheck_ref: str | None = None,
) -> Article:
    """Edit the text (a new revision when it changed). KIM members edit only
    drafts and articles sent back to them; editors edit in any state."""
    if not can_article(actor, "change", article):
        raise PermissionDenied(_("You may not edit this article now."))
    before = {"title": article.title, "kind": article.kind}
    _apply_text(
        article,
        {
            "kind": kind,
            "title": title,
            "lead": lead,
            "body": body,
            "source_links": list(source_links) if source_links is not None else None,
            "factcheck_url": factcheck_url,
            "factcheck_ref": factcheck_ref,
        },
    )
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    if regions is not None:
        _set_regions(article, regions)
    if tags is not None:
        article.tags.set(_tags(tags))
    _save_revision(article, actor)
    changes = {
        k: [v, getattr(article, k)]
        for k, v in before.items()
        if v != getattr(article, k)
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=article,
        region_code=article.region_id,
        changes=changes,
    )
    if article.status == S.PUBLISHED:
        cache.bump()
    return article


@transaction.atomic
def article_image_add(
    *,
    actor: User,
    article: Article,
    image: Any,
    caption: str = "",
    credit: str = "",
) -> ArticleImage:
    """Check an uploaded photo and store its responsive WebP renditions."""
    if not can_article(actor, "change", article):
        raise PermissionDenied(_("You may not edit this article now."))
    if article.images.count() >= 12:
        raise ValidationError({"image": _("An article has at most 12 photos.")})
    picture = content.check_image(image)
    renditions = content.save_renditions(picture)
    position = article.images.count()
    row = ArticleImage(
        article=article,
        renditions=renditions,
        width=picture.width,
        height=picture.height,
        caption=" ".join(caption.split())[:300],
        credit=" ".join(credit.split())[:150],
        position=position,
    )
    try:
        row.full_clean()
        row.save()
    except Exception:
        content.delete_renditions(renditions)
        raise
    if article.status == S.PUBLISHED:
        cache.bump()
    return row


@transaction.atomic
def article_image_delete(*, actor: User, image: ArticleImage) -> None:
    article = image.article
    if not can_article(actor, "change", article):
        raise PermissionDenied(_("You may not edit this article now."))
    renditions = dict(image.renditions)
    image.delete()
    transaction.on_commit(lambda: content.delete_renditions(renditions))
    if article.status == S.PUBLISHED:
        cache.bump()


def _transition(
    *,
    actor: User | None,
    article: Article,
    action: str,
    permission: str,
    allowed_from: Iterable[str],
    to: str,
    note: str = "",
) -> Article:
    if actor is not None and not can_article(actor, permission, article):
        raise PermissionDenied(_("You may not do this to this article."))
    if article.status not in set(allowed_from):
        raise ValidationError(
            {
                "status": _("This step is not possible from “%(status)s”.")
                % {"status": article.get_status_display()}
            }
        )
    previous = article.status
    article.status = to
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    ReviewNote.objects.create(
        article=article, author=actor, action=action, status=to, note=note.strip()
    )
    audit_record(
        actor=actor,
        action=(
            AuditEntry.Action.PUBLISH if to == S.PUBLISHED else AuditEntry.Action.UPDATE
        ),
        obj=article,
        region_code=article.region_id,
        changes={"status": [previous, to]},
    )
    if S.PUBLISHED in (previous, to):
        cache.bump()
    return article


@transaction.atomic
def article_submit(*, actor: User, article: Article, note: str = "") -> Article:
    article.submitted_at = timezone.now()
    return _transition(
        actor=actor,
        article=article,
        action="submit",
        permission="change",
        allowed_from=[S.DRAFT, S.CHANGES_REQUESTED],
        to=S.SUBMITTED,
        note=note,
    )


@transaction.atomic
def article_request_changes(*, actor: User, article: Article, note: str) -> Article:
    if not note.strip():
        raise ValidationError({"note": _("Tell the author what to change.")})
    return _transition(
        actor=actor,
        article=article,
        action="request_changes",
        permission="review",
        allowed_from=[S.SUBMITTED, S.APPROVED, S.SCHEDULED],
        to=S.CHANGES_REQUESTED,
        note=note,
    )


@transaction.atomic
def article_approve(*, actor: User, article: Article, note: str = "") -> Article:
    article.approved_by = actor
    article.approved_at = timezone.now()
    return _transition(
        actor=actor,
        article=article,
        action="approve",
        permission="review",
        allowed_from=[S.SUBMITTED],
        to=S.APPROVED,
        note=note,
    )


def _send_plan(
    actor: User, audience: dict[str, Any] | None, channel_list: list[str] | None
) -> dict[str, Any] | None:
    if not audience or not channel_list:
        return None
    plan_audience = Audience.from_dict(audience)
    _check_audience(actor, plan_audience, channel_list)
    return {
        "audience": plan_audience.as_dict(),
        "channels": channel_list,
        "urgent": False,
        "by": actor.pk,
    }


@transaction.atomic
def article_schedule(
    *,
    actor: User,
    article: Article,
    publish_at: datetime,
    note: str = "",
    send_to: dict[str, Any] | None = None,
    send_channels: list[str] | None = None,
) -> Article:
    """Publish at ``publish_at`` (by the periodic task); ``send_to`` (an audience)
    and ``send_channels`` are then sent the article."""
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": _("Choose a time in the future.")})
    article.publish_at = publish_at
    article.send_on_publish = _send_plan(actor, send_to, send_channels)
    return _transition(
        actor=actor,
        article=article,
        action="schedule",
        permission="publish",
        allowed_from=[S.APPROVED, S.SCHEDULED, S.UNPUBLISHED],
        to=S.SCHEDULED,
        note=note,
    )


@transaction.atomic
def article_publish(
    *,
    actor: User | None,
    article: Article,
    note: str = "",
    send_to: dict[str, Any] | None = None,
    send_channels: list[str] | None = None,
) -> Article:
    """Publish now (``actor`` None: the scheduler) and send it as planned."""
    if actor is not None and send_to:
        article.send_on_publish = _send_plan(actor, send_to, send_channels)
    article.published_at = article.published_at or timezone.now()
    article.unpublished_at = None
    _transition(
        actor=actor,
        article=article,
        action="publish",
        permission="publish",
        allowed_from=[S.APPROVED, S.SCHEDULED, S.UNPUBLISHED],
        to=S.PUBLISHED,
        note=note,
    )
    plan = article.send_on_publish
    if plan:
        from accounts.models import User as UserModel

        sender = actor or UserModel.objects.filter(pk=plan.get("by")).first()
        dissemination_create(
            actor=sender,
            item_url=settings.SITE_URL + article.get_absolute_url(),
            title=article.title,
            summary=article.lead,
            item_ref=article.item_ref,
            region=article.region,
            audience=plan["audience"],
            channels=plan["channels"],
            urgent=bool(plan.get("urgent")),
            article=article,
        )
        article.send_on_publish = None
        article.save(update_fields=["send_on_publish"])
    return article


@transaction.atomic
def article_unpublish(*, actor: User, article: Article, note: str = "") -> Article:
    article.unpublished_at = timezone.now()
    return _transition(
        actor=actor,
        article=article,
        action="unpublish",
        permission="publish",
        allowed_from=[S.PUBLISHED],
        to=S.UNPUBLISHED,
        note=note,
    )


def articles_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled article whose time has come (idempotent: an
    article is claimed by a conditional update, so two workers never both
    publish it)."""
    now = now or timezone.now()
    done = 0
    due = Article.objects.filter(status=S.SCHEDULED, publish_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            article = (
                Article.objects.select_for_update()
                .filter(pk=pk, status=S.SCHEDULED, publish_at__lte=now)
                .first()
            )
            if article is None:
                continue
            article.published_at = article.published_at or article.publish_at
            article_publish(actor=None, article=article, note="")
            done += 1
    return done


# --- comments -----------------------------------------------------------------------
MIN_FILL_SECONDS = 3
MAX_COMMENT_LINKS = 2


@transaction.atomic
def comment_create(
    *,
    article: Article,
    name: str,
    body: str,
    honeypot: str = "",
    fill_seconds: float | None = None,
) -> Comment:
    """A reader's comment, held for moderation. Bots (a filled hidden field, a
    form sent faster than a person types, many links) are kept as spam without
    telling them."""
    if article.status != S.PUBLISHED:
        raise ValidationError({"body": _("This article takes no comments.")})
    name = " ".join((name or "").split())[:80]
    text = (body or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    if len(text) < 2:
        raise ValidationError({"body": _("Write a comment.")})
    if len(text) > 3000:
        raise ValidationError({"body": _("Keep it under 3000 characters.")})
    reason = ""
    if honeypot:
        reason = "honeypot"
    elif fill_seconds is None or fill_seconds < MIN_FILL_SECONDS:
        reason = "too fast"
    elif content.count_links(text) > MAX_COMMENT_LINKS:
        reason = "links"
    comment = Comment(
        article=article,
        name=content.plain_text(name)[:80] or "-",
        body=content.clean_comment(text),
        status=Comment.Status.SPAM if reason else Comment.Status.PENDING,
        spam_reason=reason,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment: Comment, status: str) -> Comment:
    region = comment.article.region_id
    require(actor, "moderate", "newsroom.comment", region_code=region)
    if status not in Comment.Status.values or status == Comment.Status.PENDING:
        raise ValidationError({"status": _("Choose approve, reject or spam.")})
    was_public = comment.status == Comment.Status.APPROVED
    comment.status = status
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=comment,
        object_repr=f"comment on {comment.article.title}"[:255],
        region_code=region,
        changes={"status": status},
    )
    if was_public or status == Comment.Status.APPROVED:
        cache.bump()
    return comment


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


# --- reach counters -----------------------------------------------------------------
def stat_increment(*, article_id: int, metric: str, day: Any = None) -> None:
    """Add one to an anonymous daily counter of an article."""
    if metric not in DailyStat.Metric.values:
        raise ValidationError({"metric": "unknown metric"})
    day = day or timezone.localdate()
    updated = DailyStat.objects.filter(
        article_id=article_id, day=day, metric=metric
    ).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            DailyStat.objects.create(
                article_id=article_id, day=day, metric=metric, count=1
            )
    except IntegrityError:  # created meanwhile by another request
        DailyStat.objects.filter(article_id=article_id, day=day, metric=metric).update(
            count=F("count") + 1
        )


def short_link_follow(*, code: str) -> str | None:
    """Count a click (no personal data) and return where the link goes."""
    link = ShortLink.objects.filter(code=code).first()
    if link is None:
        return None
    ShortLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    if link.article_id:
        stat_increment(article_id=link.article_id, metric=DailyStat.Metric.CLICK)
    return link.target_url


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


def user_can_disseminate(actor: User, article: Article) -> bool:
    return article.status == S.PUBLISHED and can(
        actor, "create", "newsroom.dissemination", region_code=article.region_id
    )
