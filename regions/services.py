from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from regions.importing import RegionRecord
from regions.models import Region, RegionBoundary
from regions.search import normalize, skeleton

_LEVEL_ORDER = ["provinsi", "kabkota", "kecamatan", "desa_kel"]
_UPDATE_FIELDS = [
    "name",
    "level",
    "kind",
    "parent",
    "lat",
    "lng",
    "rep_lat",
    "rep_lng",
    "area_km2",
    "postal_code",
    "population",
    "search_name",
    "search_key",
]


@dataclass(frozen=True)
class RegionImportResult:
    regions: int
    boundaries: int
    by_level: dict[str, int]


def regions_import(
    *,
    records: Iterable[RegionRecord],
    boundaries: Iterable[tuple[str, dict[str, Any]]],
) -> RegionImportResult:
    """Insert or update regions and their boundaries; running it again changes nothing.

    Parents are written before their children, so the whole tree may come in any
    order. Boundaries of unknown codes are ignored.
    """
    by_level: dict[str, list[Region]] = {level: [] for level in _LEVEL_ORDER}
    for record in records:
        region = Region(
            kode=record.kode,
            name=record.name,
            level=record.level,
            kind=record.kind,
            parent_id=record.parent,
            lat=record.lat,
            lng=record.lng,
            rep_lat=record.rep_lat,
            rep_lng=record.rep_lng,
            area_km2=record.area_km2,
            postal_code=record.postal_code,
            population=record.population,
            search_name=normalize(record.name),
            search_key=skeleton(record.name),
        )
        region.clean_fields(exclude=["parent", "search_name", "search_key"])
        by_level[record.level].append(region)
    with transaction.atomic():
        for level in _LEVEL_ORDER:
            Region.objects.bulk_create(
                by_level[level],
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kode"],
                update_fields=_UPDATE_FIELDS,
            )
        known = set(Region.objects.values_list("kode", flat=True))
        shapes = [
            RegionBoundary(region_id=kode, geometry=geometry)
            for kode, geometry in boundaries
            if kode in known
        ]
        RegionBoundary.objects.bulk_create(
            shapes,
            batch_size=200,
            update_conflicts=True,
            unique_fields=["region"],
            update_fields=["geometry"],
        )
    return RegionImportResult(
        regions=sum(len(v) for v in by_level.values()),
        boundaries=len(shapes),
        by_level={level: len(items) for level, items in by_level.items()},
    )
