"""Reads of the Forum KIM and their boards."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from network.models import BoardMember, Forum
from network.selectors._common import region_q


def forum_list(*, region_code: str = "", q: str = "") -> QuerySet[Forum]:
    forums = Forum.objects.select_related("region").annotate(
        kim_count=Count("kims", distinct=True)
    )
    if region_code:
        forums = forums.filter(region_q(region_code))
    if q:
        forums = forums.filter(Q(name__icontains=q) | Q(region__name__icontains=q))
    return forums.order_by("region_id")


def forum_get(*, pk: int) -> Forum | None:
    return forum_list().filter(pk=pk).first()


def forum_board_members_for_regions(
    *, region_codes: Iterable[str]
) -> QuerySet[BoardMember]:
    """Board seats (with ``person`` and ``forum`` loaded: personal data) of the
    Forum KIM of ``region_codes`` and of the forums beneath them. For trusted
    back-end use, e.g. sending an article to the Forum KIM boards of a regency."""
    codes = [c for c in region_codes if c]
    if not codes:
        return BoardMember.objects.none()
    match = Q()
    for code in codes:
        match |= region_q(code, "forum__region_id")
    return (
        BoardMember.objects.filter(match)
        .select_related("person", "forum")
        .order_by("forum_id", "order", "pk")
    )
