"""Boundaries served the RFC 7946 way (issue 11): exterior rings
counter-clockwise, holes clockwise, as application/geo+json."""

from itertools import pairwise
from typing import Any

import pytest
from django.test import Client

from core.geojson import rfc7946_geometry

pytestmark = pytest.mark.django_db


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in pairwise(ring))


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return geometry["coordinates"]


def _assert_rfc7946(geometry: dict[str, Any]) -> None:
    for rings in _polygons(geometry):
        assert _signed_area(rings[0]) > 0
        assert all(_signed_area(hole) < 0 for hole in rings[1:])


def test_region_boundaries_wind_counter_clockwise(client: Client, kaltim) -> None:
    response = client.get("/api/v1/regions/64.02/geojson")
    assert response["Content-Type"] == "application/geo+json"
    _assert_rfc7946(response.json()["geometry"])
    children = client.get("/api/v1/regions/64.02/geojson", {"children": "true"})
    assert children["Content-Type"] == "application/geo+json"
    features = children.json()["features"]
    assert len(features) > 5
    for feature in features:
        _assert_rfc7946(feature["geometry"])
    # The region page's map data is not GeoJSON itself but holds the same shapes.
    page_data = client.get("/wilayah/64.02/peta.json").json()
    _assert_rfc7946(page_data["region"]["geometry"])
    for feature in page_data["children"]["features"]:
        _assert_rfc7946(feature["geometry"])


def test_holes_wind_clockwise() -> None:
    outer_cw = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]
    hole_ccw = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]
    fixed = rfc7946_geometry({"type": "Polygon", "coordinates": [outer_cw, hole_ccw]})
    assert fixed is not None
    _assert_rfc7946(fixed)
    assert rfc7946_geometry(None) is None
