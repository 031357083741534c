from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import can, code_scope_q
from datahub import workdays
from datahub.models import (
    Dataset,
    InfoRequest,
    NonWorkingDay,
    Objection,
    Office,
    Resource,
    ResourceVersion,
    Topic,
)
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from accounts.models import User

AnyUser = "User | AnonymousUser"
STAFF = frozenset({Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN, Role.DISTRICT_OPERATOR})


# --- offices and topics -----------------------------------------------------------


def office_list() -> QuerySet[Office]:
    return Office.objects.select_related("region").order_by("region_id", "name")


def office_get(*, slug_or_id: str) -> Office | None:
    return office_list().filter(_slug_or_id(slug_or_id)).first()


def offices_for_staff(*, actor: User) -> QuerySet[Office]:
    if not can(actor, "create", "datahub.dataset"):
        return Office.objects.none()
    return office_list().filter(code_scope_q(actor, "region__kode"))


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.order_by("title")


def topic_get(*, slug_or_id: str) -> Topic | None:
    return Topic.objects.filter(_slug_or_id(slug_or_id)).first()


def _slug_or_id(value: str) -> Q:
    import uuid

    try:
        return Q(pk=uuid.UUID(value)) | Q(slug=value)
    except ValueError:
        return Q(slug=value)


# --- datasets -------------------------------------------------------------------


def _with_related(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("office", "office__region", "topic", "region")


def published_datasets() -> QuerySet[Dataset]:
    return _with_related(Dataset.objects.filter(status=Dataset.Status.PUBLISHED))


def dataset_search(
    *,
    q: str = "",
    topic: str = "",
    office: str = "",
    region: str = "",
    kind: str = "",
    fmt: str = "",
) -> QuerySet[Dataset]:
    """Published datasets matching words and filters (region: the code and below)."""
    datasets = published_datasets()
    for word in q.split()[:10]:
        datasets = datasets.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(office__name__icontains=word)
            | Q(region__name__icontains=word)
            | Q(keywords__icontains=word)
        )
    if topic:
        datasets = datasets.filter(topic__slug=topic)
    if office:
        datasets = datasets.filter(office__slug=office)
    if region:
        datasets = datasets.filter(subtree_q(region))
    if kind in Dataset.Kind.values:
        datasets = datasets.filter(kind=kind)
    if fmt == "live":
        datasets = datasets.filter(resources__kind=Resource.Kind.LIVE).distinct()
    elif fmt in ("csv", "xlsx"):
        ext = {"csv": ".csv", "xlsx": ".xlsx"}[fmt]
        datasets = datasets.filter(
            resources__current__original_name__iendswith=ext
        ).distinct()
    return datasets.order_by("-updated_at", "title")


def dataset_get_public(*, slug_or_id: str) -> Dataset | None:
    return (
        published_datasets()
        .filter(_slug_or_id(slug_or_id))
        .prefetch_related(_resources_prefetch())
        .first()
    )


def _resources_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "resources",
        queryset=Resource.objects.select_related("current")
        .defer("current__rows")
        .order_by("created_at"),
    )


def datasets_for_staff(*, actor: User) -> QuerySet[Dataset]:
    """Every dataset (drafts included) of offices in the actor's region."""
    if not can(actor, "view", "datahub.dataset"):
        return Dataset.objects.none()
    return _with_related(
        Dataset.objects.filter(code_scope_q(actor, "office__region__kode"))
    )


def dataset_get_for_staff(*, actor: User, slug: str) -> Dataset | None:
    return (
        datasets_for_staff(actor=actor)
        .filter(slug=slug)
        .prefetch_related(_resources_prefetch())
        .first()
    )


def resource_versions(*, resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.defer("rows").select_related("created_by")


def resource_version_get(
    *, resource: Resource, number: int | None = None
) -> ResourceVersion | None:
    """A version of a resource (its current one when ``number`` is None)."""
    if number is None:
        if resource.current_id is None:
            return None
        return ResourceVersion.objects.filter(pk=resource.current_id).first()
    return resource.versions.filter(number=number).first()


def latest_version(*, resource: Resource) -> ResourceVersion | None:
    return resource.versions.defer("rows").order_by("-number").first()


# --- indicators -----------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChart:
    dataset: Dataset
    title: str
    value_column: str
    unit: str
    bars: list[tuple[str, str, float]]  # (code, name, value)
    highlight: str  # region code to highlight ("" for none)
    maximum: float
    # Stacked charts: the parts' labels, and each bar's parts (by region code).
    segments: list[tuple[str, str]] = field(default_factory=list)  # (column, label)
    parts: dict[str, list[float]] = field(default_factory=dict)


def indicator_datasets(*, region: Region) -> QuerySet[Dataset]:
    return published_datasets().filter(kind=Dataset.Kind.INDICATOR, region=region)


def indicator_charts(*, region: Region) -> list[IndicatorChart]:
    """Bar charts for a region's page: its children compared, or (for a kecamatan)
    the kecamatan of its kabupaten with this one highlighted."""
    from datahub.indicators import registry

    parent: Region | None
    if region.level in (Region.Level.PROVINCE, Region.Level.REGENCY):
        parent, highlight = region, ""
    elif region.level == Region.Level.DISTRICT and region.parent_id:
        parent, highlight = region.parent, region.kode
    else:
        return []
    if parent is None:
        return []
    charts: list[IndicatorChart] = []
    datasets = (
        indicator_datasets(region=parent)
        .select_related("topic")
        .prefetch_related(
            Prefetch("resources", queryset=Resource.objects.select_related("current"))
        )
    )
    known = registry()
    for dataset in sorted(
        datasets,
        key=lambda d: list(known).index(d.indicator) if d.indicator in known else 99,
    ):
        indicator = known.get(dataset.indicator)
        resource = next(iter(dataset.resources.all()), None)
        version = resource.current if resource else None
        if indicator is None or version is None:
            continue
        names = version.column_names
        if indicator.value_column not in names:
            continue
        vi = names.index(indicator.value_column)
        bars = [
            (str(row[0]), str(row[1]), float(row[vi] or 0))
            for row in version.rows
            if row[0]
        ]
        if not any(b[2] for b in bars):
            continue  # nothing recorded yet (e.g. no KIM registered): no chart
        segments: list[tuple[str, str]] = []
        parts: dict[str, list[float]] = {}
        if indicator.segments and all(c in names for c, _ in indicator.segments):
            segments = list(indicator.segments)
            positions = [names.index(c) for c, _ in segments]
            parts = {
                str(row[0]): [float(row[i] or 0) for i in positions]
                for row in version.rows
                if row[0]
            }
        charts.append(
            IndicatorChart(
                dataset=dataset,
                title=indicator.chart_title,
                value_column=indicator.value_column,
                unit=indicator.unit,
                bars=bars,
                highlight=highlight,
                maximum=max([b[2] for b in bars] or [0]) or 1,
                segments=segments,
                parts=parts,
            )
        )
    return charts


# --- information requests (PPID) --------------------------------------------------


def days_off_for(years: list[int] | set[int] | range) -> frozenset[date]:
    extra = NonWorkingDay.objects.filter(date__year__in=list(years)).values_list(
        "date", flat=True
    )
    return workdays.days_off(years, extra)


def today_local() -> date:
    return timezone.localdate()


def working_days_left(*, due: date, today: date | None = None) -> int:
    today = today or today_local()
    off = days_off_for(range(min(today, due).year, max(today, due).year + 1))
    return workdays.working_days_until(today, due, off)


def can_see_contact(user: User | AnonymousUser, request: InfoRequest) -> bool:
    """Only the responsible office's own staff (accounts bound to the office's
    region) see a requester's contact data; staff above them see the request
    without it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        getattr(user, "role", "") in STAFF
        and getattr(user, "region_id", None) == request.office.region_id
    )


def info_requests_for_staff(
    *, actor: User, status: str = "", office: str = "", year: int | None = None
) -> QuerySet[InfoRequest]:
    if not can(actor, "view", "datahub.request"):
        return InfoRequest.objects.none()
    requests = InfoRequest.objects.select_related("office", "office__region").filter(
        code_scope_q(actor, "office__region__kode")
    )
    if status == "open":
        requests = requests.filter(
            status__in=[InfoRequest.Status.RECEIVED, InfoRequest.Status.EXTENDED]
        )
    elif status in InfoRequest.Status.values:
        requests = requests.filter(status=status)
    if office:
        requests = requests.filter(office__slug=office)
    if year:
        requests = requests.filter(received_on__year=year)
    return requests.order_by("due_on", "created_at")


def info_request_get_for_staff(*, actor: User, pk: int) -> InfoRequest | None:
    return (
        info_requests_for_staff(actor=actor)
        .prefetch_related("documents", "objections")
        .filter(pk=pk)
        .first()
    )


def info_request_get_public(
    *, number: str, key: str | None = None
) -> InfoRequest | None:
    """A request by tracking number; with the secret key from the receipt the
    answer is readable too (the caller decides what to show without it)."""
    found = (
        InfoRequest.objects.select_related("office", "office__region", "answer_dataset")
        .prefetch_related("documents", "objections")
        .filter(tracking_number=number.strip().upper())
        .first()
    )
    if found is None:
        return None
    if key is not None:
        import secrets

        if not secrets.compare_digest(found.access_key, key):
            return None
    return found


@dataclass(frozen=True)
class OfficeReport:
    office: Office
    received: int
    answered: int
    refused: int
    open: int
    extended: int
    late: int
    objections: int
    average_days: float | None
    refusals: dict[str, int]


def ppid_report(*, actor: User, year: int) -> list[OfficeReport]:
    """Requests received in ``year`` per office in the actor's region: how many were
    answered, refused (by legal reason), extended, answered late, and the average
    working days taken."""
    if not can(actor, "report", "datahub.request"):
        return []
    requests = list(
        info_requests_for_staff(actor=actor, year=year).order_by("office", "pk")
    )
    off = days_off_for(range(year, year + 2))
    today = today_local()
    objections = dict(
        Objection.objects.filter(request__in=[r.pk for r in requests])
        .values_list("request__office")
        .annotate(n=Count("pk"))
        .values_list("request__office", "n")
    )
    by_office: dict[Any, list[InfoRequest]] = {}
    for request in requests:
        by_office.setdefault(request.office, []).append(request)
    reports: list[OfficeReport] = []
    for office, items in sorted(by_office.items(), key=lambda kv: kv[0].region_id):
        closed = [r for r in items if r.closed_at is not None]
        taken = [
            workdays.working_days_between(
                r.received_on, timezone.localdate(r.closed_at), off
            )
            for r in closed
            if r.closed_at is not None
        ]
        refusals: dict[str, int] = {}
        for r in items:
            if r.status == InfoRequest.Status.REFUSED:
                refusals[r.refusal_reason] = refusals.get(r.refusal_reason, 0) + 1
        reports.append(
            OfficeReport(
                office=office,
                received=len(items),
                answered=sum(r.status == InfoRequest.Status.ANSWERED for r in items),
                refused=sum(r.status == InfoRequest.Status.REFUSED for r in items),
                open=sum(r.is_open for r in items),
                extended=sum(r.extended_at is not None for r in items),
                late=sum(
                    1
                    for r in closed
                    if r.closed_at is not None
                    and timezone.localdate(r.closed_at) > r.due_on
                )
                + sum(1 for r in items if r.is_open and r.due_on < today),
                objections=objections.get(office.pk, 0),
                average_days=round(sum(taken) / len(taken), 1) if taken else None,
                refusals=refusals,
            )
        )
    return reports
