"""Boundaries simplified for the zoom a map shows (core.geojson)."""

from __future__ import annotations

import math

from core.geojson import simplify_geometry, tolerance_for_zoom


def _circle(n: int, radius: float = 1.0) -> list[list[float]]:
    ring = [
        [
            116.0 + radius * math.cos(2 * math.pi * i / n),
            0.5 + radius * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    return [*ring, ring[0]]


def test_tolerance_halves_with_each_zoom_level() -> None:
    assert tolerance_for_zoom(0) == 360 / 256
    assert tolerance_for_zoom(9) == tolerance_for_zoom(8) / 2
    assert tolerance_for_zoom(-3) == tolerance_for_zoom(0)


def test_polygon_loses_detail_under_the_tolerance_and_stays_closed() -> None:
    polygon = {"type": "Polygon", "coordinates": [_circle(2000)]}
    coarse = simplify_geometry(polygon, tolerance_for_zoom(6))
    fine = simplify_geometry(polygon, tolerance_for_zoom(12))
    assert coarse is not None and fine is not None
    outer = coarse["coordinates"][0]
    assert 4 <= len(outer) < len(fine["coordinates"][0]) <= 2001
    assert outer[0] == outer[-1]
    # Every kept point still lies on the circle (within rounding).
    for x, y in outer:
        assert abs(math.hypot(x - 116.0, y - 0.5) - 1.0) < 1e-3
    assert polygon["coordinates"][0] == _circle(2000)  # the input is not changed


def test_tiny_holes_go_tiny_islands_stay() -> None:
    shape = {
        "type": "MultiPolygon",
        "coordinates": [
            [_circle(200), _circle(8, radius=1e-5)],
            [_circle(5, radius=1e-5)],
        ],
    }
    result = simplify_geometry(shape, tolerance_for_zoom(6))
    assert result is not None
    big, island = result["coordinates"]
    assert len(big) == 1  # the hole smaller than a pixel is gone
    assert len(island[0]) == 6  # the island keeps its ring rather than vanish


def test_other_geometries_and_nothing_pass_through() -> None:
    point = {"type": "Point", "coordinates": [116.0, 0.5]}
    assert simplify_geometry(point, 0.1) == point
    assert simplify_geometry(None, 0.1) is None
    line = {"type": "LineString", "coordinates": [[0.0, 0.0], [0.5, 1e-6], [1.0, 0.0]]}
    assert simplify_geometry(line, 0.01)["coordinates"] == [[0.0, 0.0], [1.0, 0.0]]  # type: ignore[index]
