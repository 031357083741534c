"""Built-in indicators: computed per region, stored as datasets, charted on the
region pages, read from other apps only through their selectors."""

from types import SimpleNamespace

import pytest
from django.test import Client

from datahub import indicators, services
from datahub.models import Dataset, ResourceVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(kaltim) -> int:  # type: ignore[no-untyped-def]
    return services.indicators_refresh()


def test_refresh_stores_each_indicator_as_a_published_dataset(refreshed) -> None:  # type: ignore[no-untyped-def]
    kukar = Dataset.objects.get(indicator="desa-kelurahan", region_id="64.02")
    assert kukar.status == "published" and kukar.kind == "indicator"
    assert kukar.office.name == "Diskominfo Kabupaten Kutai Kartanegara"
    resource = kukar.resources.get()
    assert resource.kind == "live"
    version = resource.current
    assert version.row_count == 20  # the kecamatan of Kutai Kartanegara
    names = version.column_names
    tenggarong = next(r for r in version.rows if r[0] == "64.02.06")
    row = dict(zip(names, tenggarong, strict=True))
    assert row["nama_wilayah"] == "Tenggarong"
    assert row["jumlah_kelurahan"] == 12 and row["jumlah_desa"] == 2
    assert row["jumlah_desa_kelurahan"] == 14
    province = Dataset.objects.get(indicator="kecamatan", region_id="64")
    rows = province.resources.get().current.rows
    assert dict((r[0], r[2]) for r in rows)["64.02"] == 20
    # Every kabupaten/kota and the province have the village indicator.
    assert Dataset.objects.filter(indicator="desa-kelurahan").count() == 11


def test_refresh_is_idempotent(refreshed) -> None:  # type: ignore[no-untyped-def]
    versions = ResourceVersion.objects.count()
    assert services.indicators_refresh() == 0
    assert ResourceVersion.objects.count() == versions
    assert services.indicators_refresh(region_codes=["64.02"]) == 0


def test_region_pages_chart_the_indicators(client: Client, refreshed) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/wilayah/64.02/").content.decode()
    assert 'id="indikator"' in html and "<svg" in html
    assert "Desa dan kelurahan" in html
    section = html[html.index('id="indikator"') :]
    assert section.count("<rect") >= 20
    district = client.get("/wilayah/64.02.06/").content.decode()
    assert "dibandingkan dengan kecamatan lain" in district
    assert 'font-weight="700">Tenggarong<' in district
    assert "#a8321f" in district  # Tenggarong highlighted among its peers
    province = client.get("/").content.decode()
    assert "Kecamatan" in province and "<svg" in province
    # Villages have no indicator section.
    assert (
        'id="indikator"' not in client.get("/wilayah/64.02.06.1001/").content.decode()
    )


def test_indicator_api_and_ckan(client: Client, refreshed) -> None:  # type: ignore[no-untyped-def]
    charts = client.get("/api/v1/data/regions/64.02.06/indicators").json()
    villages = next(c for c in charts if c["key"] == "desa-kelurahan")
    assert villages["highlight"] == "64.02.06"
    assert len(villages["values"]) == 20
    assert {"kode": "64.02.06", "name": "Tenggarong", "value": 14.0} in villages[
        "values"
    ]
    assert client.get("/api/v1/data/regions/64.99/indicators").status_code == 404
    found = client.get(
        "/api/3/action/package_search", {"fq": "jenis:indicator", "rows": 100}
    ).json()["result"]
    assert found["count"] >= 12


def test_providers_use_other_apps_selectors_only_when_present(
    kaltim, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def region_dashboard(*, region):  # type: ignore[no-untyped-def]
        calls.append(region.kode)
        return SimpleNamespace(
            by_child=[
                {"code": c.kode, "name": c.name, "kims": 4, "active": 3}
                for c in region.children.all()
            ]
        )

    real = indicators._function
    fake = {indicators.KIMS: region_dashboard}

    def lookup(requirement: str):  # type: ignore[no-untyped-def]
        if requirement in fake:
            return fake[requirement]
        if requirement.split(".")[0] in (
            "network",
            "connectivity",
            "factcheck",
            "newsroom",
        ):
            return None
        return real(requirement)

    monkeypatch.setattr(indicators, "_function", lookup)
    assert [i.key for i in indicators.available()] == [
        "desa-kelurahan",
        "kecamatan",
        "kim",
    ]
    services.indicators_refresh(region_codes=["64.02"])
    dataset = Dataset.objects.get(indicator="kim", region_id="64.02")
    row = dataset.resources.get().current.rows[0]
    assert row[2:] == [4, 3, 75.0]
    assert calls == ["64.02"]
    # Gone again: skipped, and the existing table stays.
    fake.clear()
    assert "kim" not in [i.key for i in indicators.available()]
    assert services.indicators_refresh(region_codes=["64.02"]) == 0


def test_a_failing_provider_does_not_stop_the_others(kaltim, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*, region):  # type: ignore[no-untyped-def]
        raise RuntimeError("selector bug")

    real = indicators._function
    monkeypatch.setattr(
        indicators,
        "_function",
        lambda r: (
            broken
            if r == indicators.KIMS
            else (
                None
                if r.split(".")[0]
                in ("network", "connectivity", "factcheck", "newsroom")
                else real(r)
            )
        ),
    )
    services.indicators_refresh(region_codes=["64.02"])
    assert Dataset.objects.filter(
        indicator="desa-kelurahan", region_id="64.02"
    ).exists()
    assert not Dataset.objects.filter(indicator="kim").exists()


def test_periodic_and_on_demand_refresh(
    client: Client, kaltim, make_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Role
    from core.schedule import registered_periodic

    assert "datahub.indicators_refresh" in [p.name for p in registered_periodic()]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staf/data/indikator/segarkan/")
    assert response.status_code == 302
    assert Dataset.objects.filter(kind="indicator").count() >= 12
    listing = client.get("/staf/data/", {"jenis": "indicator"}).content.decode()
    assert "Jumlah desa dan kelurahan" in listing


def test_events_indicator_counts_events_and_attendance_per_kecamatan(kaltim) -> None:  # type: ignore[no-untyped-def]
    from network.demo import load_demo

    load_demo()  # includes the FGD KIM 2022 in Tenggarong: 35 on site, 15 online
    services.indicators_refresh(region_codes=["64.02"])
    version = (
        Dataset.objects.get(indicator="kegiatan", region_id="64.02")
        .resources.get()
        .current
    )
    rows = {r[0]: dict(zip(version.column_names, r, strict=True)) for r in version.rows}
    tenggarong = rows["64.02.06"]
    assert tenggarong["kegiatan"] >= 1
    assert tenggarong["hadir_luring"] >= 35 and tenggarong["hadir_daring"] >= 15
    assert rows["64.02.12"]["kegiatan"] == 0  # Tabang held none
