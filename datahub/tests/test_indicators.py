"""Built-in indicators: computed per region, stored as datasets, charted on the
region pages, read from other apps only through their selectors."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import render_to_string
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


def test_region_data_pages_chart_the_indicators(client: Client, refreshed) -> None:  # type: ignore[no-untyped-def]
    # The charts live on the data page; the region page links to it.
    region_page = client.get("/wilayah/64.02/").content.decode()
    assert 'id="indikator"' not in region_page
    assert 'href="/wilayah/64.02/data/"' in region_page
    html = client.get("/wilayah/64.02/data/").content.decode()
    assert 'id="indikator"' in html and "<svg" in html
    assert "Belum ada data" not in html
    assert "Desa dan kelurahan" in html
    section = html[html.index('id="indikator"') :]
    assert section.count("<rect") >= 20
    district = client.get("/wilayah/64.02.06/data/").content.decode()
    assert "dibandingkan dengan kecamatan lain" in district
    assert 'font-weight="700">Tenggarong<' in district
    assert "#a8321f" in district  # Tenggarong highlighted among its peers
    province = client.get("/wilayah/64/data/").content.decode()
    assert "Kecamatan" in province and "<svg" in province
    # The home page is for people: no charts.
    assert "<svg" not in client.get("/").content.decode().split("<main>")[1]
    # Villages have no indicator section: the data page says so, once.
    village = client.get("/wilayah/64.02.06.1001/data/").content.decode()
    assert 'id="indikator"' not in village
    assert village.count("Belum ada data") == 1


def test_indicator_api_and_ckan(client: Client, refreshed) -> None:  # type: ignore[no-untyped-def]
    charts = client.get("/api/v1/data/regions/64.02.06/indicators").json()["items"]
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


def test_providers_read_other_apps_selectors_only_when_installed(
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

    from network import selectors as network_selectors

    monkeypatch.setattr(network_selectors, "region_dashboard", region_dashboard)
    installed = {"network"}
    monkeypatch.setattr(
        indicators,
        "_installed",
        lambda app: app in installed,
    )
    assert [i.key for i in indicators.available()] == [
        "desa-kelurahan",
        "kecamatan",
        "kim",
        "literasi-digital",
        "kegiatan",
    ]
    services.indicators_refresh(region_codes=["64.02"])
    dataset = Dataset.objects.get(indicator="kim", region_id="64.02")
    row = dataset.resources.get().current.rows[0]
    assert row[2:] == [4, 3, 75.0]
    assert calls == ["64.02"]
    # Gone again: skipped, and the existing table stays.
    installed.clear()
    assert "kim" not in [i.key for i in indicators.available()]
    assert services.indicators_refresh(region_codes=["64.02"]) == 0


def test_a_failing_provider_does_not_stop_the_others(kaltim, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*, region):  # type: ignore[no-untyped-def]
        raise RuntimeError("selector bug")

    from network import selectors as network_selectors

    monkeypatch.setattr(network_selectors, "region_dashboard", broken)
    monkeypatch.setattr(indicators, "_installed", lambda app: app == "network")
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


@pytest.fixture
def fresh_matching():  # type: ignore[no-untyped-def]
    """Tips go through claim matching: an index of this test's database only."""
    from factcheck import matching_service

    matching_service.reset_process_state()
    yield
    matching_service.reset_process_state()


def test_topic_columns_follow_the_factcheck_topics() -> None:
    from factcheck.models import Topic

    assert [key for key, _ in indicators.FACTCHECK_TOPIC_COLUMNS] == list(Topic.values)
    indicator = indicators.registry()["cek-fakta-topik"]
    names = [c.name for c in indicator.columns]
    assert names[:2] == ["aduan", "cek_fakta"]
    assert {f"aduan_{t}" for t in Topic.values} <= set(names)
    assert {f"cek_fakta_{t}" for t in Topic.values} <= set(names)
    assert [c for c, _ in indicator.segments] == [f"aduan_{t}" for t in Topic.values]


def _rows(key: str, region: str) -> dict[str, dict[str, Any]]:
    """An indicator's table for a parent region: {child code: {column: value}}."""
    resource = Dataset.objects.get(indicator=key, region_id=region).resources.get()
    current = resource.current
    return {r[0]: dict(zip(current.column_names, r, strict=True)) for r in current.rows}


def test_tips_and_factchecks_per_topic_indicator(
    client: Client, kaltim, make_user, fresh_matching
) -> None:  # type: ignore[no-untyped-def]
    from factcheck import services as factcheck_services
    from factcheck.models import Channel
    from regions.models import Region

    def tip(text: str, code: str) -> None:
        factcheck_services.tip_submit(
            channel=Channel.WEB, text=text, region=Region.objects.get(kode=code)
        )

    scam = (
        "Selamat, usaha Anda terpilih menerima bantuan modal UMKM Rp5 juta. Kirim "
        "biaya administrasi Rp150.000 ke rekening bendahara agar dana cair."
    )
    flood = "Info BMKG: banjir besar melanda malam ini, warga diminta mengungsi"
    tip(scam, "64.02.06.1001")  # from a KIM member's village in Tenggarong
    tip(scam + " Buruan!", "64.02.06.1005")
    tip(flood, "64.02.16")  # Tenggarong Seberang
    tip(flood + " segera", "64.02")  # the kabupaten only
    checker = make_user("fact_checker", "64")
    factcheck_services.factcheck_create(
        actor=checker,
        title="Bantuan modal UMKM dari kecamatan yang meminta biaya administrasi",
        verdict="penipuan",
        regions=[Region.objects.get(kode="64.02.06")],
        status="published",
    )
    services.indicators_refresh(region_codes=["64", "64.02"])
    kukar = _rows("cek-fakta-topik", "64.02")
    tenggarong = kukar["64.02.06"]
    assert tenggarong["aduan"] == 2 and tenggarong["aduan_penipuan"] == 2
    assert tenggarong["cek_fakta"] == 1 and tenggarong["cek_fakta_penipuan"] == 1
    assert kukar["64.02.16"]["aduan_bencana"] == 1
    assert kukar["64.02.12"]["aduan"] == 0  # Tabang
    province = _rows("cek-fakta-topik", "64")
    assert province["64.02"]["aduan"] == 4
    assert province["64.02"]["aduan_bencana"] == 2
    assert province["64.72"]["aduan"] == 0
    # Charted as tips stacked by topic, Tenggarong highlighted on its own page.
    page = client.get("/wilayah/64.02.06/data/").content.decode()
    section = page[page.index('id="indikator"') :]
    assert "Aduan per topik" in section
    assert "Penipuan: 2</title>" in section  # a part of Tenggarong's bar
    assert ">Penipuan</text>" in section and ">Bencana dan cuaca</text>" in section
    assert ">Kesehatan</text>" not in section  # the legend lists what occurs
    assert 'fill="none" stroke="#a8321f"' in section
    charts = client.get("/api/v1/data/regions/64.02/indicators").json()["items"]
    chart = next(c for c in charts if c["key"] == "cek-fakta-topik")
    assert chart["value_column"] == "aduan"
    assert {"column": "aduan_penipuan", "label": "Penipuan"} in chart["segments"]
    value = next(v for v in chart["values"] if v["kode"] == "64.02.06")
    assert value["value"] == 2 and value["parts"]["aduan_penipuan"] == 2
    plain = next(c for c in charts if c["key"] == "desa-kelurahan")
    assert plain["segments"] == [] and "parts" not in plain["values"][0]
    # Unchanged figures write nothing; a topic corrected at the desk moves the
    # claim's tips.
    assert services.indicators_refresh(region_codes=["64.02"]) == 0
    from factcheck.models import Claim

    claim = Claim.objects.get(topic="bencana")
    factcheck_services.claim_set_topic(actor=checker, claim=claim, topic="lainnya")
    assert services.indicators_refresh(region_codes=["64.02"]) == 1
    assert _rows("cek-fakta-topik", "64.02")["64.02.16"]["aduan_lainnya"] == 1


def test_demo_tips_and_factchecks_fill_the_topic_indicator(
    kaltim, fresh_matching
) -> None:  # type: ignore[no-untyped-def]
    from factcheck.demo import demo_ensure

    demo_ensure()
    services.indicators_refresh(region_codes=["64", "64.02"])
    province = _rows("cek-fakta-topik", "64")
    assert province["64.02"]["aduan"] >= 5 and province["64.71"]["aduan"] >= 1
    kukar = _rows("cek-fakta-topik", "64.02")
    assert kukar["64.02.06"]["aduan"] >= 2 and kukar["64.02.06"]["cek_fakta"] >= 1
    topics_used = {
        column
        for row in kukar.values()
        for column, value in row.items()
        if column.startswith("aduan_") and value
    }
    assert len(topics_used) >= 4  # scams, health, disasters, politics, prices…


def test_charts_draw_only_the_areas_with_a_value() -> None:
    from datahub.models import Dataset
    from datahub.selectors import IndicatorChart
    from datahub.views.indicators import _chart

    chart = IndicatorChart(
        dataset=Dataset(slug="kim"),
        title="KIM",
        value_column="kim",
        unit="",
        bars=[("64.02.06", "Tenggarong", 3.0), ("64.02.01", "Muara Muntai", 0.0),
              ("64.02.02", "Loa Kulu", 0.0), ("64.02.03", "Loa Janan", 1.0)],
        highlight="64.02.02",
        maximum=3.0,
    )  # fmt: skip
    drawn = _chart(chart)
    labels = [r["label"] for r in drawn["rows"]]
    assert labels == ["Tenggarong", "Loa Kulu", "Loa Janan"]
    assert drawn["without_value"] == 1
    html = render_to_string("datahub/_chart.html", {"chart": drawn})
    assert "1 wilayah lain tanpa nilai tidak digambar" in html
