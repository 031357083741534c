"""Reads of the KIM network, for this app's views and API and for other apps.

Other apps (newsroom, factcheck, connectivity, datahub) read the network only
through the functions here. Region filters take Kemendagri codes and include
everything beneath a code (``"64.02"`` = all of Kutai Kartanegara).

Functions that return personal data say so; those that take an ``actor`` apply
the permission layer themselves, the others (``kim_members_for_regions``,
``kim_coordinators_contacts``) are for trusted back-end code such as tasks that
send messages, which must not show what they return to users out of scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, can, code_scope_q
from network.models import (
    Activity,
    Attendance,
    BoardMember,
    Event,
    Forum,
    Kim,
    Membership,
    MonthlyScore,
    Participant,
    QuizAttempt,
)
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


# --- region filters -----------------------------------------------------------------
def activity_region_q(code: str) -> Q:
    """Activities of the KIMs in ``code`` (any level), from the activity's own
    copies of its KIM's kecamatan/kabupaten codes where possible."""
    code = (code or "").strip()
    depth = code.count(".")
    if not code:
        return Q()
    if depth == 0:
        return Q(regency_code__startswith=code + ".")
    if depth == 1:
        return Q(regency_code=code)
    if depth == 2:
        return Q(district_code=code)
    return Q(kim__region__kode=code)


def region_q(
    code: str, field: str = "region_id", *, kim_prefix: str | None = None
) -> Q:
    """Records whose region (at ``field``) is ``code`` or lies beneath it.

    For KIMs (``kim_prefix`` "" for Kim itself, "kim__" through a relation) the
    stored kecamatan/kabupaten codes are used, so the common filters are exact
    matches on an index.
    """
    code = (code or "").strip()
    if not code:
        return Q()
    depth = code.count(".")
    if kim_prefix is not None and field == f"{kim_prefix}region_id":
        if depth == 0:
            return Q(**{f"{kim_prefix}regency_code__startswith": code + "."})
        if depth == 1:
            return Q(**{f"{kim_prefix}regency_code": code})
        if depth == 2:
            return Q(**{f"{kim_prefix}district_code": code})
    lookup = field[:-3] + "__kode" if field.endswith("_id") else field
    return subtree_q(code, lookup)


# --- coordinators -------------------------------------------------------------------
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


# --- KIMs ---------------------------------------------------------------------------
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


def can_see_members(actor: AnyUser, kim: Kim) -> bool:
    """Staff in scope and the KIM's coordinator see members' personal data."""
    return can(
        actor,
        "view",
        "network.member",
        region_code=kim.region_id,
        is_own=is_kim_coordinator(actor, kim),
    )


def kim_members(
    *, actor: AnyUser, kim: Kim, include_former: bool = False
) -> QuerySet[Membership]:
    """Members of a KIM with their personal data, if ``actor`` may see them;
    otherwise an empty queryset."""
    if not can_see_members(actor, kim):
        return Membership.objects.none()
    members = kim.memberships.select_related("person")
    if not include_former:
        members = members.filter(left_on__isnull=True)
    return members.order_by("role", "person__full_name")


def kim_member_count(*, kim: Kim) -> int:
    return kim.memberships.filter(left_on__isnull=True).count()


@dataclass(frozen=True)
class CoordinatorContact:
    kim_id: int
    kim_name: str
    region_code: str
    name: str
    role: str
    phone: str | None
    email: str
    user_id: int | None
    public: bool


def kim_public_contacts(*, kim: Kim) -> list[CoordinatorContact]:
    """The chair's/coordinators' contacts that they agreed to show publicly."""
    return kim_coordinators_contacts(kim_ids=[kim.pk], public_only=True)


def kim_coordinators_contacts(
    *,
    region_codes: Iterable[str] = (),
    kim_ids: Iterable[int] | None = None,
    public_only: bool = False,
    active_kims_only: bool = False,
) -> list[CoordinatorContact]:
    """Contacts (personal data) of the chairs and coordinators of the KIMs in
    ``region_codes`` (or of ``kim_ids``). ``public_only`` keeps those who agreed to
    a public contact. For trusted back-end use (e.g. dissemination tasks)."""
    members = Membership.objects.filter(
        Q(role=Membership.Role.KETUA) | Q(is_coordinator=True),
        left_on__isnull=True,
    ).select_related("person", "kim")
    codes = [c for c in region_codes if c]
    if codes:
        match = Q()
        for code in codes:
            match |= region_q(code, "kim__region_id", kim_prefix="kim__")
        members = members.filter(match)
    if kim_ids is not None:
        members = members.filter(kim_id__in=list(kim_ids))
    elif not codes:
        return []
    if public_only:
        members = members.filter(person__public_contact=True)
    if active_kims_only:
        members = members.filter(kim__status=Kim.Status.ACTIVE)
    return [
        CoordinatorContact(
            kim_id=m.kim_id,
            kim_name=m.kim.name,
            region_code=m.kim.region_id,
            name=m.person.full_name,
            role=m.role,
            phone=m.person.phone,
            email=m.person.email,
            user_id=m.person.user_id,
            public=m.person.public_contact,
        )
        for m in members.order_by("kim__name", "role", "pk")
    ]


def kim_members_for_regions(
    *,
    region_codes: Iterable[str],
    roles: Iterable[str] | None = None,
    active_kims_only: bool = True,
) -> QuerySet[Membership]:
    """Active memberships (with ``person`` and ``kim`` loaded: personal data) of
    the KIMs in ``region_codes``, optionally limited to ``roles``. For trusted
    back-end use, e.g. sending a verdict or an article to the KIMs of a regency."""
    match = Q()
    codes = [c for c in region_codes if c]
    if not codes:
        return Membership.objects.none()
    for code in codes:
        match |= region_q(code, "kim__region_id", kim_prefix="kim__")
    members = Membership.objects.filter(match, left_on__isnull=True).select_related(
        "person", "kim"
    )
    if roles is not None:
        members = members.filter(role__in=list(roles))
    if active_kims_only:
        members = members.filter(kim__status=Kim.Status.ACTIVE)
    return members.order_by("kim_id", "role", "pk")


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


# --- Forums -------------------------------------------------------------------------
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


# --- Activities ---------------------------------------------------------------------
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


# --- Events -------------------------------------------------------------------------
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


@dataclass(frozen=True)
class TrainingResult:
    participants: int
    attended: int
    tested: int  # took both tests
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None


def training_result(*, event: Event) -> TrainingResult:
    """Participants and mean scores of a training; the gain is the mean of
    (post - pre) over participants who took both tests."""
    rows = list(
        QuizAttempt.objects.filter(participant__event=event).values_list(
            "participant_id", "phase", "score"
        )
    )
    by_participant: dict[int, dict[str, int]] = {}
    for pid, phase, score in rows:
        by_participant.setdefault(pid, {})[phase] = score
    pairs = [(s["pre"], s["post"]) for s in by_participant.values() if len(s) == 2]
    pre = [s["pre"] for s in by_participant.values() if "pre" in s]
    post = [s["post"] for s in by_participant.values() if "post" in s]
    return TrainingResult(
        participants=event.participants.count(),
        attended=event.attendances.count(),
        tested=len(pairs),
        mean_pre=round(sum(pre) / len(pre), 1) if pre else None,
        mean_post=round(sum(post) / len(post), 1) if post else None,
        mean_gain=(
            round(sum(b - a for a, b in pairs) / len(pairs), 1) if pairs else None
        ),
    )


@dataclass(frozen=True)
class LiteracyFigure:
    region_code: str
    region_name: str
    trainings: int
    participants: int  # who took both tests
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None


def literacy_figures(*, region: Region) -> list[LiteracyFigure]:
    """The digital-literacy figure of ``region`` and of each of its children
    (kecamatan of a kabupaten, kabupaten of the province), from the trainings held
    there: trainings, participants with both tests, mean pre/post score and mean
    gain. Three queries whatever the number of trainings."""
    depth = {0: 5, 1: 8}.get(region.kode.count("."), len(region.kode))
    attempts = (
        QuizAttempt.objects.filter(
            participant__event__kind=Event.Kind.TRAINING,
            participant__event__is_published=True,
        )
        .filter(region_q(region.kode, "participant__event__region_id"))
        .values_list(
            "participant_id",
            "phase",
            "score",
            "participant__event_id",
            "participant__event__region_id",
        )
    )
    per: dict[int, dict[str, Any]] = {}
    for pid, phase, score, event_id, code in attempts:
        row = per.setdefault(pid, {"event": event_id, "code": code})
        row[phase] = score
    children = list(region.children.order_by("kode").values_list("kode", "name"))
    groups: dict[str, list[dict[str, Any]]] = {region.kode: []}
    for code, _name in children:
        groups[code] = []
    for row in per.values():
        groups[region.kode].append(row)
        child = row["code"][:depth]
        if child in groups and child != region.kode:
            groups[child].append(row)
    names = {region.kode: region.name, **dict(children)}
    figures = []
    for code, rows in groups.items():
        both = [r for r in rows if "pre" in r and "post" in r]
        pre = [r["pre"] for r in both]
        post = [r["post"] for r in both]
        figures.append(
            LiteracyFigure(
                region_code=code,
                region_name=names[code],
                trainings=len({r["event"] for r in rows}),
                participants=len(both),
                mean_pre=round(sum(pre) / len(pre), 1) if pre else None,
                mean_post=round(sum(post) / len(post), 1) if post else None,
                mean_gain=(
                    round(
                        sum(b - a for a, b in zip(pre, post, strict=True)) / len(both),
                        1,
                    )
                    if both
                    else None
                ),
            )
        )
    return figures


# --- Dashboards ---------------------------------------------------------------------
def _months_back(today: date, n: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return sorted(months)


@dataclass
class RegionDashboard:
    region: Region
    kims: int
    active: int
    by_status: dict[str, int]
    by_level: dict[str, int]
    by_child: list[dict[str, Any]]  # code, name, kims, active
    activities_by_month: list[tuple[date, int]]
    activities_by_kind: dict[str, int]
    pending_reviews: int
    events: int
    events_upcoming: int
    attendance_onsite: int
    attendance_online: int
    literacy: list[LiteracyFigure]

    @property
    def active_share(self) -> float:
        return round(100 * self.active / self.kims, 1) if self.kims else 0.0


def region_dashboard(*, region: Region, months: int = 12) -> RegionDashboard:
    """Figures of the KIM network in a region and its children, in a fixed number
    of queries (no per-KIM or per-child queries): KIMs per child region and their
    active share, approved activities per month (last ``months``) and per kind,
    events and attendance, digital-literacy figures."""
    code = region.kode
    depth = {0: 5, 1: 8}.get(code.count("."), len(code))
    kims = Kim.objects.filter(region_q(code, kim_prefix=""))
    # KIMs by child region and status (one query).
    child_rows = (
        kims.annotate(child=Substr("region_id", 1, depth))
        .values("child", "status")
        .annotate(n=Count("pk"))
    )
    by_status: dict[str, int] = dict.fromkeys(Kim.Status.values, 0)
    per_child: dict[str, dict[str, int]] = {}
    for row in child_rows:
        by_status[row["status"]] += row["n"]
        entry = per_child.setdefault(row["child"], {"kims": 0, "active": 0})
        entry["kims"] += row["n"]
        if row["status"] == Kim.Status.ACTIVE:
            entry["active"] += row["n"]
    by_level = dict.fromkeys(Kim.Level.values, 0)
    for level_row in kims.values("level").annotate(n=Count("pk")):
        by_level[level_row["level"]] = level_row["n"]
    by_child = [
        {
            "code": kode,
            "name": name,
            "kims": per_child.get(kode, {}).get("kims", 0),
            "active": per_child.get(kode, {}).get("active", 0),
        }
        for kode, name in region.children.order_by("kode").values_list("kode", "name")
    ]
    # Activities.
    today = timezone.localdate()
    month_list = _months_back(today, months)
    activities = Activity.objects.filter(activity_region_q(code))
    rows = (
        activities.filter(status=Activity.Status.APPROVED, date__gte=month_list[0])
        # "YYYY-MM" of the ISO date: native on SQLite and PostgreSQL alike.
        .annotate(m=Substr(Cast("date", CharField()), 1, 7))
        .values("m", "kind")
        .annotate(n=Count("pk"))
    )
    per_month: dict[date, int] = {}
    by_kind = dict.fromkeys(Activity.Kind.values, 0)
    for month_row in rows:
        key, n = month_row["m"], month_row["n"]
        month = date(int(key[:4]), int(key[5:7]), 1)
        per_month[month] = per_month.get(month, 0) + n
        by_kind[month_row["kind"]] = by_kind.get(month_row["kind"], 0) + n
    pending = activities.filter(status=Activity.Status.SUBMITTED).count()
    # Events held in the region.
    events = Event.objects.filter(is_published=True).filter(region_q(code))
    event_stats = events.aggregate(
        total=Count("pk", distinct=True),
        upcoming=Count("pk", filter=Q(starts_at__gte=timezone.now()), distinct=True),
    )
    attendance = (
        Attendance.objects.filter(event__in=events.values("pk"))
        .values("mode")
        .annotate(n=Count("pk"))
    )
    att = {row["mode"]: row["n"] for row in attendance}
    return RegionDashboard(
        region=region,
        kims=sum(by_status.values()),
        active=by_status[Kim.Status.ACTIVE],
        by_status=by_status,
        by_level=by_level,
        by_child=by_child,
        activities_by_month=[(m, per_month.get(m, 0)) for m in month_list],
        activities_by_kind=by_kind,
        pending_reviews=pending,
        events=event_stats["total"] or 0,
        events_upcoming=event_stats["upcoming"] or 0,
        attendance_onsite=att.get(Attendance.Mode.ONSITE, 0),
        attendance_online=att.get(Attendance.Mode.ONLINE, 0),
        literacy=literacy_figures(region=region),
    )


def kim_counts_for_region(*, region: Region) -> dict[str, int]:
    """Number of KIMs (all, active) in a region: for region pages."""
    row = Kim.objects.filter(region_q(region.kode, kim_prefix="")).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Kim.Status.ACTIVE))
    )
    return {"total": row["total"] or 0, "active": row["active"] or 0}


def pending_reviews_for_actor(*, actor: AnyUser) -> int:
    if not can(actor, "review", "network.activity"):
        return 0
    return activity_list_for_actor(
        actor=actor, status=Activity.Status.SUBMITTED
    ).count()


# --- Writers and boards (used by newsroom) -------------------------------------
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


def member_region_by_phone(*, phone: str) -> Region | None:
    """The village (or other region) of the KIM that the person with this
    phone number (E.164) is a current member of; ``None`` when they are not a
    member.  For the fact-check tipline: a member's tip counts for their KIM's
    region.  With several memberships, the oldest counts."""
    if not phone:
        return None
    membership = (
        Membership.objects.filter(
            person__phone=phone, left_on__isnull=True, kim__region__isnull=False
        )
        .select_related("kim__region")
        .order_by(F("joined_on").asc(nulls_last=True), "pk")
        .first()
    )
    return membership.kim.region if membership is not None else None


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


def training_by_region(
    *, scope: str, length: int, since: date
) -> dict[str, dict[str, float | None]]:
    """People who attended a digital-literacy training held in the region since
    ``since``, and their mean post-test minus pre-test score (people with both)."""
    attended = Attendance.objects.filter(
        subtree_q(scope, "event__region__kode"),
        event__kind=Event.Kind.TRAINING,
        event__starts_at__date__gte=since,
    )
    out: dict[str, dict[str, float | None]] = {}
    for row in (
        attended.annotate(code=Substr("event__region_id", 1, length))
        .values("code")
        .annotate(n=Count("participant__person_id", distinct=True))
    ):
        out[row["code"]] = {"trained": row["n"], "gain": None}
    scores: dict[str, dict[int, dict[str, int]]] = {}
    for attempt in (
        QuizAttempt.objects.filter(participant__attendance__in=attended.values("pk"))
        .annotate(code=Substr("participant__event__region_id", 1, length))
        .values_list("code", "participant_id", "phase", "score")
    ):
        code, participant, phase, score = attempt
        scores.setdefault(code, {}).setdefault(participant, {})[phase] = score
    for code, people in scores.items():
        gains = [p["post"] - p["pre"] for p in people.values() if len(p) == 2]
        if gains and code in out:
            out[code]["gain"] = sum(gains) / len(gains)
    return out
