"""Reads of KIMs: the public registry, the KIMs an account coordinates or manages,
map points and counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Substr

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, code_scope_q
from network.models import Kim, Membership, MonthlyScore
from network.selectors._common import region_q
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from network.selectors._common import AnyUser


def _coordinating_memberships(user_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        Q(role=Membership.Role.KETUA) | Q(is_coordinator=True),
        person__user_id=user_id,
        left_on__isnull=True,
    )


def kims_coordinated_by(user: AnyUser) -> QuerySet[Kim]:
    """The KIMs that ``user`` coordinates: those where the person linked to the
    account (``Person.user``) holds an active membership as chair (``ketua``) or
    marked ``is_coordinator``. Only accounts with the ``kim_coordinator`` role
    coordinate; everyone else gets an empty queryset."""
    if (
        not user.is_authenticated
        or not user.is_active
        or getattr(user, "role", "") != Role.KIM_COORDINATOR
    ):
        return Kim.objects.none()
    ids = _coordinating_memberships(user.pk).values("kim_id")
    return Kim.objects.filter(pk__in=ids)


def is_kim_coordinator(user: AnyUser, kim: Kim) -> bool:
    """Whether ``user`` coordinates ``kim`` (the ``is_own`` of the permission rules)."""
    return kims_coordinated_by(user).filter(pk=kim.pk).exists()


def kim_list(
    *,
    q: str = "",
    region_code: str = "",
    status: str = "",
    level: str = "",
    focus: str = "",
) -> QuerySet[Kim]:
    """The public registry: KIMs filtered by text (name, village, district), region
    code (any level), status, maturity level and focus area. Public fields only."""
    kims = Kim.objects.select_related("region", "region__parent")
    if region_code:
        kims = kims.filter(region_q(region_code, kim_prefix=""))
    if status:
        kims = kims.filter(status=status)
    if level:
        kims = kims.filter(level=level)
    if focus:
        kims = kims.filter(focus_areas__icontains=f'"{focus}"')
    q = (q or "").strip()
    if q:
        kims = kims.filter(
            Q(name__icontains=q)
            | Q(region__name__icontains=q)
            | Q(region__parent__name__icontains=q)
        )
    return kims.order_by("name", "pk")


def kim_formed_since(*, region_code: str, since: datetime) -> bool:
    """Whether a KIM was formed in the region (or beneath it) on or after
    ``since`` (a date or a time)."""
    return Kim.objects.filter(subtree_q(region_code), created_at__gte=since).exists()


def kim_get(*, pk: int) -> Kim | None:
    """One KIM with its region (public fields), or None."""
    return Kim.objects.select_related("region", "region__parent").filter(pk=pk).first()


def kim_list_for_actor(*, actor: AnyUser, **filters: Any) -> QuerySet[Kim]:
    """The KIMs an account may manage: staff their region's, a coordinator their
    own, anyone else none."""
    kims = kim_list(**filters)
    if actor.is_authenticated and actor.is_superuser:
        return kims
    role = getattr(actor, "role", "")
    if role in STAFF_ROLES:
        return kims.filter(code_scope_q(actor, "region__kode"))
    if role == Role.KIM_COORDINATOR:
        return kims.filter(pk__in=kims_coordinated_by(actor).values("pk"))
    return kims.none()


def kims_reporting_for(actor: AnyUser) -> QuerySet[Kim]:
    """The KIMs whose activities an account may report: those it manages, and
    for KIM members and coordinators the KIMs they belong to."""
    managed = kim_list_for_actor(actor=actor)
    if getattr(actor, "role", "") not in (Role.KIM_MEMBER, Role.KIM_COORDINATOR):
        return managed
    own = kims_of_user(actor).values("pk")
    return Kim.objects.filter(Q(pk__in=managed.values("pk")) | Q(pk__in=own))


def kim_get_for_actor(*, actor: AnyUser, pk: int) -> Kim | None:
    return kim_list_for_actor(actor=actor).filter(pk=pk).first()


def kim_map_points(**filters: Any) -> list[dict[str, Any]]:
    """KIMs as map points: their own location, else their village's
    representative point (one query)."""
    rows = kim_list(**filters).values(
        "pk",
        "name",
        "status",
        "level",
        "lat",
        "lng",
        "region_id",
        "region__name",
        "region__rep_lat",
        "region__rep_lng",
    )
    return [
        {
            "id": r["pk"],
            "name": r["name"],
            "status": r["status"],
            "level": r["level"],
            "region_code": r["region_id"],
            "region": r["region__name"],
            "lat": r["lat"] if r["lat"] is not None else r["region__rep_lat"],
            "lng": r["lng"] if r["lng"] is not None else r["region__rep_lng"],
        }
        for r in rows
    ]


def kim_counts_for_region(*, region: Region) -> dict[str, int]:
    """Number of KIMs (all, active) in a region: for region pages."""
    row = Kim.objects.filter(region_q(region.kode, kim_prefix="")).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Kim.Status.ACTIVE))
    )
    return {"total": row["total"] or 0, "active": row["active"] or 0}


def kims_of_user(user: AnyUser) -> QuerySet[Kim]:
    """The KIMs in which the person linked to ``user`` (``Person.user``) holds an
    active membership, whatever its role: where a KIM member or coordinator may
    write articles. Empty for anonymous and inactive accounts."""
    if not user.is_authenticated or not user.is_active:
        return Kim.objects.none()
    ids = Membership.objects.filter(
        person__user_id=user.pk, left_on__isnull=True
    ).values("kim_id")
    return Kim.objects.filter(pk__in=ids)


# Per-region aggregates for datahub's vulnerability index: one grouped query each,
# keyed on the first ``length`` characters of the region code (5: kabupaten,
# 8: kecamatan, 13: desa) under ``scope``.


def kim_reach_by_region(
    *, scope: str, length: int, since: date
) -> dict[str, dict[str, float]]:
    """Active KIMs, their active members and their mean monthly activity score
    (months from ``since``) per region."""
    active = Kim.objects.filter(subtree_q(scope), status=Kim.Status.ACTIVE)
    out: dict[str, dict[str, float]] = {}
    for row in (
        active.annotate(code=Substr("region_id", 1, length))
        .values("code")
        .annotate(kims=Count("pk"))
    ):
        out[row["code"]] = {"kims": row["kims"], "members": 0, "activity": 0.0}
    for members in (
        Membership.objects.filter(kim__in=active, left_on__isnull=True)
        .annotate(code=Substr("kim__region_id", 1, length))
        .values("code")
        .annotate(n=Count("person_id", distinct=True))
    ):
        out.setdefault(members["code"], {"kims": 0, "members": 0, "activity": 0.0})
        out[members["code"]]["members"] = members["n"]
    for mean in (
        MonthlyScore.objects.filter(kim__in=active, month__gte=since)
        .annotate(code=Substr("kim__region_id", 1, length))
        .values("code")
        .annotate(mean=Avg("score"))
    ):
        if mean["code"] in out:
            out[mean["code"]]["activity"] = float(mean["mean"] or 0)
    return out


def kims_by_province(codes: list[str]) -> dict[str, int]:
    """The number of KIMs (not dissolved) in each province of ``codes``."""
    from regions.tallies import count_by_province

    return count_by_province(
        Kim.objects.exclude(status=Kim.Status.DISSOLVED), "regency_code", codes
    )


def members_by_province(codes: list[str]) -> dict[str, int]:
    """The number of current KIM memberships in each province of ``codes``."""
    from regions.tallies import count_by_province

    return count_by_province(
        Membership.objects.filter(left_on__isnull=True), "kim__regency_code", codes
    )
