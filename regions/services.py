from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regions.importing import RegionRecord
from regions.models import Region, RegionBoundary
from regions.search import normalize, skeleton

_LEVEL_ORDER = ["provinsi", "kabkota", "kecamatan", "desa_kel"]
# Geometry fields: a record without them (the national list) keeps what is stored.
_GEOMETRY_FIELDS = ["lat", "lng", "rep_lat", "rep_lng", "area_km2", "postal_code"]
_UPDATE_FIELDS = [
    "name",
    "level",
    "kind",
    "parent",
    *_GEOMETRY_FIELDS,
    "population",
    "search_name",
    "search_key",
    "retired_at",
    "former_names",
    "former_search",
]
_COMPARED = [f if f != "parent" else "parent_id" for f in _UPDATE_FIELDS]
BATCH = 2000


@dataclass
class RegionImportResult:
    """What an import did; ``problems`` are the rows it skipped and why."""

    regions: int
    boundaries: int
    by_level: dict[str, int]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    renamed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    retired_with_records: dict[str, int] = field(default_factory=dict)
    reinstated: int = 0
    skipped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _former_search(former: list[dict[str, str]]) -> str:
    text = " | ".join(normalize(item["name"]) for item in former)
    return text[:255]


def regions_import(
    *,
    records: Iterable[RegionRecord],
    boundaries: Iterable[tuple[str, dict[str, Any]]],
    duplicates: Iterable[str] = (),
) -> RegionImportResult:
    """Insert or update regions and their boundaries in one pass; running it again
    changes nothing.

    - Parents are written before their children, so the file may come in any order.
    - A record whose parent is neither in the file nor in the database is skipped
      and reported (with its descendants); the rest is imported.
    - A repeated code: the first record wins, the others are reported.
    - A renamed region keeps its former names (``former_names``), still searchable.
    - A record without coordinates (the national list) keeps the stored ones, so
      Kaltim's points and boundaries survive a national import.
    - Codes of the file's provinces that the file no longer has are retired
      (``retired_at``), never deleted: KIMs and reports that point at them stay.
    Boundaries of unknown codes are ignored.
    """
    now = timezone.now()
    result = RegionImportResult(
        regions=0, boundaries=0, by_level={}, duplicates=list(duplicates)
    )
    by_level: dict[str, list[RegionRecord]] = {level: [] for level in _LEVEL_ORDER}
    seen: set[str] = set()
    for record in records:
        if record.kode in seen:
            result.duplicates.append(
                f"kode {record.kode} ({record.name}) repeats; the first is kept"
            )
            continue
        seen.add(record.kode)
        by_level[record.level].append(record)
    with transaction.atomic():
        existing: dict[str, dict[str, Any]] = {
            row["kode"]: row for row in Region.objects.values("kode", *_COMPARED)
        }
        accepted: set[str] = set()
        to_create: list[Region] = []
        to_update: list[Region] = []
        for level in _LEVEL_ORDER:
            for record in by_level[level]:
                if record.parent is not None and not (
                    record.parent in accepted or record.parent in existing
                ):
                    result.skipped.append(
                        f"kode {record.kode} ({record.name}): parent {record.parent} "
                        "is neither in the file nor in the database; skipped"
                    )
                    continue
                accepted.add(record.kode)
                region = _region_for(record, existing.get(record.kode), now, result)
                if region is None:
                    result.unchanged += 1
                elif record.kode in existing:
                    to_update.append(region)
                else:
                    to_create.append(region)
        for region in to_create:
            region.clean_fields(
                exclude=["parent", "search_name", "search_key", "former_search"]
            )
        for region in to_update:
            region.clean_fields(
                exclude=["parent", "search_name", "search_key", "former_search"]
            )
        # Created level by level (to_create is in level order): parents first.
        Region.objects.bulk_create(to_create, batch_size=BATCH)
        Region.objects.bulk_update(to_update, _UPDATE_FIELDS, batch_size=BATCH)
        result.created, result.updated = len(to_create), len(to_update)
        _retire(accepted, by_level, existing, now, result)
        known = set(existing) | accepted
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
    counts = {level: 0 for level in _LEVEL_ORDER}
    for kode in accepted:
        counts[_LEVEL_ORDER[kode.count(".")]] += 1
    result.regions = len(accepted)
    result.by_level = counts
    result.boundaries = len(shapes)
    # Filter lists read the regencies from the cache.
    from regions.selectors import REGENCY_CHOICES_KEY

    transaction.on_commit(lambda: cache.delete(REGENCY_CHOICES_KEY))
    return result


def _region_for(
    record: RegionRecord,
    stored: dict[str, Any] | None,
    now: Any,
    result: RegionImportResult,
) -> Region | None:
    """The region to write for ``record``, or None when the stored one is the same."""
    values: dict[str, Any] = {
        "name": record.name,
        "level": record.level,
        "kind": record.kind,
        "parent_id": record.parent,
        "lat": record.lat,
        "lng": record.lng,
        "rep_lat": record.rep_lat,
        "rep_lng": record.rep_lng,
        "area_km2": record.area_km2,
        "postal_code": record.postal_code,
        "population": record.population,
        "search_name": normalize(record.name),
        "search_key": skeleton(record.name),
        "retired_at": None,
        "former_names": [],
        "former_search": "",
    }
    if stored is not None:
        if record.rep_lat is None:
            for name in _GEOMETRY_FIELDS:
                values[name] = stored[name]
        if record.population is None:
            values["population"] = stored["population"]
        former = list(stored["former_names"] or [])
        if stored["name"] != record.name:
            former.append({"name": stored["name"], "until": now.date().isoformat()})
            result.renamed.append(f"{record.kode}: {stored['name']} → {record.name}")
        values["former_names"] = former
        values["former_search"] = _former_search(former)
        if stored["retired_at"] is not None:
            result.reinstated += 1
        if all(stored[name] == values[name] for name in _COMPARED):
            return None
    return Region(kode=record.kode, **values)


def _retire(
    accepted: set[str],
    by_level: dict[str, list[RegionRecord]],
    existing: dict[str, dict[str, Any]],
    now: Any,
    result: RegionImportResult,
) -> None:
    """Flag the regions of the file's provinces that the file no longer lists."""
    provinces = {r.kode for r in by_level["provinsi"]}
    gone = [
        kode
        for kode, row in existing.items()
        if kode not in accepted
        and row["retired_at"] is None
        and kode.split(".")[0] in provinces
    ]
    if not gone:
        return
    for start in range(0, len(gone), BATCH):
        Region.objects.filter(kode__in=gone[start : start + BATCH]).update(
            retired_at=now
        )
    result.retired = sorted(gone)
    # Which records still point at the retired codes: they keep them.
    for relation in Region._meta.related_objects:
        model = relation.related_model
        if model in (Region, RegionBoundary) or relation.many_to_many:
            continue
        name = relation.field.name
        count = 0
        for start in range(0, len(gone), BATCH):
            count += model._default_manager.filter(
                Q(**{f"{name}__in": gone[start : start + BATCH]})
            ).count()
        if count:
            label = str(model._meta.verbose_name_plural)
            result.retired_with_records[label] = count
