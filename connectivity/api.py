"""The connectivity API under /api/v1/connectivity/."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from accounts.api_auth import api_user, token_or_session
from accounts.models import User
from accounts.permissions import can, in_scope
from connectivity import conf, exports, selectors, services
from connectivity.models import (
    MAX_HOUSEHOLDS,
    MAX_PLACE_WEIGHT,
    MAX_POPULATION,
    Observation,
    Place,
    Programme,
    SitingPlan,
    Tower,
)
from core.api import found_or_404
from core.geojson import geojson_response
from core.pagination import PAGE_SIZE_MAX, Mapped, paged
from regions import provinces
from regions.models import Region
from regions.selectors import village_from_text

router = Router(tags=["connectivity"])
P = "/connectivity"

TechName = Literal["none", "2g", "3g", "4g", "5g"]
KindName = Literal[
    "office", "settlement", "market", "port", "health", "school", "other"
]


# The ``region`` query parameter of the read endpoints. Serving one province it
# defaults to the home region; serving several there is no "the province", so
# a missing region is a 400 that names the provinces served.
REGION_PARAM = (
    "Kode wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan atau desa). "
    "Bawaan: provinsi yang dilayani; wajib bila situs melayani beberapa provinsi."
)


def _region_required() -> ValidationError:
    codes = ", ".join(provinces.served_codes())
    return ValidationError(
        {
            "region": "Parameter region wajib diisi: situs ini melayani beberapa "
            f"provinsi. Pilih kode wilayah di provinsi yang dilayani ({codes})."
        }
    )


def _region(kode: str | None, *, village: bool = False) -> Region:
    """The region ``kode`` names, when it lies in a province served (else a 404,
    as for an unknown code); without a code, the home region where one province
    is served, a 400 where several are."""
    kode = (kode or "").strip()
    if not kode:
        if provinces.is_national():
            raise _region_required()
        kode = settings.HOME_REGION
    found = Region.objects.filter(kode=kode).first()
    region = found_or_404(
        found if found is not None and provinces.is_served(found.kode) else None,
        f"Wilayah dengan kode {kode} tidak ditemukan.",
    )
    if village and region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": "Pilih desa/kelurahan (kode 4 tingkat)."})
    return region


def _point_errors(lat: float | None, lng: float | None, field: str = "lat") -> None:
    from connectivity.geo import validate_point

    if lat is not None or lng is not None:
        validate_point(lat, lng, field)


# --- schemas ------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    kind: str
    name: str
    lat: float
    lng: float
    geometry: dict[str, Any] | None
    households: int | None
    population: int | None
    weight: float
    source: str
    at_default_location: bool
    observed_tech: str
    observed_at: dt.datetime | None
    observed_from_village: bool
    predicted_covered: bool | None
    predicted_margin_db: float | None


class PlaceIn(Schema):
    region: str
    kind: KindName
    name: str = Field("", max_length=150)
    lat: float
    lng: float
    geometry: dict[str, Any] | None = None
    households: int | None = Field(None, ge=0, le=MAX_HOUSEHOLDS)
    population: int | None = Field(None, ge=0, le=MAX_POPULATION)
    weight: float | None = Field(None, ge=0, le=MAX_PLACE_WEIGHT, allow_inf_nan=False)
    source: str = Field("", max_length=100)


class PlacePatch(Schema):
    kind: KindName | None = None
    name: str | None = Field(None, max_length=150)
    lat: float | None = None
    lng: float | None = None
    households: int | None = Field(None, ge=0, le=MAX_HOUSEHOLDS)
    population: int | None = Field(None, ge=0, le=MAX_POPULATION)
    weight: float | None = Field(None, ge=0, le=MAX_PLACE_WEIGHT, allow_inf_nan=False)
    source: str | None = Field(None, max_length=100)


class ObservationOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    place: int | None = Field(alias="place_id")
    technology: str
    operator: str
    service: str
    observed_at: dt.datetime
    method: str
    status: str
    lat: float | None
    lng: float | None
    note: str
    source: str


class ObservationIn(Schema):
    region: str
    place: int | None = None
    technology: TechName
    operator: str = ""
    service: Literal["any", "voice", "data"] = "any"
    observed_at: dt.datetime | None = None
    method: Literal[
        "survey", "citizen_report", "operator_data", "bakti_list", "government_list"
    ] = "survey"
    lat: float | None = None
    lng: float | None = None
    note: str = Field("", max_length=500)
    source: str = Field("", max_length=200)
    idempotency_key: str | None = Field(None, max_length=64)


class ReportIn(Schema):
    idempotency_key: str = Field(..., min_length=8, max_length=64)
    # A village code, or its name as typed ("Ma. Aloh", "muara aloh, Muara Badak").
    region: str | None = Field(None, max_length=200)
    # The kabupaten or kecamatan the name is looked up in (default: the province).
    within: str | None = Field(None, max_length=13)
    lat: float | None = None
    lng: float | None = None
    technology: TechName = "none"
    operator: str = ""
    service: Literal["any", "voice", "data"] = "any"
    note: str = Field("", max_length=500)
    observed_at: dt.datetime | None = None


class ReportOut(Schema):
    id: int
    region: str
    region_name: str
    status: str
    created: bool


class ReportReviewIn(Schema):
    confirm: bool
    place: int | None = None


class VillageOut(Schema):
    kode: str
    name: str
    kecamatan: str
    status: str
    office_signal: bool | None
    best_tech: str
    settlement_weight: float
    settlement_weight_signal: float
    economic_total: int
    economic_signal: int
    weight_total: float
    weight_signal: float
    predicted_weight: float
    last_observed_at: dt.datetime | None


class TowerOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id")
    lat: float
    lng: float
    owner: str
    operator: str
    programme: str | None
    status: str
    technology: str
    band: str
    height_m: float
    power: str
    backhaul: str
    model: str
    environment: str
    terrain: str
    frequency_mhz: float
    eirp_dbm: float
    sensitivity_dbm: float
    predicted_range_km: float | None
    predicted_terrain_aware: bool
    on_air_at: dt.date | None

    @staticmethod
    def resolve_programme(obj: Tower) -> str | None:
        return obj.programme.slug if obj.programme else None


class TowerIn(Schema):
    region: str
    name: str = Field(..., max_length=150)
    lat: float
    lng: float
    owner: Literal["bakti", "repeater", "operator", "other"]
    operator: str = ""
    programme: str | None = None
    status: Literal["proposed", "surveyed", "land_ready", "construction", "on_air"] = (
        "proposed"
    )
    technology: TechName = "4g"
    band: str = ""
    height_m: float = Field(42.0, gt=0, le=300)
    power: str = ""
    backhaul: str = ""
    model: Literal["hata", "cost231", "itm"] = "hata"
    environment: Literal["urban", "suburban", "rural"] = "suburban"
    terrain: Literal[
        "flat", "water", "plains", "hills", "mountains", "rugged_mountains"
    ] = "hills"
    frequency_mhz: float = Field(900.0, ge=20, le=20000)
    eirp_dbm: float = 58.0
    sensitivity_dbm: float = -100.0


class StatusIn(Schema):
    status: Literal["proposed", "surveyed", "land_ready", "construction", "on_air"]
    note: str = Field("", max_length=300)


class DossierIO(Schema):
    land_status: Literal["none", "identified", "offered", "certified"] | None = None
    land_width_m: float | None = Field(None, gt=0)
    land_length_m: float | None = Field(None, gt=0)
    land_owner: str | None = Field(None, max_length=200)
    land_letter: str | None = Field(None, max_length=200)
    access: str | None = None
    access_notes: str | None = Field(None, max_length=300)
    power_available: str | None = None
    request_letter: str | None = Field(None, max_length=200)
    support_letter: str | None = Field(None, max_length=200)
    notes: str | None = None


class PlanIn(Schema):
    region: str
    budget: int | None = Field(10, ge=0, le=1000)
    objective: Literal["max_cover", "set_cover"] = "max_cover"
    radius_km: float | None = Field(None, gt=0, le=100)
    grid_km: float = Field(conf.DEFAULT_GRID_KM, ge=0.5, le=50)
    time_limit: float = Field(10.0, ge=1, le=300)
    points: list[tuple[float, float]] = []
    name: str = Field("", max_length=150)


class PlanOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    name: str
    objective: str
    budget: int | None
    radius_km: float
    status: str
    error: str
    covered_share_before: float | None
    covered_share_after: float | None
    result: dict[str, Any] | None
    url: str = Field(alias="get_absolute_url")


class InstanceIn(Schema):
    demand: list[dict[str, Any]]
    candidates: list[dict[str, Any]] = []
    existing: list[dict[str, Any]] = []
    budget: int | None = None
    money_budget: float | None = None
    radius_km: float | None = None


class ProgrammeOut(Schema):
    slug: str
    name: str
    kind: str
    owner: str
    region: str = Field(alias="region_id")
    year: int | None
    target_villages: int | None
    description: str
    source: str
    villages: list[str]

    @staticmethod
    def resolve_villages(obj: Programme) -> list[str]:
        return [v.kode for v in obj.villages.all()]


# --- places -------------------------------------------------------------------


@router.get(f"{P}/places", response=list[PlaceOut])
@paged(PAGE_SIZE_MAX)
def list_places(
    request: HttpRequest,
    region: str | None = Query(None, description=REGION_PARAM),
    kind: KindName | None = None,
) -> QuerySet[Place]:
    """Priority places under a region (public)."""
    return selectors.places_list(region=_region(region), kind=kind)


@router.get(f"{P}/places.geojson")
def places_geojson(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> HttpResponse:
    return geojson_response(selectors.place_features(region=_region(region)))


@router.post(f"{P}/places", response={201: PlaceOut}, auth=token_or_session)
def create_place(request: HttpRequest, payload: PlaceIn) -> tuple[int, Place]:
    actor = api_user(request)
    region = _region(payload.region, village=True)
    _point_errors(payload.lat, payload.lng)
    data = payload.model_dump(exclude={"region"})
    return 201, services.place_create(actor=actor, region=region, **data)


Editable = TypeVar("Editable", Place, Tower)


def _in_scope(actor: User, found: Editable | None, message: str) -> Editable:
    """``found`` when it lies in the actor's region; otherwise a 404, as if it did
    not exist (staff of one regency do not learn of another's records)."""
    if found is not None and not in_scope(actor, found.region_id):
        found = None
    return found_or_404(found, message)


def _place(actor: User, pk: int) -> Place:
    return _in_scope(actor, selectors.place_get(pk=pk), "Tempat tidak ditemukan.")


@router.patch(f"{P}/places/{{pk}}", response=PlaceOut, auth=token_or_session)
def patch_place(request: HttpRequest, pk: int, payload: PlacePatch) -> Place:
    actor = api_user(request)
    place = _place(actor, pk)
    changes = payload.model_dump(exclude_unset=True)
    return services.place_update(actor=actor, place=place, **changes)


@router.delete(f"{P}/places/{{pk}}", response={204: None}, auth=token_or_session)
def delete_place(request: HttpRequest, pk: int) -> tuple[int, None]:
    actor = api_user(request)
    services.place_delete(actor=actor, place=_place(actor, pk))
    return 204, None


# --- observations and reports -------------------------------------------------


@router.get(f"{P}/observations", response=list[ObservationOut])
@paged(PAGE_SIZE_MAX)
def list_observations(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> QuerySet[Observation]:
    """Confirmed observations (history) under a region, newest first."""
    return selectors.observations_list(region=_region(region))


@router.post(f"{P}/observations", response={201: ObservationOut}, auth=token_or_session)
def create_observation(
    request: HttpRequest, payload: ObservationIn
) -> tuple[int, Observation]:
    actor = api_user(request)
    region = _region(payload.region, village=True)
    if not in_scope(actor, region.kode):
        raise HttpError(404, "Wilayah tidak ditemukan.")
    place = None
    if payload.place is not None:
        place = _place(actor, payload.place)
    data = payload.model_dump(exclude={"region", "place"})
    return 201, services.observation_create(
        actor=actor, region=region, place=place, **data
    )


@router.post(f"{P}/reports", response={200: ReportOut, 201: ReportOut})
def file_report(request: HttpRequest, payload: ReportIn) -> tuple[int, dict[str, Any]]:
    """A public "no signal here" report; the same key sent twice is stored once.

    Rate-limited per IP address; stays unconfirmed until staff confirm it.
    """
    if is_ratelimited(
        request,
        group="connectivity.report",
        key="ip",
        rate=conf.report_rate(),
        method="POST",
        increment=True,
    ):
        raise HttpError(429, "Terlalu banyak laporan. Tunggu sebentar lalu coba lagi.")
    # A name that names no village, or several, is a 400 with the reason (and the
    # candidates): the phone keeps the report for the person to fix, never drops it.
    region = (
        village_from_text(text=payload.region, within=payload.within)
        if payload.region and payload.region.strip()
        else None
    )
    user = request.user if isinstance(request.user, User) else None
    report, created = services.report_submit(
        actor=user, region=region, **payload.model_dump(exclude={"region", "within"})
    )
    return (201 if created else 200), {
        "id": report.pk,
        "region": report.region_id,
        "region_name": report.region.name,
        "status": report.status,
        "created": created,
    }


@router.get(f"{P}/reports", response=list[ObservationOut], auth=token_or_session)
@paged(PAGE_SIZE_MAX)
def pending_reports(request: HttpRequest) -> QuerySet[Observation]:
    actor = api_user(request)
    if not can(actor, "confirm", "connectivity.observation"):
        raise PermissionDenied
    return selectors.reports_pending(actor=actor)


@router.post(
    f"{P}/reports/{{pk}}/review", response=ObservationOut, auth=token_or_session
)
def review_report(
    request: HttpRequest, pk: int, payload: ReportReviewIn
) -> Observation:
    actor = api_user(request)
    obs = selectors.observation_get(pk=pk)
    if obs is None or not in_scope(actor, obs.region_id):
        raise HttpError(404, "Laporan tidak ditemukan.")
    place = _place(actor, payload.place) if payload.place else None
    return services.observation_review(
        actor=actor, observation=obs, confirm=payload.confirm, place=place
    )


# --- villages -----------------------------------------------------------------


def _village_out(s: Any) -> dict[str, Any]:
    return {
        "kode": s.region_id,
        "name": s.region.name,
        "kecamatan": s.region.parent.name if s.region.parent else "",
        **{
            k: getattr(s, k)
            for k in VillageOut.model_fields
            if k not in ("kode", "name", "kecamatan")
        },
    }


@router.get(f"{P}/villages", response=list[VillageOut])
@paged(PAGE_SIZE_MAX)
def list_villages(
    request: HttpRequest,
    region: str | None = Query(None, description=REGION_PARAM),
    status: Literal["blankspot", "partial", "covered", "unknown"] | None = None,
) -> Mapped:
    """Derived status of the villages under a region (those with any data)."""
    rows = selectors.village_statuses(region=_region(region), status=status)
    return Mapped(rows, _village_out)


@router.get(f"{P}/villages/{{kode}}", response=VillageOut)
def get_village(request: HttpRequest, kode: str) -> dict[str, Any]:
    region = _region(kode, village=True)
    status = selectors.village_status_get(region=region)
    if status is None:
        status = services.village_status_refresh(region=region)
    return _village_out(status)


# --- towers -------------------------------------------------------------------


@router.get(f"{P}/towers", response=list[TowerOut])
@paged(PAGE_SIZE_MAX)
def list_towers(
    request: HttpRequest,
    region: str | None = Query(None, description=REGION_PARAM),
    status: str | None = None,
) -> QuerySet[Tower]:
    return selectors.towers_list(region=_region(region), status=status)


@router.get(f"{P}/towers/{{pk}}", response=TowerOut)
def get_tower(request: HttpRequest, pk: int) -> Tower:
    return found_or_404(selectors.tower_get(pk=pk), "Menara tidak ditemukan.")


def _programme(slug: str | None) -> Programme | None:
    if not slug:
        return None
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise ValidationError({"programme": f"Program {slug} tidak ditemukan."})
    return programme


@router.post(f"{P}/towers", response={201: TowerOut}, auth=token_or_session)
def create_tower(request: HttpRequest, payload: TowerIn) -> tuple[int, Tower]:
    actor = api_user(request)
    region = _region(payload.region)
    _point_errors(payload.lat, payload.lng)
    data = payload.model_dump(exclude={"region", "programme"})
    tower = services.tower_create(
        actor=actor, region=region, programme=_programme(payload.programme), **data
    )
    return 201, tower


def _tower(actor: User, pk: int) -> Tower:
    return _in_scope(actor, selectors.tower_get(pk=pk), "Menara tidak ditemukan.")


@router.post(f"{P}/towers/{{pk}}/status", response=TowerOut, auth=token_or_session)
def set_tower_status(request: HttpRequest, pk: int, payload: StatusIn) -> Tower:
    actor = api_user(request)
    return services.tower_status_set(
        actor=actor, tower=_tower(actor, pk), status=payload.status, note=payload.note
    )


@router.get(f"{P}/towers/{{pk}}/dossier", response=DossierIO, auth=token_or_session)
def get_dossier(request: HttpRequest, pk: int) -> Any:
    actor = api_user(request)
    return _tower(actor, pk).dossier


@router.patch(f"{P}/towers/{{pk}}/dossier", response=DossierIO, auth=token_or_session)
def patch_dossier(request: HttpRequest, pk: int, payload: DossierIO) -> Any:
    actor = api_user(request)
    return services.tower_dossier_update(
        actor=actor, tower=_tower(actor, pk), **payload.model_dump(exclude_unset=True)
    )


@router.get(f"{P}/coverage")
def coverage(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> dict[str, Any]:
    """Predicted coverage: each tower on air with its predicted range and model,
    and a note on whether terrain (a DEM) was used."""
    return selectors.coverage_features(region=_region(region))


@router.get(f"{P}/map")
def map_layers(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> dict[str, Any]:
    """Every layer of a region's map: villages (observed status), places, towers,
    predicted coverage, the latest plan's sites."""
    return selectors.map_layers(region=_region(region))


# --- planner ------------------------------------------------------------------


@router.post(f"{P}/plans", response={201: PlanOut}, auth=token_or_session)
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, SitingPlan]:
    actor = api_user(request)
    region = _region(payload.region)
    if not in_scope(actor, region.kode):
        raise HttpError(404, "Wilayah tidak ditemukan.")
    for lat, lng in payload.points:
        _point_errors(lat, lng, "points")
    plan = services.plan_create(
        actor=actor,
        region=region,
        extra_points=payload.points,
        **payload.model_dump(exclude={"region", "points"}),
    )
    return 201, plan


@router.get(f"{P}/plans/{{pk}}", response=PlanOut, auth=token_or_session)
def get_plan(request: HttpRequest, pk: int) -> SitingPlan:
    return found_or_404(
        selectors.plan_get(actor=api_user(request), pk=pk), "Rencana tidak ditemukan."
    )


@router.post(f"{P}/plan", auth=token_or_session)
def plan_instance(
    request: HttpRequest,
    payload: InstanceIn,
    time_limit: float = 10.0,
    objective: Literal["max_cover", "set_cover"] = "max_cover",
) -> dict[str, Any]:
    """Solve a raw instance (the ``plan_towers`` format) without storing it."""
    from connectivity.siting import InvalidInstance, plan

    actor = api_user(request)
    if not can(actor, "add", "connectivity.plan"):
        raise PermissionDenied
    try:
        return plan(
            payload.model_dump(exclude_none=True),
            time_limit=min(max(time_limit, 1.0), 60.0),
            objective=objective,
        )
    except InvalidInstance as exc:
        raise ValidationError({"instance": list(exc.problems)}) from None


# --- programmes, progress, exports --------------------------------------------


@router.get(f"{P}/programmes", response=list[ProgrammeOut])
@paged(PAGE_SIZE_MAX)
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return selectors.programmes_list().prefetch_related("villages")


class ProgrammeIn(Schema):
    slug: str = Field(..., pattern=r"^[-a-z0-9]+$", max_length=60)
    name: str = Field(..., max_length=200)
    region: str
    kind: Literal["trial", "programme"] = "programme"
    owner: str = Field("", max_length=150)
    year: int | None = Field(None, ge=2000, le=2100)
    target_villages: int | None = Field(None, ge=0)
    description: str = ""
    source: str = Field("", max_length=300)
    villages: list[str] | None = None


@router.put(f"{P}/programmes", response=ProgrammeOut, auth=token_or_session)
def save_programme(request: HttpRequest, payload: ProgrammeIn) -> Programme:
    """Create or update a programme (by slug) with its villages."""
    actor = api_user(request)
    region = _region(payload.region)
    villages = None
    if payload.villages is not None:
        villages = list(Region.objects.filter(kode__in=payload.villages))
        unknown = set(payload.villages) - {v.kode for v in villages}
        if unknown:
            raise ValidationError(
                {"villages": f"Kode tidak dikenal: {', '.join(sorted(unknown))}"}
            )
    data = payload.model_dump(exclude={"region", "villages"})
    return services.programme_save(
        actor=actor, region=region, villages=villages, **data
    )


@router.get(f"{P}/programmes/{{slug}}/progress")
def programme_progress(request: HttpRequest, slug: str) -> dict[str, Any]:
    programme = found_or_404(
        Programme.objects.filter(slug=slug).first(), "Program tidak ditemukan."
    )
    return selectors.programme_progress(programme=programme).as_dict()


@router.get(f"{P}/progress")
def region_progress(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> dict[str, Any]:
    """Progress of a region and of each of its children, with snapshots over time."""
    r = _region(region)
    return {
        **selectors.progress(region=r).as_dict(),
        "children": [p.as_dict() for p in selectors.progress_children(region=r)],
        "history": [
            {
                "day": s.day.isoformat(),
                "villages_known": s.villages_known,
                "villages_signal": s.villages_signal,
                "offices_signal": s.offices_signal,
                "settlement_weight_signal": s.settlement_weight_signal,
                "economic_signal": s.economic_signal,
                "towers_on_air": s.towers_on_air,
            }
            for s in selectors.progress_history(region=r)
        ],
    }


@router.get(f"{P}/export.csv")
def export_csv(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> HttpResponse:
    """Villages with their derived status and progress figures, as CSV."""
    return exports.villages_csv_response(region=_region(region))


@router.get(f"{P}/export.geojson")
def export_geojson(
    request: HttpRequest, region: str | None = Query(None, description=REGION_PARAM)
) -> HttpResponse:
    return exports.geojson_response(region=_region(region))
