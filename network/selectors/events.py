"""Reads of events and their participants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import can, code_scope_q
from network.models import Attendance, Event, Participant
from network.selectors._common import region_q
from network.selectors.kims import kims_coordinated_by

if TYPE_CHECKING:
    from network.selectors._common import AnyUser


def _with_attendance(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        onsite_count=Count(
            "attendances",
            filter=Q(attendances__mode=Attendance.Mode.ONSITE),
            distinct=True,
        ),
        online_count=Count(
            "attendances",
            filter=Q(attendances__mode=Attendance.Mode.ONLINE),
            distinct=True,
        ),
    )


def event_list(
    *,
    q: str = "",
    region_code: str = "",
    kind: str = "",
    published_only: bool = True,
    upcoming: bool | None = None,
) -> QuerySet[Event]:
    """Events held in ``region_code`` (or organised by it), with ``onsite_count``
    and ``online_count`` annotated."""
    events = Event.objects.select_related("region", "organiser_region")
    if published_only:
        events = events.filter(is_published=True)
    if region_code:
        events = events.filter(
            region_q(region_code) | region_q(region_code, "organiser_region_id")
        )
    if kind:
        events = events.filter(kind=kind)
    if upcoming is True:
        events = events.filter(starts_at__gte=timezone.now())
    elif upcoming is False:
        events = events.filter(starts_at__lt=timezone.now())
    if q:
        events = events.filter(
            Q(title__icontains=q) | Q(theme__icontains=q) | Q(venue__icontains=q)
        )
    return _with_attendance(events).order_by("-starts_at", "-pk")


def event_get(*, pk: int, published_only: bool = True) -> Event | None:
    return (
        event_list(published_only=published_only)
        .prefetch_related("speakers", "materials", "invited_regions")
        .filter(pk=pk)
        .first()
    )


def event_list_for_actor(*, actor: AnyUser, **filters: Any) -> QuerySet[Event]:
    """Events the actor's office may manage (organised within their scope)."""
    if not can(actor, "view", "network.event"):
        return Event.objects.none()
    return event_list(published_only=False, **filters).filter(
        code_scope_q(actor, "organiser_region__kode")
    )


def can_manage_event(actor: AnyUser, event: Event) -> bool:
    return can(actor, "change", "network.event", region_code=event.organiser_region_id)


def can_check_in(actor: AnyUser, event: Event) -> bool:
    """Whether ``actor`` may check participants in: the organisers, and the
    coordinator of a KIM in the region where the event is held (or in the
    kecamatan of the village where it is held), who helps at the door."""
    if can_manage_event(actor, event):
        return True
    if getattr(actor, "role", "") != Role.KIM_COORDINATOR:
        return False  # staff check in within their area only (above)
    held = event.region_id or ""
    kecamatan = held[:8]
    own = bool(held) and any(
        code.startswith(held) or code.startswith(kecamatan)
        for code in kims_coordinated_by(actor).values_list("region_id", flat=True)
    )
    return can(actor, "checkin", "network.event", is_own=own)


def event_participants(*, actor: AnyUser, event: Event) -> QuerySet[Participant]:
    """Participants with personal data and attendance, for the organiser."""
    if not can_manage_event(actor, event):
        return Participant.objects.none()
    return (
        event.participants.select_related("person", "kim", "attendance")
        .prefetch_related("attempts")
        .order_by("person__full_name", "pk")
    )


def participant_by_token(*, token: str) -> Participant | None:
    return (
        Participant.objects.select_related("event", "person", "event__region")
        .filter(token=token)
        .first()
    )
