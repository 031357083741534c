import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_the_province_and_its_regencies(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalimantan Timur" in html
    assert "Kabupaten Kutai Kartanegara" in html
    assert 'href="/wilayah/64.02/"' in html
    assert 'lang="id"' in html


def test_home_is_for_people_first(client: Client) -> None:
    html = client.get("/").content.decode()
    main = html[html.index("<main>") :]
    actions = [
        ("Cek hoaks", 'href="/cek-fakta/"'),
        ("Lapor tak ada sinyal", 'href="/sinyal/lapor/"'),
        ("Cari KIM", 'href="/kim/"'),
        ("Acara terdekat", 'href="/acara/"'),
    ]
    positions = [main.index(text) for text, _ in actions]
    assert positions == sorted(positions)
    for _, href in actions:
        assert href in main
    # Then the latest verdicts and news; the charts moved to the data page.
    assert main.index("Acara terdekat") < main.index("Hasil cek fakta terbaru")
    assert "Kabar terbaru" in main
    assert 'href="/wilayah/64/data/"' in main and "Data wilayah" in main
    assert "<svg" not in main and 'id="map"' not in main


def test_home_speaks_of_the_signed_in_persons_region(
    client: Client, make_user: Any
) -> None:
    client.force_login(make_user("kim_coordinator", "64.02"))
    html = client.get("/").content.decode()
    assert 'href="/wilayah/64.02/data/"' in html
    assert 'href="/kim/?kabupaten=64.02"' in html


def test_regency_page_lists_kecamatan_before_the_map(client: Client) -> None:
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'id="map"' in html
    assert 'data-src="/wilayah/64.02/peta.json?z=8"' in html
    assert "Tenggarong" in html
    assert 'href="/wilayah/64/"' in html  # breadcrumb to the province
    assert "237" in html
    assert html.index('<ol class="children">') < html.index('id="map"')
    # The map's library is not on the page: simpul.js loads it when needed.
    assert "leaflet.js" not in html.split("data-lazy-map")[0]
    assert html.index('href="/wilayah/64.02/data/"') < html.index('id="map"')


def test_data_page_without_data_says_so_once(client: Client) -> None:
    response = client.get("/wilayah/64.02.06.1001/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Belum ada data") == 1
    assert 'href="/wilayah/64.02.06/"' in html  # breadcrumb
    assert client.get("/wilayah/64.99/data/").status_code == 404


def test_village_page(client: Client) -> None:
    response = client.get("/wilayah/64.02.06.1001/")
    assert response.status_code == 200
    assert "Jahab" in response.content.decode()


def test_unknown_region_page_is_404_in_indonesian(client: Client) -> None:
    response = client.get("/wilayah/64.99/")
    assert response.status_code == 404
    assert "64.99" in response.content.decode()


def test_map_data(client: Client) -> None:
    data = client.get("/wilayah/64.02/peta.json").json()
    assert data["region"]["properties"]["kode"] == "64.02"
    assert len(data["children"]["features"]) == 20


def _points(geometry: dict[str, Any]) -> int:
    def count(value: Any) -> int:
        if value and isinstance(value[0], (int, float)):
            return 1
        return sum(count(v) for v in value)

    return count(geometry["coordinates"])


def test_map_data_is_simplified_per_zoom_and_cached(client: Client) -> None:
    from django.core.cache import cache

    far = client.get("/wilayah/64.02/peta.json?z=6")
    near = client.get("/wilayah/64.02/peta.json?z=12").json()
    assert far.status_code == 200
    coarse = _points(far.json()["region"]["geometry"])
    fine = _points(near["region"]["geometry"])
    assert 4 <= coarse < fine
    assert len(far.content) < len(json.dumps(near))
    assert cache.get("regions:map:64.02:6") is not None
    # Nonsense zooms fall back to the region's own, or the nearest allowed.
    assert client.get("/wilayah/64.02/peta.json?z=x").status_code == 200
    assert client.get("/wilayah/64.02/peta.json?z=99").status_code == 200
    assert cache.get("regions:map:64.02:14") is not None


def test_search_fragment(client: Client) -> None:
    html = client.get("/wilayah/cari/", {"q": "kukar"}, HTTP_HX_REQUEST="true").content
    assert b"/wilayah/64.02/" in html


def test_english_switch(client: Client) -> None:
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/wilayah/64.02/"}
    )
    assert response.status_code == 302
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'lang="en"' in html
    assert "Districts" in html
    indonesian = Client().get("/wilayah/64.02/").content.decode()
    assert "Kecamatan" in indonesian


def _transferred(body: bytes) -> int:
    return len(gzip.compress(body, 6))


@pytest.mark.parametrize("path", ["/", "/wilayah/64.02/", "/wilayah/64.02.06/"])
def test_public_pages_stay_under_60_kb_before_the_map(
    client: Client, path: str
) -> None:
    """Page, its stylesheets and scripts, and its map data, gzipped as served."""
    html = client.get(path).content
    total = _transferred(html)
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        found = finders.find(url.decode().removeprefix(settings.STATIC_URL))
        assert found, url
        total += _transferred(Path(found).read_bytes())
    # The map (Leaflet and boundaries) loads only when scrolled to or asked for.
    assert b"vendor/leaflet" not in html.split(b"data-lazy-map")[0]
    assert total < 60_000, total


def test_coordinates_are_not_localised_in_markup(client: Client) -> None:
    # Indonesian formatting writes 0,195837: JavaScript would read it as two numbers.
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'data-lat="0.195837"' in html
    assert 'data-lng="116.151491"' in html
