"""Two provinces on one deployment (Kaltim 64, Kaltara 65): the connectivity
pages and API speak of the region named, never of "the province" by default;
a province not served does not exist here; one province served keeps the
home region as the default."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role
from connectivity import services
from connectivity.models import Tower
from regions.models import Region
from regions.tests.kaltara import (
    KALTARA,
    UNSERVED,
    VILLAGE,
    kaltara_create,
    unserved_create,
)

pytestmark = pytest.mark.django_db

KALTIM_VILLAGE = "64.02.12.2005"


@pytest.fixture(autouse=True)
def _national(settings) -> None:
    settings.PROVINCES = ["64", "65"]


def _tower(kode: str, name: str) -> Tower:
    region = Region.objects.get(kode=kode)
    return services.tower_create(
        actor=None,
        region=region,
        name=name,
        lat=region.rep_lat or 3.3,
        lng=region.rep_lng or 116.5,
        owner="bakti",
    )


@pytest.fixture
def towers(kaltim: None) -> dict[str, Tower]:
    kaltara_create()
    return {
        "64": _tower(KALTIM_VILLAGE, "Menara Kaltim"),
        "65": _tower(VILLAGE, "Menara Kaltara"),
    }


# Every read of the API that takes ``?region=``.
REGION_READS = (
    "places",
    "places.geojson",
    "observations",
    "villages",
    "towers",
    "coverage",
    "map",
    "progress",
    "export.csv",
    "export.geojson",
)


def test_api_reads_without_a_region_are_a_400_naming_the_provinces(
    client: Client, towers: dict[str, Tower], settings
) -> None:
    """Serving several provinces, a read without ``region`` is a structured 400
    on the field that names the codes served (it answered for Kaltim)."""
    for path in REGION_READS:
        response = client.get(f"/api/v1/connectivity/{path}")
        assert response.status_code == 400, path
        body = response.json()
        assert body["detail"] == "Masukan tidak valid.", path
        [error] = body["errors"]
        assert error["field"] == "region"
        assert "wajib" in error["message"] and "64, 65" in error["message"]
    # One province served: the home region, as before.
    settings.PROVINCES = ["64"]
    for path in REGION_READS:
        assert client.get(f"/api/v1/connectivity/{path}").status_code == 200, path
    listed = client.get("/api/v1/connectivity/towers").json()["items"]
    names = [t["name"] for t in listed]
    assert names == ["Menara Kaltim"]


def test_api_reads_a_served_province_and_404s_one_not_served(
    client: Client, towers: dict[str, Tower], settings
) -> None:
    for own, other in (("64", "65"), ("65", "64")):
        response = client.get("/api/v1/connectivity/towers", {"region": own})
        assert response.status_code == 200
        ids = [t["id"] for t in response.json()["items"]]
        assert ids == [towers[own].pk] and towers[other].pk not in ids
    for path in REGION_READS:
        response = client.get(f"/api/v1/connectivity/{path}", {"region": "65"})
        assert response.status_code == 200, path
    # Kaltara not served: its codes are unknown here, as a made-up code is.
    settings.PROVINCES = ["64"]
    for path in REGION_READS:
        response = client.get(f"/api/v1/connectivity/{path}", {"region": KALTARA})
        assert response.status_code == 404, path
        assert response.json()["detail"] == "Wilayah dengan kode 65 tidak ditemukan."
    assert client.get(f"/api/v1/connectivity/villages/{VILLAGE}").status_code == 404


def test_api_writes_in_a_province_not_served_are_404(
    client: Client, towers: dict[str, Tower], make_user, settings
) -> None:
    settings.PROVINCES = ["64"]
    client.force_login(make_user(Role.PROVINCE_ADMIN, None, is_superuser=True))
    body: dict[str, Any] = {
        "region": VILLAGE,
        "name": "Menara baru",
        "lat": 3.6,
        "lng": 116.4,
        "owner": "bakti",
    }
    response = client.post(
        "/api/v1/connectivity/towers", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Tower.objects.filter(name="Menara baru").exists()


def test_the_openapi_documents_the_region_parameter_and_its_400(
    client: Client,
) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/connectivity/towers"]["get"]
    [region] = [p for p in operation["parameters"] if p["name"] == "region"]
    assert region["required"] is False
    assert "wajib" in region["description"]
    assert "400" in operation["responses"]


def test_tower_list_offers_the_provinces_then_lists_the_one_chosen(
    client: Client, towers: dict[str, Tower], settings
) -> None:
    html = client.get("/sinyal/menara/").content.decode()
    assert 'id="pilih-provinsi"' in html
    assert 'href="?wilayah=64"' in html and 'href="?wilayah=65"' in html
    assert "Menara Kaltim" not in html and "Menara Kaltara" not in html
    html = client.get("/sinyal/menara/", {"wilayah": "65"}).content.decode()
    assert "Menara Kaltara" in html and "Menara Kaltim" not in html
    assert client.get("/sinyal/menara/", {"wilayah": "11"}).status_code == 404
    # One province served: its towers, as before; Kaltara is not served.
    settings.PROVINCES = ["64"]
    html = client.get("/sinyal/menara/").content.decode()
    assert "Menara Kaltim" in html and 'id="pilih-provinsi"' not in html
    assert client.get("/sinyal/menara/", {"wilayah": "65"}).status_code == 404


def test_pages_without_a_region_open_on_the_users_own(
    client: Client, towers: dict[str, Tower], make_user
) -> None:
    """Serving several provinces, the tower list and the planner open on the
    signed-in person's region (no chooser)."""
    client.force_login(make_user(Role.PROVINCE_ADMIN, KALTARA))
    response = client.get("/sinyal/menara/")
    assert response.context["region"].kode == KALTARA
    assert "Menara Kaltara" in response.content.decode()
    response = client.get("/sinyal/perencanaan/")
    assert response.context["map_region"].kode == KALTARA
    assert 'id="pilih-provinsi"' not in response.content.decode()


def test_region_pages_of_a_province_not_served_are_404(
    client: Client, towers: dict[str, Tower], settings
) -> None:
    assert client.get("/sinyal/wilayah/65/").status_code == 200
    settings.PROVINCES = ["64"]
    for url in (
        "/sinyal/wilayah/65/",
        "/sinyal/wilayah/65/peta.json",
        "/sinyal/wilayah/65/desa.csv",
        f"/sinyal/desa/{VILLAGE}/",
    ):
        assert client.get(url).status_code == 404, url


def test_planner_of_a_platform_admin_asks_for_the_province(
    client: Client, towers: dict[str, Tower], make_user, settings
) -> None:
    """A platform admin (no region) on a national deployment gets the
    provinces to choose from (the planner opened on Kaltim's map); a province
    not served is a 404 and cannot be planned."""
    client.force_login(make_user(Role.PROVINCE_ADMIN, None, is_superuser=True))
    response = client.get("/sinyal/perencanaan/")
    assert response.status_code == 200
    assert response.context["map_region"] is None
    html = response.content.decode()
    assert 'href="?wilayah=65"' in html
    assert "Kalimantan Timur (64)" not in html
    response = client.get("/sinyal/perencanaan/", {"wilayah": "65"})
    assert response.context["map_region"].kode == "65"
    assert client.get("/sinyal/perencanaan/", {"wilayah": "11"}).status_code == 404
    settings.PROVINCES = ["64"]
    response = client.get("/sinyal/perencanaan/")
    assert response.context["map_region"].kode == "64"
    assert 'value="Kalimantan Timur (64)"' in response.content.decode()
    assert client.get("/sinyal/perencanaan/", {"wilayah": "65"}).status_code == 404
    response = client.post(
        "/sinyal/perencanaan/", {"region": "65", "budget": "2", "grid_km": "5"}
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


def test_refresh_command_refreshes_each_province_served(
    towers: dict[str, Tower], settings
) -> None:
    """Without ``--region`` the command refreshed the home province only;
    serving several it refreshes each of them."""
    from io import StringIO

    from django.core.management import call_command

    from connectivity.models import ProgressSnapshot

    stdout = StringIO()
    call_command("connectivity_refresh", stdout=stdout)
    lines = stdout.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["64", KALTARA]
    assert ProgressSnapshot.objects.filter(region_id=KALTARA).exists()
    settings.PROVINCES = ["64"]
    stdout = StringIO()
    call_command("connectivity_refresh", stdout=stdout)
    assert stdout.getvalue().startswith("0 offices created")


def test_report_form_suggests_the_villages_of_the_provinces_served(
    towers, client: Client, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    """The report page is kept for offline use with its village suggestions:
    those of the provinces served, not every village of the database; serving
    every province, those of the signed-in person's province."""
    unserved_create()

    def suggested() -> set[str]:
        page = client.get("/sinyal/lapor/").content.decode()
        return {code[:2] for code in re.findall(r'<option value="([\d.]+) ', page)}

    assert suggested() == {"64", "65"}
    settings.PROVINCES = ["*"]
    assert suggested() == set()
    client.force_login(make_user(Role.REGENCY_ADMIN, "65.01"))
    assert suggested() == {"65"}


def test_snapshots_are_taken_of_the_provinces_served_alone() -> None:
    """The daily snapshots covered every region of the database, a province of
    the national list that is not served included."""
    from connectivity.models import ProgressSnapshot

    kaltara_create()
    unserved_create()
    day = dt.date(2026, 1, 5)
    n = services.progress_snapshots_take(day=day)
    taken = set(
        ProgressSnapshot.objects.filter(day=day).values_list("region_id", flat=True)
    )
    assert n == len(taken)
    assert {"64", "64.02", "64.02.12", KALTARA, "65.01.01"} <= taken
    assert not {k for k in taken if k.startswith(UNSERVED)}
    assert not {k for k in taken if k.count(".") == 3}  # no village
