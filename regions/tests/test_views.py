import gzip
import re
from pathlib import Path

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


def test_regency_page_has_map_breadcrumb_and_kecamatan(client: Client) -> None:
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'id="map"' in html
    assert 'data-src="/wilayah/64.02/peta.json"' in html
    assert "Tenggarong" in html
    assert 'href="/wilayah/64/"' in html  # breadcrumb to the province
    assert "237" in html


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
def test_public_pages_stay_under_200_kb_before_images(
    client: Client, path: str
) -> None:
    """Page, its stylesheets and scripts, and its map data, gzipped as served."""
    html = client.get(path).content
    total = _transferred(html)
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        found = finders.find(url.decode().removeprefix(settings.STATIC_URL))
        assert found, url
        total += _transferred(Path(found).read_bytes())
    data_src = re.search(rb'data-src="([^"]+)"', html)
    assert data_src
    total += _transferred(client.get(data_src.group(1).decode()).content)
    assert total < 200_000, total


def test_coordinates_are_not_localised_in_markup(client: Client) -> None:
    # Indonesian formatting writes 0,195837: JavaScript would read it as two numbers.
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'data-lat="0.195837"' in html
    assert 'data-lng="116.151491"' in html
