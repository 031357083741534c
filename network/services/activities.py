"""Activities KIMs report, and their review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audited_update
from network import selectors
from network.models import (
    Activity,
    ActivityPhoto,
    Kim,
)
from network.services._common import (
    _check_links,
    _check_not_future,
    _require,
    _save,
)
from network.uploads import IMAGE, check_upload

MAX_PHOTOS = 10


@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    kim: Kim,
    kind: str,
    title: str,
    date: date,
    place: str = "",
    participants: int = 0,
    description: str = "",
    focus: str = "",
    links: Sequence[str] = (),
    photos: Sequence[Any] = (),
) -> Activity:
    """Report what a KIM did (its coordinator or members, or staff in scope).
    Photos are checked by content (JPEG/PNG/WebP, ≤ 10 MB each); a bad one stores
    nothing."""
    if actor is not None:
        _require(
            actor,
            "create",
            "network.activity",
            region_code=kim.region_id,
            is_own=selectors.kims_reporting_for(actor).filter(pk=kim.pk).exists(),
        )
    _check_not_future(date, "date")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}}
        )
    for photo in photos:
        check_upload(photo, kinds={IMAGE}, field="photos")
    activity = Activity(
        kim=kim,
        kind=kind,
        focus=focus or "",
        title=(title or "").strip(),
        date=date,
        place=(place or "").strip(),
        participants=participants or 0,
        description=description or "",
        links=_check_links(links),
        reported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _save(activity)
    for photo in photos:
        ActivityPhoto.objects.create(activity=activity, image=photo)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=activity,
        region_code=kim.region_id,
        changes={"kind": kind, "date": str(date), "photos": len(photos)},
    )
    return activity


@transaction.atomic
def activity_review(
    *, actor: User | None, activity: Activity, approve: bool, note: str = ""
) -> Activity:
    """Approve or reject a report (regency/district staff in scope); the KIM's
    monthly score is recomputed after the commit."""
    _require(actor, "review", "network.activity", region_code=activity.kim.region_id)
    activity.status = Activity.Status.APPROVED if approve else Activity.Status.REJECTED
    activity.review_note = (note or "").strip()[:500]
    activity.reviewed_by = actor
    activity.reviewed_at = timezone.now()
    audited_update(actor, activity, activity.kim.region_id, {"status": activity.status})
    kim_id = activity.kim_id

    def _enqueue() -> None:
        from network.tasks import kim_score_task

        kim_score_task.enqueue(kim_id)

    transaction.on_commit(_enqueue)
    return activity
