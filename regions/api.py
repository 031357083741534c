from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from core.api import found_or_404
from core.geojson import geojson_response
from core.pagination import paged
from regions.models import Region
from regions.selectors import (
    region_children_features,
    region_feature,
    region_get,
    region_list,
    region_summary,
)

router = Router(tags=["regions"])

KODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
LevelName = Literal["provinsi", "kabkota", "kecamatan", "desa_kel"]


class Point(Schema):
    lat: float
    lng: float


class RegionRef(Schema):
    kode: str
    name: str
    level: str


class RegionItem(RegionRef):
    kind: str
    parent: str | None = Field(alias="parent_id")
    # None where the region has no coordinates (outside Kaltim, the national list).
    rep_point: Point | None
    area_km2: float | None
    postal_code: str

    @staticmethod
    def resolve_rep_point(obj: Region) -> dict[str, float] | None:
        if obj.rep_lat is None or obj.rep_lng is None:
            return None
        return {"lat": obj.rep_lat, "lng": obj.rep_lng}


class ChildrenCounts(Schema):
    kabkota: int
    kecamatan: int
    desa_kel: int
    desa: int
    kelurahan: int


class RegionDetail(RegionRef):
    kind: str
    parent: str | None
    rep_point: Point | None
    area_km2: float | None
    postal_code: str
    parent_region: RegionRef | None
    centroid: Point | None
    population: int | None
    children: int
    children_counts: ChildrenCounts
    url: str
    # When Kemendagri's list stopped having the code (kept, never deleted).
    retired_at: datetime | None
    former_names: list[str]


class RegionFilters(Schema):
    parent: str | None = Field(None, pattern=KODE_PATTERN)
    level: LevelName | None = None
    q: str = Field("", max_length=100)


def _get(kode: str) -> Region:
    import re

    if not re.match(KODE_PATTERN, kode):
        raise HttpError(400, f"'{kode}' bukan kode wilayah Kemendagri (contoh: 64.02).")
    return found_or_404(
        region_get(kode=kode), f"Wilayah dengan kode {kode} tidak ditemukan."
    )


@router.get("/regions", response=list[RegionItem])
@paged(50)
def list_regions(
    request: HttpRequest, filters: Query[RegionFilters]
) -> QuerySet[Region]:
    """Regions by parent code and level, searched by name (``q``), paginated."""
    return region_list(parent=filters.parent, level=filters.level, q=filters.q)


@router.get("/regions/{kode}", response=RegionDetail)
def get_region(request: HttpRequest, kode: str) -> dict[str, Any]:
    region = _get(kode)
    summary = region_summary(region=region)
    parent = region.parent
    return {
        "kode": region.kode,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "parent": region.parent_id,
        "parent_region": (
            {"kode": parent.kode, "name": parent.name, "level": parent.level}
            if parent
            else None
        ),
        "rep_point": RegionItem.resolve_rep_point(region),
        "centroid": (
            {"lat": region.lat, "lng": region.lng} if region.lat is not None else None
        ),
        "area_km2": region.area_km2,
        "postal_code": region.postal_code,
        "population": region.population,
        "children": region.children.count(),
        "children_counts": {
            **{k: v for k, v in summary.descendants.items()},
            "desa": summary.desa,
            "kelurahan": summary.kelurahan,
        },
        "url": request.build_absolute_uri(region.get_absolute_url()),
        "retired_at": region.retired_at,
        "former_names": [item["name"] for item in region.former_names],
    }


@router.get("/regions/{kode}/geojson")
def region_geojson(
    request: HttpRequest, kode: str, children: bool = False
) -> HttpResponse:
    """The region's boundary as a GeoJSON Feature, or its children's as a collection."""
    region = _get(kode)
    if children:
        return geojson_response(region_children_features(region=region))
    return geojson_response(region_feature(region=region))
