"""``/api/v1/data/``: datasets, indicators, offices and information requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from accounts.api_auth import api_user, token_or_session
from accounts.permissions import can
from core.api import found_or_404
from core.inputs import parse_year
from core.pagination import PAGE_SIZE_MAX, Mapped, paged
from core.throttling import ScopedThrottle, api_throttles
from datahub import selectors, services, vulnerability_selectors
from datahub.messages import describe_errors, describe_personal
from datahub.models import (
    Dataset,
    InfoRequest,
    Office,
    Resource,
    ResourceVersion,
    Topic,
)
from regions.selectors import region_get

router = Router(tags=["data"])


class OfficeOut(Schema):
    id: str
    slug: str
    name: str
    kind: str
    region: str


class TopicOut(Schema):
    id: str
    slug: str
    title: str


class DatasetOut(Schema):
    id: str
    slug: str
    title: str
    description: str
    office: OfficeOut
    topic: TopicOut
    region: str
    keywords: list[str]
    period_start: date | None
    period_end: date | None
    frequency: str
    licence: str
    unit: str
    kind: str
    indicator: str
    status: str
    published_at: datetime | None
    updated_at: datetime
    url: str


class ColumnOut(Schema):
    name: str
    type: str


class ResourceOut(Schema):
    id: str
    name: str
    description: str
    kind: str
    version: int | None
    rows: int
    columns: list[ColumnOut]
    downloads: dict[str, str] | None


class DatasetDetail(DatasetOut):
    resources: list[ResourceOut]


class DatasetFilters(Schema):
    q: str = Field("", max_length=100)
    topic: str = Field("", max_length=100)
    office: str = Field("", max_length=100)
    region: str = Field("", max_length=13)
    kind: str = Field("", max_length=20)


class DatasetIn(Schema):
    office: str
    title: str
    description: str
    topic: str
    frequency: str
    licence: str = "cc-by"
    keywords: list[str] = []
    period_start: date | None = None
    period_end: date | None = None
    unit: str = ""


class CellErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class PersonalOut(Schema):
    column: str
    reason: str
    rows: list[int]
    message: str


class VersionOut(Schema):
    resource: str
    number: int
    status: str
    rows: int
    columns: list[ColumnOut]
    error_count: int
    errors: list[CellErrorOut]
    personal_data: list[PersonalOut]


class TableOut(Schema):
    columns: list[ColumnOut]
    version: int
    count: int
    rows: list[list[Any]]


def _downloads(dataset: Dataset, resource: Resource) -> dict[str, str]:
    return {
        fmt: reverse(
            "datahub:download",
            kwargs={"slug": dataset.slug, "resource": resource.id, "fmt": fmt},
        )
        for fmt in ("csv", "xlsx", "json")
    }


def _office(office: Office) -> dict[str, Any]:
    return {
        "id": str(office.id),
        "slug": office.slug,
        "name": office.name,
        "kind": office.kind,
        "region": office.region_id,
    }


def _topic(topic: Topic) -> dict[str, Any]:
    return {"id": str(topic.id), "slug": topic.slug, "title": topic.title}


def _dataset(dataset: Dataset) -> dict[str, Any]:
    return {
        "id": str(dataset.id),
        "slug": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "office": _office(dataset.office),
        "topic": _topic(dataset.topic),
        "region": dataset.region_id,
        "keywords": dataset.keywords,
        "period_start": dataset.period_start,
        "period_end": dataset.period_end,
        "frequency": dataset.frequency,
        "licence": dataset.licence,
        "unit": dataset.unit,
        "kind": dataset.kind,
        "indicator": dataset.indicator,
        "status": dataset.status,
        "published_at": dataset.published_at,
        "updated_at": dataset.updated_at,
        "url": dataset.get_absolute_url(),
    }


def _detail(dataset: Dataset) -> dict[str, Any]:
    data = _dataset(dataset)
    data["resources"] = [
        {
            "id": str(r.id),
            "name": r.name,
            "description": r.description,
            "kind": r.kind,
            "version": r.current.number if r.current else None,
            "rows": r.current.row_count if r.current else 0,
            "columns": r.columns,
            "downloads": _downloads(dataset, r) if r.current else None,
        }
        for r in dataset.resources.all()
    ]
    return data


def _version(version: ResourceVersion) -> dict[str, Any]:
    return {
        "resource": str(version.resource_id),
        "number": version.number,
        "status": version.status,
        "rows": version.row_count,
        "columns": version.columns,
        "error_count": version.error_count,
        "errors": describe_errors(version.errors),
        "personal_data": describe_personal(version.personal_data),
    }


@router.get("/datasets", response=list[DatasetOut])
@paged(50)
def list_datasets(request: HttpRequest, filters: Query[DatasetFilters]) -> Mapped:
    """Published datasets, searched (``q``) and filtered, paginated."""
    datasets = selectors.dataset_search(
        q=filters.q,
        topic=filters.topic,
        office=filters.office,
        region=filters.region,
        kind=filters.kind,
    )
    return Mapped(datasets, _dataset)


@router.get("/datasets/{slug}", response=DatasetDetail)
def get_dataset(request: HttpRequest, slug: str) -> dict[str, Any]:
    dataset = found_or_404(
        selectors.dataset_get_public(slug_or_id=slug), "Dataset tidak ditemukan."
    )
    return _detail(dataset)


class RowsQuery(Schema):
    version: int | None = None
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)


@router.get("/datasets/{slug}/resources/{resource_id}/rows", response=TableOut)
def get_rows(
    request: HttpRequest,
    slug: str,
    resource_id: str,
    params: Query[RowsQuery],
) -> dict[str, Any]:
    """A table's rows (the current version, or ``version``)."""
    dataset = selectors.dataset_get_public(slug_or_id=slug)
    resource = (
        dataset.resources.filter(pk=resource_id).first()
        if dataset is not None and _is_uuid(resource_id)
        else None
    )
    found = (
        selectors.resource_version_get(resource=resource, number=params.version)
        if resource
        else None
    )
    if found is None or found.status != ResourceVersion.Status.VALID:
        raise HttpError(404, "Tabel tidak ditemukan.")
    return {
        "columns": found.columns,
        "version": found.number,
        "count": found.row_count,
        "rows": found.rows[params.offset : params.offset + params.limit],
    }


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@router.post("/datasets", response={201: DatasetDetail}, auth=token_or_session)
def create_dataset(request: HttpRequest, payload: DatasetIn) -> tuple[int, Any]:
    """A draft dataset of an office in your region."""
    actor = api_user(request)
    office = (
        selectors.offices_for_staff(actor=actor).filter(slug=payload.office).first()
    )
    topic = selectors.topic_get(slug_or_id=payload.topic)
    if office is None:
        raise HttpError(404, "Kantor tidak ditemukan di wilayah Anda.")
    if topic is None:
        raise HttpError(400, "Topik tidak dikenal.")
    dataset = services.dataset_create(
        actor=actor,
        office=office,
        topic=topic,
        **payload.model_dump(exclude={"office", "topic"}),
    )
    return 201, _detail(dataset)


def _staff_dataset(request: HttpRequest, slug: str) -> Dataset:
    return found_or_404(
        selectors.dataset_get_for_staff(actor=api_user(request), slug=slug),
        "Dataset tidak ditemukan.",
    )


@router.post(
    "/datasets/{slug}/resources", response={201: VersionOut}, auth=token_or_session
)
def upload_resource(
    request: HttpRequest,
    slug: str,
    file: File[UploadedFile],
    resource: Form[str] = "",
    name: Form[str] = "",
    columns: Form[str] = "",
) -> tuple[int, Any]:
    """Upload a CSV/Excel sheet as a new table, or as the next version of
    ``resource``; the answer lists every row-level error and any personal data."""
    dataset = _staff_dataset(request, slug)
    target = None
    if resource:
        target = found_or_404(
            (
                dataset.resources.filter(pk=resource).first()
                if _is_uuid(resource)
                else None
            ),
            "Tabel tidak ditemukan.",
        )
    version = services.resource_upload(
        actor=api_user(request),
        dataset=dataset,
        upload=file,
        resource=target,
        name=name,
        columns_text=columns,
    )
    return 201, _version(version)


@router.post("/datasets/{slug}/publish", response=DatasetDetail, auth=token_or_session)
def publish_dataset(request: HttpRequest, slug: str) -> dict[str, Any]:
    dataset = services.dataset_publish(
        actor=api_user(request), dataset=_staff_dataset(request, slug)
    )
    found = selectors.dataset_get_public(slug_or_id=dataset.slug)
    assert found is not None
    return _detail(found)


@router.get("/offices", response=list[OfficeOut])
@paged(PAGE_SIZE_MAX)
def list_offices(request: HttpRequest) -> Mapped:
    """Offices that publish data and answer information requests."""
    return Mapped(selectors.office_list(), _office)


@router.get("/topics", response=list[TopicOut])
@paged(PAGE_SIZE_MAX)
def list_topics(request: HttpRequest) -> Mapped:
    return Mapped(selectors.topic_list(), _topic)


class IndicatorOut(Schema):
    key: str
    title: str
    dataset: str
    unit: str
    value_column: str
    highlight: str
    values: list[dict[str, Any]]
    # Stacked indicators: the columns that make up each value, and each value's
    # parts ("parts": {column: value}).
    segments: list[dict[str, str]] = []


@router.get("/regions/{kode}/indicators", response=list[IndicatorOut])
@paged(PAGE_SIZE_MAX)
def region_indicators(request: HttpRequest, kode: str) -> list[dict[str, Any]]:
    """The built-in indicators charted on a region's page: its children compared,
    or for a kecamatan the kecamatan of its kabupaten."""
    from regions.selectors import region_get

    region = found_or_404(
        region_get(kode=kode), f"Wilayah dengan kode {kode} tidak ditemukan."
    )
    return [_chart_out(chart) for chart in selectors.indicator_charts(region=region)]


def _chart_out(chart: selectors.IndicatorChart) -> dict[str, Any]:
    columns = [column for column, _ in chart.segments]
    values: list[dict[str, Any]] = []
    for code, name, value in chart.bars:
        item: dict[str, Any] = {"kode": code, "name": name, "value": value}
        if columns:
            item["parts"] = dict(zip(columns, chart.parts.get(code, []), strict=False))
        values.append(item)
    return {
        "key": chart.dataset.indicator,
        "title": chart.title,
        "dataset": chart.dataset.slug,
        "unit": chart.unit,
        "value_column": chart.value_column,
        "highlight": chart.highlight,
        "values": values,
        "segments": [{"column": c, "label": label} for c, label in chart.segments],
    }


@router.post("/indicators/refresh", response={202: dict}, auth=token_or_session)
def refresh_indicators(request: HttpRequest) -> tuple[int, dict[str, str]]:
    """Recompute the built-in indicators now (in the background)."""
    actor = api_user(request)
    if not can(actor, "refresh", "datahub.dataset"):
        raise HttpError(403, "Anda tidak berwenang melakukan ini.")
    from datahub.tasks import indicators_refresh_task

    transaction.on_commit(lambda: indicators_refresh_task.enqueue())
    return 202, {"detail": "Indikator akan dihitung ulang."}


# --- information requests ---------------------------------------------------------


class RequestIn(Schema):
    office: str
    requester_name: str = Field(..., max_length=150)
    requester_address: str = Field(..., max_length=300)
    requester_email: str = ""
    requester_phone: str = ""
    information: str = Field(..., max_length=5000)
    purpose: str = Field(..., max_length=2000)
    delivery: str = "email"


class RequestReceipt(Schema):
    tracking_number: str
    received_on: date
    due_on: date
    url: str


class ObjectionOut(Schema):
    tracking_number: str
    reason: str
    status: str
    received_on: date
    due_on: date
    response: str


class RequestStatus(Schema):
    tracking_number: str
    office: str
    status: str
    received_on: date
    due_on: date
    working_days_left: int | None


class RequestOut(RequestStatus):
    id: int
    information: str
    purpose: str
    delivery: str
    answer: str
    refusal_reason: str
    extension_reason: str
    closed_at: datetime | None
    requester_name: str | None
    requester_email: str | None
    requester_phone: str | None
    requester_address: str | None
    objections: list[ObjectionOut]


def _status(request: InfoRequest) -> dict[str, Any]:
    return {
        "tracking_number": request.tracking_number,
        "office": request.office.slug,
        "status": request.status,
        "received_on": request.received_on,
        "due_on": request.due_on,
        "working_days_left": selectors.working_days_left(due=request.due_on)
        if request.is_open
        else None,
    }


def _request_out(http: HttpRequest, request: InfoRequest) -> dict[str, Any]:
    contact = selectors.can_see_contact(api_user(http), request)
    return {
        **_status(request),
        "id": request.pk,
        "information": request.information,
        "purpose": request.purpose,
        "delivery": request.delivery,
        "answer": request.answer,
        "refusal_reason": request.refusal_reason,
        "extension_reason": request.extension_reason,
        "closed_at": request.closed_at,
        "requester_name": request.requester_name if contact else None,
        "requester_email": request.requester_email if contact else None,
        "requester_phone": request.requester_phone if contact else None,
        "requester_address": request.requester_address if contact else None,
        "objections": [
            {
                "tracking_number": o.tracking_number,
                "reason": o.reason,
                "status": o.status,
                "received_on": o.received_on,
                "due_on": o.due_on,
                "response": o.response,
            }
            for o in request.objections.all()
        ],
    }


@router.post(
    "/requests",
    response={201: RequestReceipt},
    throttle=[*api_throttles(), ScopedThrottle("ppid-request", "10/h", who="anon")],
)
def file_request(request: HttpRequest, payload: RequestIn) -> tuple[int, Any]:
    """File a request for public information (no account needed). Keep the ``url``:
    it shows the answer; the tracking number alone shows only the status."""
    office = found_or_404(
        selectors.office_get(slug_or_id=payload.office), "Kantor tidak ditemukan."
    )
    if payload.delivery not in InfoRequest.Delivery.values:
        raise HttpError(400, "Cara penyampaian tidak dikenal.")
    filed = services.info_request_file(
        office=office,
        requester_name=payload.requester_name,
        requester_address=payload.requester_address,
        requester_email=payload.requester_email,
        requester_phone=payload.requester_phone,
        information=payload.information,
        purpose=payload.purpose,
        delivery=payload.delivery,
    )
    return 201, {
        "tracking_number": filed.tracking_number,
        "received_on": filed.received_on,
        "due_on": filed.due_on,
        "url": request.build_absolute_uri(filed.get_absolute_url()),
    }


@router.get("/requests/track/{number}", response=RequestStatus)
def track_request(request: HttpRequest, number: str) -> dict[str, Any]:
    """The status of a request by its tracking number (no answer, no contact)."""
    found = found_or_404(
        selectors.info_request_get_public(number=number),
        "Nomor permohonan tidak ditemukan.",
    )
    return _status(found)


class RequestFilters(Schema):
    status: str = Field("open", max_length=20)
    office: str = Field("", max_length=100)


@router.get("/requests", response=list[RequestOut], auth=token_or_session)
@paged(50)
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Mapped:
    """The queue of requests to offices in your region; contact data only for the
    responsible office's own staff."""
    actor = api_user(request)
    requests = selectors.info_requests_for_staff(
        actor=actor, status=filters.status, office=filters.office
    ).prefetch_related("objections")
    return Mapped(requests, lambda r: _request_out(request, r))


def _staff_request(request: HttpRequest, request_id: int) -> InfoRequest:
    return found_or_404(
        selectors.info_request_get_for_staff(actor=api_user(request), pk=request_id),
        "Permohonan tidak ditemukan.",
    )


@router.get("/requests/{request_id}", response=RequestOut, auth=token_or_session)
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _request_out(request, _staff_request(request, request_id))


class AnswerIn(Schema):
    answer: str
    dataset: str | None = None


class ExtendIn(Schema):
    reason: str


class RefuseIn(Schema):
    reason: str
    explanation: str


@router.post(
    "/requests/{request_id}/answer", response=RequestOut, auth=token_or_session
)
def answer_request(
    request: HttpRequest, request_id: int, payload: AnswerIn
) -> dict[str, Any]:
    """Answer with a text and optionally a published dataset (slug)."""
    found = _staff_request(request, request_id)
    dataset = None
    if payload.dataset:
        dataset = found_or_404(
            selectors.dataset_get_public(slug_or_id=payload.dataset),
            "Dataset tidak ditemukan.",
        )
    services.info_request_answer(
        actor=api_user(request), request=found, answer=payload.answer, dataset=dataset
    )
    return _request_out(request, found)


@router.post(
    "/requests/{request_id}/extend", response=RequestOut, auth=token_or_session
)
def extend_request(
    request: HttpRequest, request_id: int, payload: ExtendIn
) -> dict[str, Any]:
    found = _staff_request(request, request_id)
    services.info_request_extend(
        actor=api_user(request), request=found, reason=payload.reason
    )
    return _request_out(request, found)


@router.post(
    "/requests/{request_id}/refuse", response=RequestOut, auth=token_or_session
)
def refuse_request(
    request: HttpRequest, request_id: int, payload: RefuseIn
) -> dict[str, Any]:
    found = _staff_request(request, request_id)
    services.info_request_refuse(
        actor=api_user(request),
        request=found,
        reason=payload.reason,
        explanation=payload.explanation,
    )
    return _request_out(request, found)


class ReportRow(Schema):
    office: str = Field(alias="office.slug")
    region: str = Field(alias="office.region_id")
    received: int
    answered: int
    refused: int
    open: int
    extended: int
    late: int
    objections: int
    average_working_days: float | None = Field(alias="average_days")
    refusals: dict[str, int]


@router.get("/requests-report", response=list[ReportRow], auth=token_or_session)
@paged(PAGE_SIZE_MAX)
def request_report(request: HttpRequest, year: int) -> list[selectors.OfficeReport]:
    """The yearly report of requests, answers and times per office."""
    year = parse_year(str(year), default=year)
    return selectors.ppid_report(actor=api_user(request), year=year)


class VulnerabilityOut(Schema):
    rank: int | None = Field(description="By the index; none without enough data.")
    code: str
    name: str
    level: str
    population: int | None
    population_estimated: bool
    index: float | None = Field(description="0 (least) to 100 (most vulnerable).")
    enough_data: bool
    scores: dict[str, float | None]
    figures: dict[str, dict[str, Any]] = Field(
        description='Counts from 1 to 4 are "<5".'
    )
    action: str
    action_label: str
    action_reason: str
    computed_at: datetime
    topic_tips: int | str | None = Field(
        None, description='Tips on the topic filtered by (topik), "<5" when few.'
    )


@router.get("/kerawanan/{kode}", response=list[VulnerabilityOut])
@paged(PAGE_SIZE_MAX)
def list_vulnerability(
    request: HttpRequest,
    kode: str,
    urutkan: str = "index",
    tindakan: str = "",
    topik: str = "",
) -> list[dict[str, Any]]:
    """The Indeks Kerawanan Informasi of the regions directly under ``kode``,
    ranked as on the page ``/data/kerawanan/{kode}/`` (same filters)."""
    if region_get(kode=kode) is None:
        raise HttpError(404, "Wilayah tidak ditemukan.")
    sort, action, topic = vulnerability_selectors.clean_filters(
        urutkan, tindakan, topik
    )
    rows = vulnerability_selectors.vulnerability_rows(
        parent=kode, sort=sort, action=action, topic=topic
    )
    return [row.as_dict() for row in rows]
