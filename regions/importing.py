"""Readers for the region files (CSV + GeoJSON, plain or gzipped).

Two CSV formats: Kaltim's (``kaltim_wilayah_2025.csv``, with coordinates and
boundaries beside it) and the national list (``indonesia_wilayah_2025.csv``: every
province, no coordinates). Plain Python: turns files into plain records for
``services.regions_import``.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CSV_NAME = "kaltim_wilayah_2025.csv"
NATIONAL_CSV_NAME = "indonesia_wilayah_2025.csv"
_KINDS = {
    "provinsi": ("provinsi",),
    "kabkota": ("kabupaten", "kota"),
    "kecamatan": ("kecamatan",),
    "desa_kel": ("desa", "kelurahan"),
}
GEOJSON_NAMES = ("kaltim_kabkota", "kaltim_kecamatan", "kaltim_desa_kel")
KODE_RE = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
PROVINCE = {"kode": "64", "name": "Kalimantan Timur"}


class RegionFileError(Exception):
    """A region file is missing or has bad rows; ``errors`` lists them by line."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass(frozen=True, slots=True)
class RegionRecord:
    kode: str
    name: str
    level: str
    kind: str
    parent: str | None
    lat: float | None
    lng: float | None
    rep_lat: float | None
    rep_lng: float | None
    area_km2: float | None
    postal_code: str
    population: int | None


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _find(directory: Path, stem: str) -> Path | None:
    for candidate in (directory / stem, directory / f"{stem}.gz"):
        if candidate.exists():
            return candidate
    return None


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@dataclass(frozen=True)
class RegionFile:
    """The records of one region file and what was wrong with it without stopping
    the import: ``duplicates`` are repeated codes (the first row is kept)."""

    path: Path
    records: list[RegionRecord]
    duplicates: list[str]


def read_source(directory: Path) -> RegionFile:
    """The region file in ``directory``: Kaltim's CSV when present, else the
    national one. Malformed rows stop the reading (RegionFileError lists them by
    line); a repeated code is reported and its first row kept."""
    path = _find(directory, CSV_NAME)
    national = path is None
    if national:
        path = _find(directory, NATIONAL_CSV_NAME)
    if path is None:
        raise RegionFileError(
            f"{CSV_NAME} not found in {directory} (nor {NATIONAL_CSV_NAME})"
        )
    parse = _national_record if national else _record
    records: list[RegionRecord] = []
    errors: list[str] = []
    duplicates: list[str] = []
    first_line: dict[str, int] = {}
    with _open_text(path) as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                record = parse(row)
            except (KeyError, ValueError, AttributeError) as exc:
                errors.append(f"line {line}: {exc}")
                continue
            if record.kode in first_line:
                duplicates.append(
                    f"line {line}: kode {record.kode} ({record.name}) repeats line "
                    f"{first_line[record.kode]}; the first is kept"
                )
                continue
            first_line[record.kode] = line
            records.append(record)
    if errors:
        raise RegionFileError(f"{len(errors)} bad rows in {path.name}", errors)
    if not national:
        records = [_province(records), *records]
    return RegionFile(path=path, records=records, duplicates=duplicates)


def read_records(directory: Path) -> list[RegionRecord]:
    """The records of the region file in ``directory`` (see ``read_source``)."""
    return read_source(directory).records


def _kode_name(row: dict[str, str]) -> tuple[str, str]:
    """The row's Kemendagri code and name, both checked."""
    kode = row["kode"].strip()
    if not KODE_RE.match(kode):
        raise ValueError(f"kode {kode!r} is not a Kemendagri code")
    name = row["nama"].strip()
    if not name:
        raise ValueError("nama is empty")
    return kode, name


def _national_record(row: dict[str, str]) -> RegionRecord:
    """A row of the national list: kode, nama, level, jenis, induk, penduduk."""
    kode, name = _kode_name(row)
    level, kind = row["level"].strip(), row["jenis"].strip()
    if level not in _KINDS:
        raise ValueError(f"level {level!r} is unknown")
    if kind not in _KINDS[level]:
        raise ValueError(f"jenis {kind!r} does not fit level {level}")
    parent = row["induk"].strip() or None
    depth = {"provinsi": 1, "kabkota": 2, "kecamatan": 3, "desa_kel": 4}[level]
    if kode.count(".") + 1 != depth:
        raise ValueError(f"kode {kode} is not a code of level {level}")
    if level == "provinsi":
        if parent:
            raise ValueError(f"province {kode} has a parent {parent}")
    elif parent is None or not kode.startswith(parent + "."):
        raise ValueError(f"kode {kode} does not lie under its parent {parent}")
    population = row.get("penduduk", "").strip()
    return RegionRecord(
        kode=kode,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        lat=None,
        lng=None,
        rep_lat=None,
        rep_lng=None,
        area_km2=None,
        postal_code="",
        population=int(float(population)) if population else None,
    )


def _record(row: dict[str, str]) -> RegionRecord:
    kode, name = _kode_name(row)
    level = row["level"].strip()
    if level == "kabkota":
        kind = "kota" if name.lower().startswith("kota") else "kabupaten"
        parent = kode.split(".")[0]
    elif level == "kecamatan":
        kind, parent = "kecamatan", row["kode_kab"].strip()
    elif level == "desa_kel":
        kind, parent = row["jenis"].strip(), row["kode_kec"].strip()
        if kind not in ("desa", "kelurahan"):
            raise ValueError(f"jenis {kind!r} is neither desa nor kelurahan")
    else:
        raise ValueError(f"level {level!r} is unknown")
    if not kode.startswith(parent + "."):
        raise ValueError(f"kode {kode} does not lie under its parent {parent}")
    rep_lat, rep_lng = _float(row["rep_lat"]), _float(row["rep_lng"])
    if rep_lat is None or rep_lng is None:
        raise ValueError("rep_lat/rep_lng missing")
    population = row.get("penduduk_kab", "").strip()
    return RegionRecord(
        kode=kode,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        lat=_float(row["lat"]),
        lng=_float(row["lng"]),
        rep_lat=rep_lat,
        rep_lng=rep_lng,
        area_km2=_float(row["area_km2"]),
        postal_code=row.get("kodepos", "").strip(),
        population=int(float(population))
        if level == "kabkota" and population
        else None,
    )


def _province(records: list[RegionRecord]) -> RegionRecord:
    """The province row, which the CSV lacks, derived from its kabupaten/kota."""
    kabs = [r for r in records if r.level == "kabkota"]
    area = sum(r.area_km2 or 0 for r in kabs) or 1.0
    points = [(r, r.rep_lat or 0.0, r.rep_lng or 0.0) for r in kabs]
    lat = sum((r.lat or rl) * (r.area_km2 or 0) for r, rl, _ in points) / area
    lng = sum((r.lng or rg) * (r.area_km2 or 0) for r, _, rg in points) / area
    # The area-weighted centroid may fall outside a concave province; a kabupaten's
    # representative point never does.
    nearest = min(points, key=lambda p: (p[1] - lat) ** 2 + (p[2] - lng) ** 2)[0]
    return RegionRecord(
        kode=PROVINCE["kode"],
        name=PROVINCE["name"],
        level="provinsi",
        kind="provinsi",
        parent=None,
        lat=round(lat, 6),
        lng=round(lng, 6),
        rep_lat=nearest.rep_lat,
        rep_lng=nearest.rep_lng,
        area_km2=round(area, 3),
        postal_code="",
        population=sum(r.population or 0 for r in kabs) or None,
    )


def has_boundaries(directory: Path) -> bool:
    """Whether ``directory`` holds boundary files (the national list has none)."""
    stems = ["kaltim_boundaries.json", *(f"{s}.geojson" for s in GEOJSON_NAMES)]
    return any(_find(directory, stem) is not None for stem in stems)


def iter_boundaries(directory: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (kode, geometry) from the three GeoJSON files, or a packed one."""
    packed = _find(directory, "kaltim_boundaries.json")
    if packed is not None:
        with _open_text(packed) as handle:
            yield from json.load(handle).items()
        return
    kab_geometries: list[dict[str, Any]] = []
    for stem in GEOJSON_NAMES:
        path = _find(directory, f"{stem}.geojson")
        if path is None:
            raise RegionFileError(f"{stem}.geojson not found in {directory}")
        with _open_text(path) as handle:
            collection = json.load(handle)
        for feature in collection.get("features", []):
            kode = feature.get("properties", {}).get("kode")
            geometry = feature.get("geometry")
            if kode and geometry:
                if stem == "kaltim_kabkota":
                    kab_geometries.append(geometry)
                yield kode, geometry
    yield PROVINCE["kode"], merge_polygons(kab_geometries)


def merge_polygons(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    """One MultiPolygon holding every polygon of the given geometries (no dissolve)."""
    polygons: list[Any] = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons}
