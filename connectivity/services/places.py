"""Places of a village: create, correct, delete and import them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from connectivity.geo import (
    geometry_bbox,
    validate_point,
)
from connectivity.models import (
    Place,
)
from connectivity.services._common import _audit, _known_fields, _require, _village
from connectivity.services.coverage import place_prediction_refresh
from connectivity.services.offices import place_default_weight
from connectivity.services.status import village_status_refresh
from regions.models import Region


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
    _known_fields(changes, _PLACE_FIELDS)
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
                    fields = _changed(existing, fields, has_area="geometry" in row)
                    if fields:
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


def _changed(place: Place, fields: dict[str, Any], *, has_area: bool) -> dict[str, Any]:
    """The fields a row really changes: a row exported and imported again is no
    correction (its weight is not pinned, its point not marked as moved, a CSV
    row without an area keeps the place's area)."""
    changed = {}
    for key, value in fields.items():
        stored = getattr(place, key)
        if key == "geometry" and not has_area:
            continue
        if isinstance(value, float) and isinstance(stored, float):
            same = abs(value - stored) < (1e-6 if key in ("lat", "lng") else 0.005)
        else:
            same = value == stored
        if not same:
            changed[key] = value
    return changed


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
