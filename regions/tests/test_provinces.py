"""Deployments serving several provinces: the setting, its check, the national
home and each province's home (Kaltara's regions have no geometry)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from network import services as network_services
from network.models import Kim
from regions import provinces
from regions.checks import provinces_check
from regions.models import Region
from regions.selectors import VillageNotFound, village_from_text, village_resolve
from regions.tests.kaltara import (
    KALTARA,
    UNSERVED,
    UNSERVED_VILLAGE,
    UNSERVED_VILLAGE_NAME,
    VILLAGE,
    kaltara_create,
    unserved_create,
)

pytestmark = pytest.mark.django_db
NATIONAL = override_settings(PROVINCES=["64", "65"])


@pytest.fixture
def kaltara() -> Region:
    return kaltara_create()


def _kim(name: str, kode: str) -> Kim:
    return network_services.kim_create(
        actor=None,
        name=name,
        region=Region.objects.get(kode=kode),
        status=Kim.Status.ACTIVE,
    )


def test_default_serves_the_home_province_alone() -> None:
    assert provinces.served_codes() == ["64"]
    assert provinces.home_province() == "64"
    assert not provinces.is_national()
    assert provinces.covers_all("64")


@override_settings(PROVINCES=["65", "64", "65"])
def test_a_list_of_provinces_is_national(kaltara: Region) -> None:
    assert provinces.served_codes() == ["64", "65"]
    assert provinces.is_national()
    assert provinces.is_served("65.01.01") and not provinces.is_served("11.01")
    assert not provinces.covers_all("64")
    kodes = set(
        Region.objects.filter(provinces.served_q("kode")).values_list("kode", flat=True)
    )
    assert "65.01.01.2001" in kodes and "64.02" in kodes
    assert list(provinces.served_provinces().values_list("kode", flat=True)) == [
        "64",
        "65",
    ]


@override_settings(PROVINCES=["*"])
def test_star_serves_every_province_in_the_database(kaltara: Region) -> None:
    assert provinces.served_codes() == ["64", "65"]
    assert provinces.is_national()
    assert provinces.served_q("kode").children == []


def test_check_passes_for_known_provinces(kaltara: Region) -> None:
    with NATIONAL:
        assert provinces_check() == []
    with override_settings(PROVINCES=["*"]):
        assert provinces_check() == []


@pytest.mark.parametrize("value", [["6"], ["64.01"], ["kaltim"]])
def test_check_rejects_a_malformed_code(value: list[str]) -> None:
    with override_settings(PROVINCES=value):
        errors = provinces_check()
    assert [e.id for e in errors] == ["regions.E001"]
    assert "not a province code" in errors[0].msg


def test_check_rejects_a_province_missing_from_the_database() -> None:
    with override_settings(PROVINCES=["64", "99"]):
        errors = provinces_check()
    assert [e.id for e in errors] == ["regions.E001"]
    assert "'99'" in errors[0].msg


def test_single_province_home_is_unchanged(client: Client, kaltara: Region) -> None:
    html = client.get("/").content.decode()
    assert "Kabupaten Kutai Kartanegara" in html
    assert "national-provinces" not in html
    assert "Kalimantan Utara" not in html
    # A single-province deployment has no other province's home.
    assert client.get(f"/provinsi/{KALTARA}/").status_code == 404
    assert client.get("/provinsi/64/").status_code == 200


@NATIONAL
def test_national_home_lists_provinces_with_counts(
    client: Client, kaltara: Region
) -> None:
    _kim("KIM Malinau Hulu", VILLAGE)
    _kim("KIM Tenggarong A", "64.02.06.1001")
    _kim("KIM Tenggarong B", "64.02.06.1002")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "national-provinces" in html
    assert 'href="/provinsi/64/"' in html and 'href="/provinsi/65/"' in html
    rows = response.context["rows"]
    names = response.context["tally_names"]
    assert names == [
        "network.kims",
        "network.members",
        "factcheck.factchecks",
        "newsroom.articles",
    ]
    kims = names.index("network.kims")
    figures = {p.kode: f for p, f in rows}
    assert figures["64"][kims] == 2
    assert figures["65"][kims] == 1
    assert response.context["totals"][kims] == 3


@NATIONAL
def test_province_home_works_without_geometry(client: Client, kaltara: Region) -> None:
    _kim("KIM Malinau Hulu", VILLAGE)
    response = client.get(f"/provinsi/{KALTARA}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalimantan Utara" in html
    assert "Kabupaten Malinau" in html
    assert "?provinsi=65" in html
    assert response.context["IS_NATIONAL"] is True
    # Kaltim's home, inside the national deployment.
    html = client.get("/provinsi/64/").content.decode()
    assert "Kabupaten Kutai Kartanegara" in html
    # Not a province, or not served: absent.
    assert client.get("/provinsi/65.01/").status_code == 404
    assert client.get("/provinsi/11/").status_code == 404
    # Kaltara's region pages work without a boundary.
    for kode in ("65", "65.01", "65.01.01", VILLAGE):
        assert client.get(f"/wilayah/{kode}/").status_code == 200
        assert client.get(f"/wilayah/{kode}/data/").status_code == 200


def test_signal_pages_choose_a_province_when_national(
    client: Client, kaltara: Region, settings
) -> None:
    settings.PROVINCES = ["64", "65"]
    html = client.get("/sinyal/").content.decode()
    assert 'href="/sinyal/wilayah/65/"' in html and 'href="/sinyal/wilayah/64/"' in html
    for kode in ("65", "65.01", "65.01.01"):
        assert client.get(f"/sinyal/wilayah/{kode}/").status_code == 200
    settings.PROVINCES = ["64"]
    response = client.get("/sinyal/")
    assert response.context["region"].kode == "64"


@NATIONAL
def test_national_figures_are_shared_for_a_few_minutes(
    client: Client, kaltara: Region
) -> None:
    """The grouped counts are computed once per few minutes, not per visit."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _kim("KIM Malinau Hulu", VILLAGE)
    first = client.get("/").context["rows"]
    with CaptureQueriesContext(connection) as fresh:
        client.get("/")
    _kim("KIM Malinau Hilir", VILLAGE)
    again = client.get("/").context["rows"]
    assert [f for _, f in again] == [f for _, f in first]  # the shared figures
    cache.clear()
    with CaptureQueriesContext(connection) as counted:
        recount = client.get("/").context["rows"]
    assert len(counted) > len(fresh)
    kaltara_row = next(f for p, f in recount if p.kode == KALTARA)
    first_row = next(f for p, f in first if p.kode == KALTARA)
    assert kaltara_row[0] == first_row[0] + 1


@NATIONAL
def test_a_province_home_names_its_own_province_and_feed(
    client: Client, kaltara: Region
) -> None:
    """Serving several provinces, ``/kabar/rss/`` is national: each province's
    home links its own news feed, under its own name (Kaltara's said
    "Kalimantan Timur" and linked the national feed)."""
    html = client.get(f"/provinsi/{KALTARA}/").content.decode()
    assert f'href="/kabar/wilayah/{KALTARA}/rss/"' in html
    assert f'href="/kabar/wilayah/{KALTARA}/atom/"' in html
    assert 'href="/kabar/rss/"' not in html
    head = html.split("</head>")[0]
    assert "Kalimantan Utara (RSS)" in head and "Kalimantan Timur (RSS)" not in head


def test_the_single_province_home_keeps_the_sites_feed(client: Client) -> None:
    html = client.get("/provinsi/64/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/kabar/rss/"' in html


@pytest.mark.usefixtures("two_provinces")
def test_typed_village_names_resolve_in_the_provinces_served_alone(settings) -> None:
    """A name (or a code) of a village in a province not served named that
    village: every village of the database was searched."""
    unserved_create()
    assert village_from_text(text="Malinau Hulu").kode == VILLAGE
    assert village_from_text(text="Muara Aloh").kode == "64.02.01.2003"
    assert village_resolve(text=UNSERVED_VILLAGE_NAME).matches == []
    for text in (UNSERVED_VILLAGE_NAME, "kalsel", UNSERVED_VILLAGE):
        with pytest.raises(VillageNotFound):
            village_from_text(text=text)
    settings.PROVINCES = ["*"]
    assert village_from_text(text="kalsel").kode == UNSERVED_VILLAGE
    assert village_from_text(text=UNSERVED_VILLAGE).kode == UNSERVED_VILLAGE


@pytest.mark.usefixtures("two_provinces")
def test_picker_and_search_suggest_the_provinces_served_alone(
    client: Client, settings
) -> None:
    unserved_create()

    def picked(q: str) -> list[str]:
        return client.get(reverse("regions:pick"), {"q": q}).json()["results"]

    def searched(q: str) -> str:
        return client.get(reverse("regions:search"), {"q": q}).content.decode()

    assert any(VILLAGE in label for label in picked("Malinau Hulu"))
    assert any("64.02.01.2003" in label for label in picked("Muara Aloh"))
    for q in (UNSERVED_VILLAGE_NAME, "Takisung", "Tanah Laut"):
        assert picked(q) == [], q
        assert 'href="/wilayah/63' not in searched(q), q
    assert f'href="/wilayah/{VILLAGE}/"' in searched("Malinau")
    settings.PROVINCES = ["*"]
    assert any(UNSERVED_VILLAGE in label for label in picked("kalsel"))
    assert 'href="/wilayah/63.01.01/"' in searched("Takisung")


@pytest.mark.parametrize("name", ["regions:detail", "regions:data", "regions:map_data"])
def test_region_pages_of_a_province_not_served_are_absent(
    client: Client, kaltara: Region, settings, name: str
) -> None:
    """The province home said "not served" while its regions' pages opened."""
    unserved_create()

    def status(kode: str) -> int:
        return client.get(reverse(name, args=[kode])).status_code

    # One province served (the default): the others' regions are absent.
    assert status("64.02") == 200
    assert status(KALTARA) == 404 and status(VILLAGE) == 404
    settings.PROVINCES = ["64", KALTARA]
    for kode in ("64", "64.02.01.2003", KALTARA, "65.01", VILLAGE):
        assert status(kode) == 200, kode
    for kode in (UNSERVED, "63.01", "63.01.01", UNSERVED_VILLAGE):
        assert status(kode) == 404, kode
    settings.PROVINCES = ["*"]
    assert status(UNSERVED_VILLAGE) == 200


@pytest.mark.usefixtures("two_provinces")
def test_sitemap_lists_the_regions_of_the_provinces_served() -> None:
    from regions.sitemaps import RegionSitemap

    unserved_create()
    listed = {r.kode for r in RegionSitemap().items()}
    assert {"64.02", KALTARA, VILLAGE} <= listed
    assert not {k for k in listed if k.startswith(UNSERVED)}


def test_region_fields_take_a_region_of_the_provinces_served_alone(
    kaltara: Region,
) -> None:
    """A form's region box: a province not served is out of reach, by code or
    by name, even where the form gives no queryset of its own."""
    from django import forms as django_forms

    from regions.forms import RegionField

    unserved_create()
    field = RegionField(levels=[Region.Level.VILLAGE])
    with NATIONAL:
        assert field.clean(VILLAGE).kode == VILLAGE
        for typed in (UNSERVED_VILLAGE, UNSERVED_VILLAGE_NAME):
            with pytest.raises(django_forms.ValidationError):
                field.clean(typed)
    with override_settings(PROVINCES=["*"]):
        assert field.clean(UNSERVED_VILLAGE).kode == UNSERVED_VILLAGE
