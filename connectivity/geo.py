"""Small geometry helpers of the app: coordinate checks and point-in-polygon.

Plain Python; the heavy geometry lives in ``connectivity.coverage``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Indonesia's extent with a margin (Sabang to Merauke, Rote to Miangas); the same
#: box as ``connectivity.siting.instance``.
LAT_RANGE = (-11.0, 6.5)
LNG_RANGE = (94.0, 141.5)


def in_indonesia(lat: float, lng: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def point_problem(lat: float | None, lng: float | None) -> str | None:
    """Why a point cannot be a place in Indonesia, or None when it can."""
    if lat is None or lng is None:
        return _("Give both latitude and longitude.")
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return _("Latitude and longitude must be numbers.")
    if in_indonesia(lat, lng):
        return None
    if in_indonesia(lng, lat):
        return _(
            "Latitude and longitude look swapped: in Indonesia the latitude is "
            "between -11 and 6.5 and the longitude between 94 and 141.5 "
            "(e.g. lat -0.42, lng 116.99)."
        )
    return _(
        "This point is outside Indonesia (latitude -11 to 6.5, longitude 94 to 141.5)."
    )


def validate_point(lat: float | None, lng: float | None, field: str = "lat") -> None:
    problem = point_problem(lat, lng)
    if problem:
        raise ValidationError({field: problem})


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, a)))


def _ring_contains(ring: Sequence[Sequence[float]], x: float, y: float) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def geometry_contains(geometry: dict[str, Any] | None, lat: float, lng: float) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon (lon/lat) contains the point."""
    if not geometry:
        return False
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polygons = (
        [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    )
    for polygon in polygons:
        if not polygon:
            continue
        if _ring_contains(polygon[0], lng, lat) and not any(
            _ring_contains(hole, lng, lat) for hole in polygon[1:]
        ):
            return True
    return False


def geometry_bbox(
    geometry: dict[str, Any] | None,
) -> tuple[float, float, float, float] | None:
    """(lat_min, lat_max, lng_min, lng_max) of a GeoJSON geometry."""
    if not geometry:
        return None
    xs: list[float] = []
    ys: list[float] = []

    def walk(node: Any) -> None:
        if node and isinstance(node[0], (int, float)):
            xs.append(float(node[0]))
            ys.append(float(node[1]))
        else:
            for child in node:
                walk(child)

    walk(geometry.get("coordinates") or [])
    if not xs:
        return None
    return min(ys), max(ys), min(xs), max(xs)


def geometry_centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """A rough (lat, lng) centre of a polygon: the mean of its outer ring."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Point" and len(coords) >= 2:
        return float(coords[1]), float(coords[0])
    ring: list[Any] = []
    if kind == "Polygon" and coords:
        ring = coords[0]
    elif kind == "MultiPolygon" and coords and coords[0]:
        ring = coords[0][0]
    if not ring:
        return None
    return (
        sum(float(p[1]) for p in ring) / len(ring),
        sum(float(p[0]) for p in ring) / len(ring),
    )
