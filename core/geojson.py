"""GeoJSON as RFC 7946 wants it: exterior rings counter-clockwise, holes
clockwise, served as ``application/geo+json``."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from geojson_rewind import rewind

GEOJSON_TYPE = "application/geo+json"


def rfc7946_geometry(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a geometry with its rings wound the RFC 7946 way (the boundary
    files we import wind them clockwise)."""
    if not geometry or not isinstance(geometry, dict) or "type" not in geometry:
        return geometry
    return rewind(geometry)


def geojson_response(data: dict[str, Any], **kwargs: Any) -> HttpResponse:
    """A GeoJSON object (Feature, FeatureCollection…) as ``application/geo+json``."""
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type=GEOJSON_TYPE,
        **kwargs,
    )


def tolerance_for_zoom(zoom: int) -> float:
    """Degrees of longitude that one screen pixel spans at a web-map zoom level:
    detail finer than that is not seen, so it need not travel."""
    return 360.0 / (256 * 2 ** max(0, min(zoom, 20)))


def _simplify_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on one ring or line (iterative: rings run to thousands
    of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first][0], points[first][1]
        bx, by = points[last][0], points[last][1]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] - ax, points[i][1] - ay
            if norm:
                t = max(0.0, min(1.0, (px * dx + py * dy) / norm))
                ex, ey = px - t * dx, py - t * dy
            else:
                ex, ey = px, py
            d2 = ex * ex + ey * ey
            if d2 > worst:
                worst, index = d2, i
        if worst > tol2:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """A closed ring keeps at least four points (a triangle) or it is dropped."""
    out = _simplify_line(ring, tolerance)
    return out if len(out) >= 4 else []


def simplify_geometry(
    geometry: dict[str, Any] | None, tolerance: float
) -> dict[str, Any] | None:
    """A copy of a (Multi)Polygon or (Multi)LineString with detail under
    ``tolerance`` (degrees) removed; rings that would vanish are left out, but a
    polygon keeps its exterior ring as given rather than disappear."""
    if not geometry or tolerance <= 0:
        return geometry
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not coords:
        return geometry

    def polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
        outer = _simplify_ring(rings[0], tolerance) or rings[0]
        return [outer] + [
            r for r in (_simplify_ring(h, tolerance) for h in rings[1:]) if r
        ]

    # Coordinates rounded to a tenth of the tolerance: shorter numbers, same map.
    digits = max(0, math.ceil(-math.log10(tolerance)) + 1)

    def rounded(value: Any) -> Any:
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return round(value, digits) if isinstance(value, float) else value

    if kind == "Polygon":
        new: Any = polygon(coords)
    elif kind == "MultiPolygon":
        new = [polygon(p) for p in coords if p]
    elif kind == "LineString":
        new = _simplify_line(coords, tolerance)
    elif kind == "MultiLineString":
        new = [_simplify_line(line, tolerance) for line in coords]
    else:
        return geometry
    return {**geometry, "coordinates": rounded(new)}
