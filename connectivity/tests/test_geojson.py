"""Connectivity layers served the RFC 7946 way (issue 11)."""

from itertools import pairwise

import pytest
from django.test import Client

from connectivity import services
from regions.models import Region

pytestmark = pytest.mark.django_db
V = "64.02.12.2005"


def test_place_areas_wind_counter_clockwise_as_geo_json(client: Client) -> None:
    region = Region.objects.get(kode=V)
    lat, lng = region.point
    d = 0.001
    clockwise = [
        [lng - d, lat - d],
        [lng - d, lat + d],
        [lng + d, lat + d],
        [lng + d, lat - d],
        [lng - d, lat - d],
    ]
    services.place_create(
        actor=None,
        region=region,
        kind="settlement",
        name="Kampung Uji",
        lat=lat,
        lng=lng,
        geometry={"type": "Polygon", "coordinates": [clockwise]},
    )
    response = client.get("/api/v1/connectivity/places.geojson", {"region": V})
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = [
        f
        for f in response.json()["features"]
        if f["properties"]["name"] == "Kampung Uji"
    ]
    ring = feature["properties"]["area"]["coordinates"][0]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))
    assert area > 0


def test_progress_report_pdf_embeds_its_font(client: Client) -> None:
    from connectivity import hooks
    from core.tests.pdf_checks import assert_embedded_font_with

    hooks.demo()
    Region.objects.filter(kode="64.02").update(name="Kutai Kartanegara Ñoño Đặng")
    pdf = client.get("/sinyal/wilayah/64.02/laporan.pdf")
    assert_embedded_font_with(pdf.content, "Kutai Kartanegara Ñoño Đặng")
