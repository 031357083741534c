"""Writes of the connectivity app: places, observations, derived status, towers,
plans, programmes and progress snapshots.

Every function is keyword-only; ``actor=None`` means the system (commands, demo
data, tasks). Permission rules are declared in ``ConnectivityConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can
from accounts.services import audit_record
from connectivity import conf
from connectivity.geo import (
    geometry_bbox,
    geometry_contains,
    haversine_km,
    validate_point,
)
from connectivity.models import (
    TECH_RANK,
    Dem,
    Observation,
    Place,
    Programme,
    ProgressSnapshot,
    SitingPlan,
    Tower,
    TowerDossier,
    TowerStatusChange,
    VillageStatus,
)
from regions.models import Region, RegionBoundary
from regions.selectors import subtree_q

log = logging.getLogger(__name__)

SYSTEM_SOURCE_DEFAULT = "default: region representative point"


# --- helpers ------------------------------------------------------------------


def _require(
    actor: User | None, action: str, resource: str, region_code: str | None
) -> None:
    """System calls (actor None) may do anything; users need the rule and scope."""
    if actor is None:
        return
    if not can(actor, action, resource, region_code=region_code):
        raise PermissionDenied(_("You may not do this in this region."))


def _village(region: Region) -> Region:
    if region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("Choose a village (desa/kelurahan).")})
    return region


def _audit(
    actor: User | None,
    action: str,
    obj: Any,
    region_code: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, region_code=region_code, changes=changes
    )


def usable(tech: str) -> bool:
    """Whether an observed technology counts as a usable signal."""
    return bool(tech) and TECH_RANK[tech] >= TECH_RANK[conf.usable_min_tech()]


# --- places -------------------------------------------------------------------


def place_default_weight(
    *, kind: str, households: int | None = None, population: int | None = None
) -> float:
    """The weight of a place of ``kind`` (``connectivity.conf`` documents them)."""
    weights = conf.place_weights()
    if kind == Place.Kind.SETTLEMENT:
        people = population
        if people is None and households is not None:
            people = round(households * conf.PEOPLE_PER_HOUSEHOLD)
        if people:
            return round(max(people / conf.SETTLEMENT_PEOPLE_PER_WEIGHT, 0.1), 2)
    return float(weights.get(kind, weights["other"]))


def _check_geometry(geometry: dict[str, Any] | None) -> None:
    if geometry is None:
        return
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            {"geometry": _("The area must be a GeoJSON Polygon or MultiPolygon.")}
        )
    box = geometry_bbox(geometry)
    if box is None:
        raise ValidationError({"geometry": _("The area has no coordinates.")})
    validate_point(box[0], box[2], "geometry")
    validate_point(box[1], box[3], "geometry")


@transaction.atomic
def place_create(
    *,
    actor: User | None,
    region: Region,
    kind: str,
    name: str,
    lat: float,
    lng: float,
    geometry: dict[str, Any] | None = None,
    households: int | None = None,
    population: int | None = None,
    weight: float | None = None,
    source: str = "",
    at_default_location: bool = False,
    refresh: bool = True,
) -> Place:
    _village(region)
    _require(actor, "add", "connectivity.place", region.kode)
    validate_point(lat, lng)
    _check_geometry(geometry)
    if (
        kind == Place.Kind.OFFICE
        and Place.objects.filter(region=region, kind=Place.Kind.OFFICE).exists()
    ):
        raise ValidationError(
            {"kind": _("This village already has its office; move that one instead.")}
        )
    place = Place(
        region=region,
        kind=kind,
        name=name.strip() or str(Place.Kind(kind).label),
        lat=lat,
        lng=lng,
        geometry=geometry,
        households=households,
        population=population,
        weight=(
            weight
            if weight is not None
            else place_default_weight(
                kind=kind, households=households, population=population
            )
        ),
        weight_is_custom=weight is not None,
        source=source or (_actor_source(actor)),
        at_default_location=at_default_location,
        created_by=actor,
    )
    place.full_clean()
    place.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        place,
        region.kode,
        {"kind": kind, "lat": lat, "lng": lng},
    )
    if refresh:
        _after_place_change(place)
    return place


def _actor_source(actor: User | None) -> str:
    if actor is None:
        return "system"
    return f"{actor.get_role_display()}"


_PLACE_FIELDS = (
    "kind",
    "name",
    "lat",
    "lng",
    "geometry",
    "households",
    "population",
    "weight",
    "source",
)


@transaction.atomic
def place_update(*, actor: User | None, place: Place, **changes: Any) -> Place:
    """Correct a place (move it on the map, fix its figures)."""
    _require(actor, "change", "connectivity.place", place.region_id)
    unknown = set(changes) - set(_PLACE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = {k: getattr(place, k) for k in changes}
    for key, value in changes.items():
        if value is not None or key in ("geometry", "households", "population"):
            setattr(place, key, value)
    validate_point(place.lat, place.lng)
    _check_geometry(place.geometry)
    if "lat" in changes or "lng" in changes:
        place.at_default_location = False
    if changes.get("weight") is not None:
        place.weight_is_custom = True
    elif not place.weight_is_custom:
        place.weight = place_default_weight(
            kind=place.kind, households=place.households, population=place.population
        )
    if place.kind == Place.Kind.OFFICE and (
        Place.objects.filter(region_id=place.region_id, kind=Place.Kind.OFFICE)
        .exclude(pk=place.pk)
        .exists()
    ):
        raise ValidationError({"kind": _("This village already has its office.")})
    place.full_clean()
    place.save()
    diff = {
        k: [str(before[k]), str(getattr(place, k))]
        for k in changes
        if k != "geometry" and before[k] != getattr(place, k)
    }
    _audit(actor, AuditEntry.Action.UPDATE, place, place.region_id, diff)
    _after_place_change(place)
    return place


@transaction.atomic
def place_delete(*, actor: User | None, place: Place) -> None:
    _require(actor, "delete", "connectivity.place", place.region_id)
    region = place.region
    _audit(actor, AuditEntry.Action.DELETE, place, region.kode, {"kind": place.kind})
    place.delete()
    village_status_refresh(region=region)


def _after_place_change(place: Place) -> None:
    place_prediction_refresh(places=[place])
    village_status_refresh(region=place.region)


def village_office_ensure(*, region: Region) -> Place:
    """The village's office place, created at its representative point if missing."""
    _village(region)
    office = Place.objects.filter(region=region, kind=Place.Kind.OFFICE).first()
    if office is not None:
        return office
    office = Place(
        region=region,
        kind=Place.Kind.OFFICE,
        name=_("Office of %(name)s") % {"name": region.name},
        lat=region.rep_lat,
        lng=region.rep_lng,
        weight=place_default_weight(kind=Place.Kind.OFFICE),
        source=SYSTEM_SOURCE_DEFAULT,
        at_default_location=True,
    )
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def village_offices_ensure(*, region: Region) -> int:
    """Offices for every village in ``region`` that has none; returns how many."""
    villages = Region.objects.filter(
        subtree_q(region.kode, "kode"),
        level=Region.Level.VILLAGE,
    ).exclude(connectivity_places__kind=Place.Kind.OFFICE)
    weight = place_default_weight(kind=Place.Kind.OFFICE)
    new = [
        Place(
            region=v,
            kind=Place.Kind.OFFICE,
            name=_("Office of %(name)s") % {"name": v.name},
            lat=v.rep_lat,
            lng=v.rep_lng,
            weight=weight,
            source=SYSTEM_SOURCE_DEFAULT,
            at_default_location=True,
        )
        for v in villages
    ]
    Place.objects.bulk_create(new, batch_size=500)
    return len(new)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def places_import(
    *, actor: User | None, rows: Iterable[dict[str, Any]], source: str = "import"
) -> ImportResult:
    """Create or correct places from parsed CSV/GeoJSON rows.

    A row with ``id`` of an existing place updates it; others create places. Each
    row is checked on its own: bad rows are reported with their line and skipped.
    """
    result = ImportResult()
    touched: set[str] = set()
    for n, row in enumerate(rows, start=1):
        line = row.get("_line", n)
        try:
            with transaction.atomic():
                kode = str(row.get("region") or row.get("kode") or "").strip()
                region = Region.objects.filter(kode=kode).first()
                if region is None:
                    raise ValidationError(
                        {"region": _("Unknown village code %(kode)s.") % {"kode": kode}}
                    )
                fields: dict[str, Any] = {
                    "kind": str(row.get("kind") or Place.Kind.SETTLEMENT),
                    "name": str(row.get("name") or ""),
                    "lat": _float(row.get("lat")),
                    "lng": _float(row.get("lng")),
                    "geometry": row.get("geometry"),
                    "households": _int(row.get("households")),
                    "population": _int(row.get("population")),
                    "weight": _float(row.get("weight")),
                    "source": str(row.get("source") or source),
                }
                if fields["kind"] not in Place.Kind.values:
                    raise ValidationError(
                        {"kind": _("Unknown place type %(kind)s.") % fields}
                    )
                pk = _int(row.get("id"))
                existing = (
                    Place.objects.filter(pk=pk, region=region).first() if pk else None
                )
                if existing is None and fields["kind"] == Place.Kind.OFFICE:
                    existing = Place.objects.filter(
                        region=region, kind=Place.Kind.OFFICE
                    ).first()
                if existing is not None:
                    _require(actor, "change", "connectivity.place", region.kode)
                    place_update(actor=actor, place=existing, **fields)
                    result.updated += 1
                else:
                    place_create(actor=actor, region=region, refresh=False, **fields)
                    result.created += 1
                touched.add(region.kode)
        except ValidationError as exc:
            result.errors.append(f"{line}: {_messages(exc)}")
        except (PermissionDenied, TypeError, ValueError) as exc:
            result.errors.append(f"{line}: {exc or _('not allowed')}")
    for region in Region.objects.filter(kode__in=touched):
        place_prediction_refresh(places=list(Place.objects.filter(region=region)))
        village_status_refresh(region=region)
    return result


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "; ".join(exc.messages)


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(value)s is not a number.") % {"value": value}
        ) from None


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


# --- observations and reports -------------------------------------------------


def village_for_point(*, lat: float, lng: float) -> Region | None:
    """The village containing a point (by its boundary), else the nearest village
    whose representative point is within 15 km."""
    box = 0.15
    near = list(
        Region.objects.filter(
            level=Region.Level.VILLAGE,
            rep_lat__range=(lat - box, lat + box),
            rep_lng__range=(lng - box, lng + box),
        )
    )
    if not near:
        near = list(
            Region.objects.filter(
                level=Region.Level.VILLAGE,
                rep_lat__range=(lat - 0.5, lat + 0.5),
                rep_lng__range=(lng - 0.5, lng + 0.5),
            )
        )
    if not near:
        return None
    near.sort(key=lambda r: haversine_km(lat, lng, r.rep_lat, r.rep_lng))
    shapes = dict(
        RegionBoundary.objects.filter(region__in=near[:40]).values_list(
            "region_id", "geometry"
        )
    )
    for village in near[:40]:
        if geometry_contains(shapes.get(village.kode), lat, lng):
            return village
    nearest = near[0]
    if haversine_km(lat, lng, nearest.rep_lat, nearest.rep_lng) <= 15:
        return nearest
    return None


@transaction.atomic
def observation_create(
    *,
    actor: User | None,
    region: Region,
    technology: str,
    method: str,
    place: Place | None = None,
    operator: str = "",
    service: str = Observation.Service.ANY,
    observed_at: dt.datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    note: str = "",
    source: str = "",
    idempotency_key: str | None = None,
) -> Observation:
    """Record the signal seen at a place or in a village.

    Staff (who may confirm) record confirmed observations; a KIM member's entry is
    an unconfirmed report until staff confirm it.
    """
    _village(region)
    _require(actor, "add", "connectivity.observation", region.kode)
    if place is not None and place.region_id != region.kode:
        raise ValidationError({"place": _("This place is in another village.")})
    if lat is not None or lng is not None:
        validate_point(lat, lng)
    if observed_at is not None and observed_at > timezone.now() + dt.timedelta(
        minutes=5
    ):
        raise ValidationError({"observed_at": _("The time is in the future.")})
    if idempotency_key:
        found = Observation.objects.filter(idempotency_key=idempotency_key).first()
        if found is not None:
            return found
    confirmed = actor is None or can(
        actor, "confirm", "connectivity.observation", region_code=region.kode
    )
    obs = Observation(
        region=region,
        place=place,
        technology=technology,
        operator=operator,
        service=service,
        observed_at=observed_at or timezone.now(),
        method=method,
        status=(
            Observation.Status.CONFIRMED
            if confirmed
            else Observation.Status.UNCONFIRMED
        ),
        lat=lat,
        lng=lng,
        note=note.strip(),
        source=source,
        observer=actor,
        idempotency_key=idempotency_key or None,
        reviewed_by=actor if confirmed and actor is not None else None,
        reviewed_at=timezone.now() if confirmed and actor is not None else None,
    )
    obs.full_clean()
    obs.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        obs,
        region.kode,
        {"technology": technology, "method": method, "status": obs.status},
    )
    if obs.status == Observation.Status.CONFIRMED:
        village_status_refresh(region=region)
    return obs


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    idempotency_key: str,
    region: Region | None = None,
    lat: float | None = None,
    lng: float | None = None,
    technology: str = "none",
    operator: str = "",
    service: str = Observation.Service.ANY,
    note: str = "",
    observed_at: dt.datetime | None = None,
) -> tuple[Observation, bool]:
    """A "no signal here" report from the public page; returns (report, created).

    The same ``idempotency_key`` sent again (an offline phone resending) returns the
    first report. Reports stay unconfirmed until staff confirm them.
    """
    key = idempotency_key.strip()
    if not key or len(key) > 64:
        raise ValidationError({"idempotency_key": _("A report key is required.")})
    found = Observation.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found, False
    if lat is not None or lng is not None:
        validate_point(lat, lng)
    if region is None:
        if lat is None or lng is None:
            raise ValidationError(
                {"region": _("Choose your village or share your location.")}
            )
        assert lng is not None
        region = village_for_point(lat=lat, lng=lng)
        if region is None:
            raise ValidationError(
                {"lat": _("No village of Kalimantan Timur is near this location.")}
            )
    _village(region)
    if observed_at is not None:
        now = timezone.now()
        observed_at = min(observed_at, now)
        if observed_at < now - dt.timedelta(days=30):
            observed_at = now
    obs = Observation(
        region=region,
        technology=technology,
        operator=operator,
        service=service,
        observed_at=observed_at or timezone.now(),
        method=Observation.Method.CITIZEN,
        status=Observation.Status.UNCONFIRMED,
        lat=lat,
        lng=lng,
        note=note.strip()[:500],
        source=_("public report page"),
        observer=actor if actor is not None and actor.is_authenticated else None,
        idempotency_key=key,
    )
    obs.full_clean()
    obs.save()
    return obs, True


@transaction.atomic
def observation_review(
    *, actor: User, observation: Observation, confirm: bool, place: Place | None = None
) -> Observation:
    """Staff confirm (or reject) a report; only confirmed ones count."""
    _require(actor, "confirm", "connectivity.observation", observation.region_id)
    if place is not None:
        if place.region_id != observation.region_id:
            raise ValidationError({"place": _("This place is in another village.")})
        observation.place = place
    observation.status = (
        Observation.Status.CONFIRMED if confirm else Observation.Status.REJECTED
    )
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation.full_clean()
    observation.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        observation,
        observation.region_id,
        {"status": observation.status},
    )
    village_status_refresh(region=observation.region)
    return observation


# --- derived village status ---------------------------------------------------


def _latest_level(observations: Sequence[Observation]) -> tuple[str, Any]:
    """Best technology among the latest observation per operator, newest first.

    An observation without operator speaks for every operator, so it supersedes
    all older ones.
    """
    seen: dict[str, Observation] = {}
    for obs in observations:
        if obs.operator == "":
            seen.setdefault("", obs)
            break
        seen.setdefault(obs.operator, obs)
    if not seen:
        return "", None
    best = max(seen.values(), key=lambda o: TECH_RANK[o.technology])
    return best.technology, max(o.observed_at for o in seen.values())


@transaction.atomic
def village_status_refresh(*, region: Region) -> VillageStatus:
    """Derive a village's status from its places and confirmed observations."""
    _village(region)
    village_office_ensure(region=region)
    places = list(Place.objects.filter(region=region))
    observations = list(
        Observation.objects.filter(
            region=region, status=Observation.Status.CONFIRMED
        ).order_by("-observed_at", "-id")
    )
    village_tech, village_at = _latest_level(
        [o for o in observations if not o.place_id]
    )
    by_place: dict[int, list[Observation]] = {}
    for obs in observations:
        if obs.place_id:
            by_place.setdefault(obs.place_id, []).append(obs)
    changed: list[Place] = []
    for place in places:
        tech, at = _latest_level(by_place.get(place.pk, []))
        from_village = False
        if not tech and village_tech:
            tech, at, from_village = village_tech, village_at, True
        if (place.observed_tech, place.observed_at, place.observed_from_village) != (
            tech,
            at,
            from_village,
        ):
            place.observed_tech, place.observed_at = tech, at
            place.observed_from_village = from_village
            changed.append(place)
    if changed:
        Place.objects.bulk_update(
            changed, ["observed_tech", "observed_at", "observed_from_village"]
        )
    status, _created = VillageStatus.objects.get_or_create(region=region)
    office = next((p for p in places if p.kind == Place.Kind.OFFICE), None)
    office_signal = (
        None
        if office is None or not office.observed_tech
        else usable(office.observed_tech)
    )
    settlements = [p for p in places if p.kind == Place.Kind.SETTLEMENT]
    s_total = sum(p.weight for p in settlements)
    s_known = sum(p.weight for p in settlements if p.observed_tech)
    s_signal = sum(p.weight for p in settlements if usable(p.observed_tech))
    economic = [p for p in places if p.kind in Place.ECONOMIC]
    known = [p for p in places if p.observed_tech]
    if not known:
        derived = VillageStatus.Status.UNKNOWN
    elif office_signal is False or (s_total > 0 and s_known - s_signal > s_total / 2):
        derived = VillageStatus.Status.BLANKSPOT
    elif all(usable(p.observed_tech) for p in known) and len(known) == len(places):
        derived = VillageStatus.Status.COVERED
    elif any(not usable(p.observed_tech) for p in known):
        derived = VillageStatus.Status.PARTIAL
    else:
        derived = VillageStatus.Status.COVERED
    techs = [p.observed_tech for p in known]
    status.status = derived
    status.office_signal = office_signal
    status.best_tech = max(techs, key=lambda t: TECH_RANK[t]) if techs else ""
    status.settlement_weight = s_total
    status.settlement_weight_known = s_known
    status.settlement_weight_signal = s_signal
    status.economic_total = len(economic)
    status.economic_signal = sum(1 for p in economic if usable(p.observed_tech))
    status.places_total = len(places)
    status.weight_total = sum(p.weight for p in places)
    status.weight_signal = sum(p.weight for p in places if usable(p.observed_tech))
    status.predicted_weight = sum(p.weight for p in places if p.predicted_covered)
    status.last_observed_at = max((o.observed_at for o in observations), default=None)
    status.refreshed_at = timezone.now()
    status.save()
    return status


def village_statuses_refresh(*, region: Region) -> int:
    """Refresh every village under ``region`` (a command, a task, the demo)."""
    villages = Region.objects.filter(
        subtree_q(region.kode, "kode"),
        level=Region.Level.VILLAGE,
    )
    n = 0
    for village in villages:
        village_status_refresh(region=village)
        n += 1
    return n


# --- towers and predicted coverage --------------------------------------------


def site_config(tower: Tower) -> Any:
    """The coverage package's configuration of a tower (plain data)."""
    from connectivity.coverage import DEFAULT_CONFIG

    return DEFAULT_CONFIG.with_(
        model=tower.model,
        environment=tower.environment,
        terrain=tower.terrain,
        frequency_mhz=tower.frequency_mhz,
        base_height_m=tower.height_m,
        eirp_dbm=tower.eirp_dbm,
        sensitivity_dbm=tower.sensitivity_dbm,
    )


_dem_cache: dict[tuple[int, str | None], Any] = {}


def active_dem() -> Any:
    """The elevation model in use (``coverage.terrain.Dem``), or None."""
    dem = Dem.objects.filter(active=True).first()
    if dem is None:
        return None
    key = (dem.pk, dem.file.name)
    if key not in _dem_cache:
        from connectivity.coverage.terrain import read_dem

        try:
            _dem_cache.clear()
            _dem_cache[key] = read_dem(dem.file.path)
        except (ImportError, OSError, ValueError):
            return None
    return _dem_cache[key]


def tower_range_km(tower: Tower, dem: Any = None) -> tuple[float, bool]:
    """Predicted range of a tower (km) and whether terrain was used."""
    from connectivity.coverage import max_range_km
    from connectivity.coverage.terrain import terrain_site_config

    config = site_config(tower)
    if dem is not None:
        terrain = terrain_site_config(dem, tower.lat, tower.lng, config)
        if terrain is not config:
            return max_range_km(terrain), True
    return max_range_km(config), False


_TOWER_FIELDS = (
    "name",
    "lat",
    "lng",
    "owner",
    "operator",
    "programme",
    "technology",
    "band",
    "height_m",
    "power",
    "backhaul",
    "model",
    "environment",
    "terrain",
    "frequency_mhz",
    "eirp_dbm",
    "sensitivity_dbm",
    "source",
    "on_air_at",
)


@transaction.atomic
def tower_create(
    *,
    actor: User | None,
    region: Region,
    name: str,
    lat: float,
    lng: float,
    owner: str,
    status: str = Tower.Status.PROPOSED,
    plan: SitingPlan | None = None,
    **fields: Any,
) -> Tower:
    _require(actor, "change", "connectivity.tower", region.kode)
    unknown = set(fields) - set(_TOWER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    validate_point(lat, lng)
    tower = Tower(
        region=region,
        name=name.strip(),
        lat=lat,
        lng=lng,
        owner=owner,
        status=status,
        plan=plan,
        **{k: v for k, v in fields.items() if v is not None},
    )
    tower.full_clean(exclude=["predicted_range_km"])
    tower.predicted_range_km, tower.predicted_terrain_aware = tower_range_km(
        tower, active_dem()
    )
    tower.save()
    TowerDossier.objects.create(tower=tower)
    TowerStatusChange.objects.create(tower=tower, to_status=status, by=actor)
    _audit(actor, AuditEntry.Action.CREATE, tower, region.kode, {"status": status})
    if tower.is_on_air:
        coverage_refresh_near(tower=tower)
    return tower


@transaction.atomic
def tower_update(*, actor: User | None, tower: Tower, **changes: Any) -> Tower:
    _require(actor, "change", "connectivity.tower", tower.region_id)
    unknown = set(changes) - set(_TOWER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = {k: str(getattr(tower, k)) for k in changes}
    for key, value in changes.items():
        if value is not None or key in ("programme", "on_air_at"):
            setattr(tower, key, value)
    validate_point(tower.lat, tower.lng)
    tower.full_clean(exclude=["predicted_range_km"])
    tower.predicted_range_km, tower.predicted_terrain_aware = tower_range_km(
        tower, active_dem()
    )
    tower.save()
    diff = {k: [before[k], str(getattr(tower, k))] for k in changes}
    _audit(actor, AuditEntry.Action.UPDATE, tower, tower.region_id, diff)
    if tower.is_on_air:
        coverage_refresh_near(tower=tower)
    return tower


@transaction.atomic
def tower_status_set(
    *, actor: User | None, tower: Tower, status: str, note: str = ""
) -> Tower:
    """Move a tower along proposed → surveyed → land ready → construction → on air."""
    _require(actor, "change", "connectivity.tower", tower.region_id)
    if status not in Tower.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == tower.status:
        return tower
    previous = tower.status
    tower.status = status
    if status == Tower.Status.ON_AIR and tower.on_air_at is None:
        tower.on_air_at = timezone.localdate()
    tower.save(update_fields=["status", "on_air_at", "updated_at"])
    TowerStatusChange.objects.create(
        tower=tower, from_status=previous, to_status=status, by=actor, note=note[:300]
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        tower,
        tower.region_id,
        {"status": [previous, status]},
    )
    if Tower.Status.ON_AIR in (status, previous):
        coverage_refresh_near(tower=tower)
    return tower


_DOSSIER_FIELDS = (
    "land_status",
    "land_width_m",
    "land_length_m",
    "land_owner",
    "land_letter",
    "access",
    "access_notes",
    "power_available",
    "request_letter",
    "support_letter",
    "notes",
)


@transaction.atomic
def tower_dossier_update(
    *, actor: User | None, tower: Tower, **changes: Any
) -> TowerDossier:
    _require(actor, "change", "connectivity.tower", tower.region_id)
    unknown = set(changes) - set(_DOSSIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    dossier, _created = TowerDossier.objects.get_or_create(tower=tower)
    for key, value in changes.items():
        if value is not None:
            setattr(dossier, key, value)
    dossier.full_clean()
    dossier.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        dossier,
        tower.region_id,
        {k: str(v) for k, v in changes.items() if v is not None and k != "notes"},
    )
    return dossier


def place_prediction_refresh(*, places: Sequence[Place], dem: Any = None) -> int:
    """Predicted coverage of places by the towers on air (kept apart from observed)."""
    from connectivity.coverage import Tower as SiteTower
    from connectivity.coverage import point_coverage

    if not places:
        return 0
    lat = [p.lat for p in places]
    lng = [p.lng for p in places]
    pad = 1.0  # degrees: no default site reaches farther than ~100 km
    towers = list(
        Tower.objects.filter(
            status=Tower.Status.ON_AIR,
            lat__range=(min(lat) - pad, max(lat) + pad),
            lng__range=(min(lng) - pad, max(lng) + pad),
        )
    )
    towers = [t for t in towers if usable(t.technology)]
    site_towers = [SiteTower(t.pk, t.lat, t.lng, site_config(t)) for t in towers]
    pc = point_coverage(
        [(p.pk, p.lat, p.lng) for p in places], site_towers, dem=dem or active_dem()
    )
    for k, place in enumerate(places):
        margin = float(pc.best_margin_db[k])
        place.predicted_covered = margin >= 0
        place.predicted_margin_db = round(margin, 2) if math.isfinite(margin) else None
        best = pc.best_tower[k]
        place.predicted_tower_id = int(best) if best is not None else None
    Place.objects.bulk_update(
        list(places),
        ["predicted_covered", "predicted_margin_db", "predicted_tower"],
        batch_size=500,
    )
    return len(places)


def coverage_refresh(*, region: Region) -> int:
    """Predicted coverage of every place under ``region`` (and village figures)."""
    places = list(Place.objects.filter(subtree_q(region.kode)))
    n = place_prediction_refresh(places=places)
    statuses = VillageStatus.objects.filter(region_id__in={p.region_id for p in places})
    weights: dict[str, float] = {}
    for p in places:
        if p.predicted_covered:
            weights[p.region_id] = weights.get(p.region_id, 0.0) + p.weight
    for s in statuses:
        s.predicted_weight = weights.get(s.region_id, 0.0)
    VillageStatus.objects.bulk_update(list(statuses), ["predicted_weight"])
    return n


def coverage_refresh_near(*, tower: Tower) -> None:
    """After a tower changes: refresh predictions in its kabupaten (after commit)."""
    from connectivity.tasks import coverage_refresh_task

    kab = ".".join(tower.region_id.split(".")[:2])
    transaction.on_commit(lambda: coverage_refresh_task.enqueue(region_kode=kab))


# --- siting plans -------------------------------------------------------------


def _region_places(region: Region) -> list[Place]:
    return list(Place.objects.filter(subtree_q(region.kode)).order_by("pk"))


def _grid_candidates(region: Region, grid_km: float) -> list[dict[str, Any]]:
    geometry = (
        RegionBoundary.objects.filter(region=region)
        .values_list("geometry", flat=True)
        .first()
    )
    box = geometry_bbox(geometry)
    if box is None:
        pad = 0.2
        box = (
            region.rep_lat - pad,
            region.rep_lat + pad,
            region.rep_lng - pad,
            region.rep_lng + pad,
        )
    lat_min, lat_max, lng_min, lng_max = box
    dlat = grid_km / 111.195
    dlng = dlat / max(math.cos(math.radians((lat_min + lat_max) / 2)), 0.1)
    out: list[dict[str, Any]] = []
    i = 0
    lat = lat_min + dlat / 2
    while lat < lat_max:
        lng = lng_min + dlng / 2
        while lng < lng_max:
            if geometry is None or geometry_contains(geometry, lat, lng):
                out.append(
                    {"id": f"grid:{i}", "lat": round(lat, 5), "lng": round(lng, 5)}
                )
                i += 1
            lng += dlng
        lat += dlat
    return out


def plan_instance_build(
    *,
    region: Region,
    budget: int | None,
    radius_km: float,
    grid_km: float = conf.DEFAULT_GRID_KM,
    extra_points: Sequence[tuple[float, float]] = (),
    use_grid: bool = True,
    use_offices: bool = True,
    use_towers: bool = True,
) -> dict[str, Any]:
    """The planner's instance for a region from the stored data.

    Demand: every priority place of the region (offices are created where
    missing) with its weight. Candidates: a grid over the region, village-government
    land (the office sites), towers not yet on air, towers on air below a usable
    technology (to upgrade), and points drawn by the user. Existing: towers on air
    with a usable technology, with their predicted range.
    """
    village_offices_ensure(region=region)
    places = _region_places(region)
    demand = [
        {"id": f"place:{p.pk}", "lat": p.lat, "lng": p.lng, "weight": p.weight}
        for p in places
    ]
    candidates: list[dict[str, Any]] = []
    if use_grid:
        candidates += _grid_candidates(region, grid_km)
    if use_offices:
        candidates += [
            {"id": f"land:{p.pk}", "lat": p.lat, "lng": p.lng}
            for p in places
            if p.kind == Place.Kind.OFFICE
        ]
    existing: list[dict[str, Any]] = []
    if places:
        lats = [p.lat for p in places]
        lngs = [p.lng for p in places]
        towers = Tower.objects.filter(
            lat__range=(min(lats) - 1, max(lats) + 1),
            lng__range=(min(lngs) - 1, max(lngs) + 1),
        )
        for t in towers:
            radius = t.predicted_range_km or radius_km
            if t.is_on_air and usable(t.technology):
                existing.append(
                    {
                        "id": f"tower:{t.pk}",
                        "lat": t.lat,
                        "lng": t.lng,
                        "radius_km": radius,
                    }
                )
            elif use_towers and t.region_id.startswith(region.kode):
                prefix = "upgrade" if t.is_on_air else "tower"
                candidates.append(
                    {"id": f"{prefix}:{t.pk}", "lat": t.lat, "lng": t.lng}
                )
    for n, (lat, lng) in enumerate(extra_points):
        validate_point(lat, lng, "points")
        candidates.append({"id": f"user:{n + 1}", "lat": lat, "lng": lng})
    return {
        "demand": demand,
        "candidates": candidates,
        "existing": existing,
        "budget": budget,
        "radius_km": radius_km,
    }


@transaction.atomic
def plan_create(
    *,
    actor: User | None,
    region: Region,
    budget: int | None,
    objective: str = SitingPlan.Objective.MAX_COVER,
    radius_km: float | None = None,
    grid_km: float = conf.DEFAULT_GRID_KM,
    time_limit: float = 10.0,
    extra_points: Sequence[tuple[float, float]] = (),
    name: str = "",
    run_inline: bool | None = None,
) -> SitingPlan:
    """Store a plan's inputs and solve it: inline when small, else in the worker."""
    _require(actor, "add", "connectivity.plan", region.kode)
    if region.level == Region.Level.VILLAGE:
        raise ValidationError({"region": _("Plan for a kecamatan or a regency.")})
    if objective == SitingPlan.Objective.MAX_COVER and not budget:
        raise ValidationError({"budget": _("Give a budget of at least one tower.")})
    if radius_km is None:
        radius_km = round(
            tower_range_km(Tower(lat=region.rep_lat, lng=region.rep_lng))[0], 2
        )
    plan = SitingPlan(
        region=region,
        name=name.strip()[:150],
        objective=objective,
        budget=budget,
        radius_km=radius_km,
        grid_km=grid_km,
        time_limit=min(max(time_limit, 1.0), 300.0),
        created_by=actor,
    )
    plan.full_clean(exclude=["instance"])
    plan.instance = plan_instance_build(
        region=region,
        budget=budget,
        radius_km=radius_km,
        grid_km=grid_km,
        extra_points=extra_points,
    )
    plan.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        plan,
        region.kode,
        {"budget": budget, "objective": objective},
    )
    pairs = len(plan.instance["demand"]) * len(plan.instance["candidates"])
    inline = run_inline if run_inline is not None else pairs <= conf.inline_plan_pairs()
    if inline:
        plan_run(plan=plan)
    else:
        from connectivity.tasks import plan_run_task

        plan_id = plan.pk
        transaction.on_commit(lambda: plan_run_task.enqueue(plan_id=plan_id))
    return plan


def plan_run(*, plan: SitingPlan) -> SitingPlan:
    """Solve a stored plan (idempotent: a finished plan is left as it is). A plan
    that cannot be solved ends "failed" with the reason, whatever went wrong."""
    from connectivity.siting import InvalidInstance
    from connectivity.siting import plan as solve

    if plan.status == SitingPlan.Status.DONE:
        return plan
    plan.started_at = timezone.now()
    SitingPlan.objects.filter(pk=plan.pk).update(
        status=SitingPlan.Status.RUNNING, started_at=plan.started_at
    )
    try:
        result = solve(
            plan.instance,
            time_limit=plan.time_limit,
            method="exact" if plan.method == "exact" else "greedy",
            objective=plan.objective,  # type: ignore[arg-type]
        )
        total = result["total_weight"]
        before = result["existing_covered_weight"] / total if total else 0.0
        after = result["covered_share"]
        if not all(math.isfinite(x) for x in (total, before, after)):
            raise ValueError(_("The weights add up to no finite number."))
    except InvalidInstance as exc:
        plan.status = SitingPlan.Status.FAILED
        plan.error = "; ".join(exc.problems)
    except Exception as exc:
        # The solver, numpy or HiGHS may fail in ways no one listed; the plan must
        # still end, never stay "running".
        log.exception("siting plan %s failed", plan.pk)
        plan.status = SitingPlan.Status.FAILED
        plan.error = str(
            _("The planner failed: %(error)s")
            % {"error": str(exc)[:500] or type(exc).__name__}
        )
    else:
        plan.result = result
        plan.status = SitingPlan.Status.DONE
        plan.covered_share_before = before
        plan.covered_share_after = after
        plan.error = result.get("reason", "")
    plan.finished_at = timezone.now()
    plan.save()
    return plan


#: A plan still "running" this long after its time limit was left behind by a
#: worker that stopped (killed, out of memory, redeployed).
PLAN_STALE_AFTER = dt.timedelta(minutes=15)


def plans_stale_fail(*, now: dt.datetime | None = None) -> int:
    """Mark "failed" the plans left running (or never started) by a worker that
    went away; returns how many."""
    now = now or timezone.now()
    failed = 0
    stale = SitingPlan.objects.filter(
        status__in=[SitingPlan.Status.RUNNING, SitingPlan.Status.PENDING]
    )
    for plan in stale:
        since = plan.started_at or plan.created_at
        limit = dt.timedelta(seconds=plan.time_limit) + PLAN_STALE_AFTER
        if plan.status == SitingPlan.Status.PENDING:
            limit += dt.timedelta(hours=1)  # waiting in the queue behind others
        if now - since <= limit:
            continue
        failed += SitingPlan.objects.filter(pk=plan.pk, status=plan.status).update(
            status=SitingPlan.Status.FAILED,
            error=str(
                _("The planner stopped without an answer (the worker was interrupted).")
            ),
            finished_at=now,
        )
    return failed


@transaction.atomic
def plan_adopt(
    *, actor: User | None, plan: SitingPlan, owner: str = Tower.Owner.BAKTI
) -> list[Tower]:
    """Turn a plan's new sites into proposed towers (once)."""
    _require(actor, "change", "connectivity.tower", plan.region_id)
    if plan.status != SitingPlan.Status.DONE or not plan.result:
        raise ValidationError(_("The plan has no result yet."))
    if plan.towers.exists():
        return list(plan.towers.order_by("pk"))
    towers: list[Tower] = []
    for n, site in enumerate(plan.result.get("sites", []), start=1):
        sid = str(site["id"])
        if sid.startswith("tower:"):
            continue  # already a planned tower
        village = village_for_point(lat=site["lat"], lng=site["lng"]) or plan.region
        towers.append(
            tower_create(
                actor=actor,
                region=village,
                name=_("Planned site %(n)s (%(plan)s)") % {"n": n, "plan": plan},
                lat=site["lat"],
                lng=site["lng"],
                owner=owner,
                status=Tower.Status.PROPOSED,
                plan=plan,
                source=f"plan {plan.pk}: {sid}",
            )
        )
    return towers


# --- programmes and progress --------------------------------------------------


@transaction.atomic
def programme_save(
    *,
    actor: User | None,
    slug: str,
    name: str,
    region: Region,
    kind: str = Programme.Kind.PROGRAMME,
    owner: str = "",
    year: int | None = None,
    target_villages: int | None = None,
    description: str = "",
    source: str = "",
    villages: Iterable[Region] | None = None,
) -> Programme:
    """Create or update a programme (by its slug) and, if given, its villages."""
    _require(actor, "change", "connectivity.programme", region.kode)
    programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
    created = programme.pk is None
    programme.name = name
    programme.region = region
    programme.kind = kind
    programme.owner = owner
    programme.year = year
    programme.target_villages = target_villages
    programme.description = description
    programme.source = source
    programme.full_clean()
    programme.save()
    if villages is not None:
        chosen = list(villages)
        for v in chosen:
            _village(v)
            if not region.contains_code(v.kode):
                raise ValidationError(
                    {
                        "villages": _("%(name)s is outside the programme's region.")
                        % {"name": v.name}
                    }
                )
        programme.villages.set(chosen)
    _audit(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        programme,
        region.kode,
        {"slug": slug},
    )
    return programme


def progress_snapshot_take(
    *, region: Region, day: dt.date | None = None
) -> ProgressSnapshot:
    """Store today's progress figures of a regency or kecamatan (idempotent per day)."""
    from connectivity.selectors import progress

    p = progress(region=region)
    snapshot, _created = ProgressSnapshot.objects.update_or_create(
        region=region,
        day=day or timezone.localdate(),
        defaults={
            "villages": p.villages,
            "villages_known": p.villages_known,
            "villages_signal": p.villages_signal,
            "offices_known": p.offices_known,
            "offices_signal": p.offices_signal,
            "settlement_weight": p.settlement_weight,
            "settlement_weight_signal": p.settlement_weight_signal,
            "economic": p.economic,
            "economic_signal": p.economic_signal,
            "towers_on_air": p.towers_on_air,
        },
    )
    return snapshot


def progress_snapshots_take(*, day: dt.date | None = None) -> int:
    """Snapshots of the province, every regency and every kecamatan."""
    regions = Region.objects.exclude(level=Region.Level.VILLAGE)
    n = 0
    for region in regions:
        progress_snapshot_take(region=region, day=day)
        n += 1
    return n


# --- elevation model ----------------------------------------------------------


@transaction.atomic
def dem_import(*, actor: User | None, name: str, upload: Any) -> Dem:
    """Store a GeoTIFF DEM (EPSG:4326) and use it for terrain-aware predictions.

    Needs the optional ``rasterio``; without it a clear ValidationError.
    """
    _require(actor, "change", "connectivity.dem", None)
    from connectivity.coverage.terrain import read_dem

    dem = Dem(
        name=name.strip() or getattr(upload, "name", "DEM"),
        lat_min=0,
        lat_max=0,
        lng_min=0,
        lng_max=0,
    )
    dem.file.save(getattr(upload, "name", "dem.tif").split("/")[-1], upload, save=False)
    try:
        raster = read_dem(dem.file.path)
    except ImportError as exc:
        dem.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from None
    except Exception as exc:  # rasterio raises its own error types
        dem.file.delete(save=False)
        raise ValidationError(
            {
                "file": _("This is not a readable GeoTIFF in EPSG:4326: %(e)s")
                % {"e": exc}
            }
        ) from None
    x0, dx, _rx, y0, _ry, dy = raster.transform
    rows, cols = raster.elevation.shape
    lats = sorted([y0, y0 + dy * rows])
    lngs = sorted([x0, x0 + dx * cols])
    dem.lat_min, dem.lat_max = lats
    dem.lng_min, dem.lng_max = lngs
    dem.shape = f"{rows}x{cols}"
    dem.full_clean()
    Dem.objects.filter(active=True).update(active=False)
    dem.active = True
    dem.save()
    _dem_cache.clear()
    _audit(actor, AuditEntry.Action.CREATE, dem, "", {"shape": dem.shape})
    for tower in Tower.objects.all():
        tower.predicted_range_km, tower.predicted_terrain_aware = tower_range_km(
            tower, raster
        )
        tower.save(update_fields=["predicted_range_km", "predicted_terrain_aware"])
    return dem


# --- the blankspot list -------------------------------------------------------


@dataclass
class BlankspotImport:
    villages: int = 0
    observations: int = 0
    missing: list[str] = field(default_factory=list)


KUKAR_PROGRAMME = "kukar-bebas-blankspot"
KUKAR_LIST_SOURCE = "Diskominfo Kukar, daftar desa blankspot Maret 2022 (berita publik)"


@transaction.atomic
def blankspots_import(
    *, rows: Iterable[dict[str, str]], observed_on: dt.date = dt.date(2022, 3, 1)
) -> BlankspotImport:
    """Load the 2022 list of Kukar's villages without signal (idempotent).

    Each village gets its office place, a confirmed village-level "no signal"
    observation from the government list, and membership of "Kukar bebas
    blankspot"; the derived status follows.
    """
    result = BlankspotImport()
    kukar = Region.objects.get(kode="64.02")
    programme = Programme.objects.filter(slug=KUKAR_PROGRAMME).first()
    if programme is None:
        programme = programme_save(
            actor=None,
            slug=KUKAR_PROGRAMME,
            name="Kukar bebas blankspot",
            region=kukar,
            owner="Pemkab Kutai Kartanegara (Diskominfo Kukar)",
            year=2022,
            description=(
                "Program Pemkab Kukar menjangkau permukiman, pusat layanan ekonomi "
                "dan kantor pemerintahan desa yang belum bersinyal: 10 desa "
                "diusulkan ke BAKTI, 9 desa dengan repeater Pemkab."
            ),
            source=KUKAR_LIST_SOURCE,
        )
    when = timezone.make_aware(dt.datetime.combine(observed_on, dt.time(12)))
    for row in rows:
        region = Region.objects.filter(
            kode=row["kode"].strip(), level=Region.Level.VILLAGE
        ).first()
        if region is None:
            result.missing.append(row["kode"])
            continue
        result.villages += 1
        village_office_ensure(region=region)
        programme.villages.add(region)
        key = f"list:kukar-2022:{region.kode}"
        if not Observation.objects.filter(idempotency_key=key).exists():
            program = row.get("program", "").strip()
            observation_create(
                actor=None,
                region=region,
                technology="none",
                method=Observation.Method.GOVERNMENT,
                observed_at=when,
                note=f"{program}: {row.get('nama_sumber', region.name)}"[:500],
                source=KUKAR_LIST_SOURCE,
                idempotency_key=key,
            )
            result.observations += 1
    return result
