"""Articles and their workflow.

Workflow of an article::

    draft → submitted → changes_requested → submitted → approved
          → scheduled → published → unpublished → published …

KIM members write and submit for their KIM; editors (and Diskominfo admins) of
the article's region review, schedule, publish and unpublish.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.permissions import require
from accounts.services import audit_record
from newsroom import cache, content, notices
from newsroom.models import (
    Article,
    ArticleImage,
    ArticleRevision,
    Potential,
    ReviewNote,
    Tag,
)
from newsroom.selectors import can_article, kims_of_user
from newsroom.services.dissemination import (
    Audience,
    _check_audience,
    article_disseminate,
)
from regions.models import Region

if TYPE_CHECKING:
    from accounts.models import User
    from network.models import Kim

S = Article.Status
logger = logging.getLogger(__name__)
PROVINCE = settings.HOME_REGION


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
    potential = Potential.objects.filter(article=article).first()
    if potential is not None and kind is not None and kind != potential.category:
        # Its facts (event dates, the schema.org type) depend on the category.
        raise ValidationError(
            {
                "kind": _(
                    "A local-potential story keeps its category; change it on "
                    "the story's own form."
                )
            }
        )
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


class _Step(NamedTuple):
    permission: str  # what ``can_article`` must allow the actor
    allowed_from: tuple[str, ...]
    to: str


# The publishing workflow: each action a person (or the scheduler) takes, from
# which statuses, and the status it leads to.
STEPS: dict[str, _Step] = {
    "submit": _Step("change", (S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED),
    "request_changes": _Step(
        "review", (S.SUBMITTED, S.APPROVED, S.SCHEDULED), S.CHANGES_REQUESTED
    ),
    "approve": _Step("review", (S.SUBMITTED,), S.APPROVED),
    "schedule": _Step("publish", (S.APPROVED, S.SCHEDULED, S.UNPUBLISHED), S.SCHEDULED),
    "publish": _Step("publish", (S.APPROVED, S.SCHEDULED, S.UNPUBLISHED), S.PUBLISHED),
    "unpublish": _Step("publish", (S.PUBLISHED,), S.UNPUBLISHED),
}


def _transition(
    *, actor: User | None, article: Article, action: str, note: str = ""
) -> Article:
    permission, allowed_from, to = STEPS[action]
    if actor is not None and not can_article(actor, permission, article):
        raise PermissionDenied(_("You may not do this to this article."))
    if article.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("This step is not possible from “%(status)s”.")
                % {"status": article.get_status_display()}
            }
        )
    previous = article.status
    article.status = to
    # Any step a person takes lifts a hold (``article_hold``).
    article.held_reason = ""
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
    return _transition(actor=actor, article=article, action="submit", note=note)


@transaction.atomic
def article_request_changes(*, actor: User, article: Article, note: str) -> Article:
    if not note.strip():
        raise ValidationError({"note": _("Tell the author what to change.")})
    return _transition(
        actor=actor, article=article, action="request_changes", note=note
    )


@transaction.atomic
def article_approve(*, actor: User, article: Article, note: str = "") -> Article:
    article.approved_by = actor
    article.approved_at = timezone.now()
    return _transition(actor=actor, article=article, action="approve", note=note)


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
    article.scheduled_by = actor
    article.held_reason = ""
    return _transition(actor=actor, article=article, action="schedule", note=note)


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
    _transition(actor=actor, article=article, action="publish", note=note)
    plan = article.send_on_publish
    if plan:
        from accounts.models import User as UserModel

        sender = actor or UserModel.objects.filter(pk=plan.get("by")).first()
        article_disseminate(
            actor=sender,
            article=article,
            audience=plan["audience"],
            channels=plan["channels"],
            urgent=bool(plan.get("urgent")),
        )
        article.send_on_publish = None
        article.save(update_fields=["send_on_publish"])
    return article


@transaction.atomic
def article_unpublish(*, actor: User, article: Article, note: str = "") -> Article:
    article.unpublished_at = timezone.now()
    return _transition(actor=actor, article=article, action="unpublish", note=note)


def _scheduler(article: Article) -> User | None:
    """Who scheduled ``article`` (older rows: the last "schedule" note)."""
    if article.scheduled_by_id is not None:
        return article.scheduled_by
    note = (
        article.review_notes.filter(action="schedule", author__isnull=False)
        .select_related("author")
        .order_by("-pk")
        .first()
    )
    return note.author if note is not None else None


def _hold_reason(article: Article) -> str:
    """Why the scheduler may not publish ``article`` on their own behalf ("" if
    nothing stands in the way)."""
    scheduler = _scheduler(article)
    if scheduler is None:
        return ""
    if not scheduler.is_active:
        return _("%(name)s, who scheduled it, no longer has an active account.") % {
            "name": scheduler.get_full_name() or scheduler.email
        }
    if not can_article(scheduler, "publish", article):
        return _("%(name)s, who scheduled it, may no longer publish it.") % {
            "name": scheduler.get_full_name() or scheduler.email
        }
    return ""


def article_hold(*, article: Article, reason: str) -> Article:
    """Keep a due article from being published (it stays scheduled, with
    ``reason`` shown on the desk) and tell whoever scheduled it and the
    editors who may publish it; another editor schedules it again."""
    with transaction.atomic():
        article.held_reason = reason[:300]
        article.updated_at = timezone.now()
        article.save(update_fields=["held_reason", "updated_at"])
        ReviewNote.objects.create(
            article=article,
            author=None,
            action="hold",
            status=article.status,
            note=article.held_reason,
        )
        audit_record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=article,
            region_code=article.region_id,
            changes={"held_reason": ["", article.held_reason]},
        )
        notices.article_held_notify(article=article, scheduler=_scheduler(article))
    return article


def articles_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled article whose time has come.

    Idempotent: an article is claimed by a conditional update, so two workers
    never both publish it. Each article is published in its own transaction:
    one that cannot be published (its scheduler lost the right to, a plan that
    no longer validates) is held with the reason and the run goes on."""
    now = now or timezone.now()
    done = 0
    due = Article.objects.filter(
        status=S.SCHEDULED, publish_at__lte=now, held_reason=""
    ).order_by("publish_at", "pk")
    for pk in list(due.values_list("pk", flat=True)[:500]):
        try:
            done += _publish_due_one(pk, now)
        except (PermissionDenied, ValidationError) as exc:
            article = Article.objects.get(pk=pk)
            reason = _("It could not be published: %(error)s") % {
                "error": _error_text(exc)
            }
            article_hold(article=article, reason=reason)
        except Exception:
            # Anything else (a bug, a lost connection): this article is tried
            # again next minute, the others are not kept waiting.
            logger.exception("Scheduled article %s could not be published", pk)
    return done


def _error_text(exc: PermissionDenied | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or _("permission denied")


def _publish_due_one(pk: int, now: datetime) -> int:
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(pk=pk, status=S.SCHEDULED, publish_at__lte=now, held_reason="")
            .first()
        )
        if article is None:
            return 0
        reason = _hold_reason(article)
        if reason:
            article_hold(article=article, reason=reason)
            return 0
        article.published_at = article.published_at or article.publish_at
        article_publish(actor=None, article=article, note="")
        return 1
