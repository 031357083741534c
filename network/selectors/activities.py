"""Reads of KIM activities and their review queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from accounts.permissions import can
from network.models import Activity
from network.selectors._common import activity_region_q
from network.selectors.kims import kim_list_for_actor

if TYPE_CHECKING:
    from network.selectors._common import AnyUser


def activity_list(
    *,
    q: str = "",
    region_code: str = "",
    kim_id: int | None = None,
    kind: str = "",
    status: str | None = Activity.Status.APPROVED,
) -> QuerySet[Activity]:
    """Activities (approved ones by default: what the public sees)."""
    activities = Activity.objects.select_related("kim", "kim__region")
    if status:
        activities = activities.filter(status=status)
    if region_code:
        activities = activities.filter(activity_region_q(region_code))
    if kim_id is not None:
        activities = activities.filter(kim_id=kim_id)
    if kind:
        activities = activities.filter(kind=kind)
    if q:
        activities = activities.filter(
            Q(title__icontains=q) | Q(kim__name__icontains=q) | Q(place__icontains=q)
        )
    return activities.order_by("-date", "-pk")


def activity_list_for_actor(
    *, actor: AnyUser, status: str | None = None, **filters: Any
) -> QuerySet[Activity]:
    """Activities of the KIMs the actor manages, any status."""
    kims = kim_list_for_actor(actor=actor).values("pk")
    return activity_list(status=status, **filters).filter(kim_id__in=kims)


def pending_reviews_for_actor(*, actor: AnyUser) -> int:
    if not can(actor, "review", "network.activity"):
        return 0
    return activity_list_for_actor(
        actor=actor, status=Activity.Status.SUBMITTED
    ).count()
