"""The KIM network's figures of a region, for its dashboard and for datahub."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from network.models import Activity, Attendance, Event, Kim
from network.selectors._common import activity_region_q, region_q
from network.selectors.trainings import LiteracyFigure, literacy_figures
from regions.models import Region


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
