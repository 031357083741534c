"""A region without geometry (the national list outside Kaltim) works on every
page, list, search, API and export; the national importer's bad-input rules."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from network import services as network_services
from network.models import Kim
from regions.models import Region, RegionBoundary

HEADER = "kode,nama,level,jenis,induk,penduduk"
# Aceh, one kabupaten, one kecamatan, a desa and a kelurahan (the national format).
SLICE = [
    "11,Aceh,provinsi,provinsi,,5623479",
    "11.01,Kabupaten Aceh Selatan,kabkota,kabupaten,11,239629",
    "11.01.01,Bakongan,kecamatan,kecamatan,11.01,",
    "11.01.01.2001,Keude Bakongan,desa_kel,desa,11.01.01,",
    "11.01.01.1001,Ujong Mangki,desa_kel,kelurahan,11.01.01,",
]


def write_national(folder: Path, rows: list[str], *, gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join([HEADER, *rows]) + "\n"
    if gz:
        with gzip.open(folder / "indonesia_wilayah_2025.csv.gz", "wt") as fh:
            fh.write(text)
    else:
        (folder / "indonesia_wilayah_2025.csv").write_text(text)
    return folder


def run_import(folder: Path, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_regions", "--source", str(folder), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def aceh(kaltim: None, tmp_path: Path, settings) -> Region:
    """Aceh's slice, on a deployment serving every province: a province not
    served has no pages (regions.provinces)."""
    settings.PROVINCES = ["*"]
    run_import(write_national(tmp_path / "aceh", SLICE))
    return Region.objects.get(kode="11")


@pytest.fixture
def aceh_kim(aceh: Region) -> Kim:
    return network_services.kim_create(
        actor=None,
        name="KIM Keude Bakongan",
        region=Region.objects.get(kode="11.01.01.2001"),
        status=Kim.Status.ACTIVE,
    )


def test_slice_is_imported_without_geometry(aceh: Region) -> None:
    village = Region.objects.get(kode="11.01.01.2001")
    assert (village.name, village.kind, village.parent_id) == (
        "Keude Bakongan",
        "desa",
        "11.01.01",
    )
    assert not village.has_point and village.lat is None
    assert Region.objects.get(kode="11.01.01.1001").kind == "kelurahan"
    assert Region.objects.get(kode="11.01").population == 239629
    assert aceh.population == 5623479
    # Kaltim's points and boundaries are untouched.
    assert Region.objects.get(kode="64.02").has_point
    assert RegionBoundary.objects.filter(region_id="64.02").exists()


def test_import_is_idempotent(aceh: Region, tmp_path: Path) -> None:
    before = list(Region.objects.filter(kode__startswith="11").values())
    out = run_import(tmp_path / "aceh")
    assert "created 0, updated 0, unchanged 5" in out
    assert list(Region.objects.filter(kode__startswith="11").values()) == before
    assert Region.objects.filter(kode__startswith="11").count() == 5


@pytest.mark.parametrize(
    "name",
    ["regions:detail", "regions:data"],
)
@pytest.mark.parametrize("kode", ["11", "11.01", "11.01.01", "11.01.01.2001"])
def test_region_pages(client, aceh: Region, aceh_kim: Kim, name: str, kode: str):
    response = client.get(reverse(name, args=[kode]))
    assert response.status_code == 200
    html = response.content.decode()
    assert Region.objects.get(kode=kode).name in html
    # No point to centre on: the map is left out rather than drawn at "None".
    assert 'data-lat="None"' not in html


def test_region_map_data_without_boundaries(client, aceh: Region) -> None:
    data = client.get(reverse("regions:map_data", args=["11.01"])).json()
    assert data["region"]["geometry"] is None
    assert data["children"]["features"][0]["properties"]["rep_lat"] is None


def test_region_search_and_picker(client, aceh: Region) -> None:
    html = client.get(reverse("regions:search"), {"q": "bakongan"}).content.decode()
    assert "Keude Bakongan" in html
    picked = client.get(reverse("regions:pick"), {"q": "keude bakongan"}).json()
    assert picked["results"]


def test_region_api(client, aceh: Region) -> None:
    listed = client.get("/api/v1/regions", {"parent": "11.01.01"})
    assert listed.status_code == 200
    items = listed.json()["items"] if "items" in listed.json() else listed.json()
    assert {i["kode"] for i in items} == {"11.01.01.2001", "11.01.01.1001"}
    assert all(i["rep_point"] is None for i in items)
    found = client.get("/api/v1/regions", {"q": "ujong mangki"}).json()
    found_items = found.get("items", found)
    assert found_items[0]["kode"] == "11.01.01.1001"
    detail = client.get("/api/v1/regions/11.01").json()
    assert detail["rep_point"] is None and detail["centroid"] is None
    assert detail["children_counts"]["desa_kel"] == 2
    shape = client.get("/api/v1/regions/11.01/geojson", {"children": "true"})
    assert shape.status_code == 200


def test_kim_directory_and_api(client, aceh_kim: Kim) -> None:
    page = client.get(reverse("network:kim_directory"), {"kabupaten": "11.01"})
    assert page.status_code == 200
    assert "KIM Keude Bakongan" in page.content.decode()
    page = client.get(
        reverse("network:kim_directory"),
        {"kabupaten": "11.01", "kecamatan": "11.01.01"},
    )
    assert "KIM Keude Bakongan" in page.content.decode()
    points = client.get(reverse("network:kim_map_data"), {"kabupaten": "11.01"})
    assert points.status_code == 200
    kim_page = client.get(reverse("network:kim_detail", args=[aceh_kim.pk]))
    assert kim_page.status_code == 200
    assert client.get(reverse("network:dashboard", args=["11"])).status_code == 200
    assert client.get(reverse("network:dashboard", args=["11.01"])).status_code == 200
    listed = client.get("/api/v1/kims", {"region": "11"})
    assert listed.status_code == 200
    detail = client.get(f"/api/v1/kims/{aceh_kim.pk}")
    assert detail.status_code == 200


@pytest.mark.parametrize("kode", ["11", "11.01", "11.01.01"])
def test_datahub_pages(client, aceh_kim: Kim, kode: str) -> None:
    page = client.get(reverse("datahub:vulnerability", args=[kode]))
    assert page.status_code == 200
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("datahub:vulnerability_export", args=[kode, fmt]))
        assert export.status_code == 200, fmt


def test_datahub_home_and_brief(client, aceh_kim: Kim) -> None:
    assert client.get(reverse("datahub:vulnerability_home")).status_code in (200, 302)
    brief = client.get(reverse("datahub:vulnerability_brief", args=["11.01"]))
    assert brief.status_code == 200


@pytest.mark.parametrize("kode", ["11", "11.01", "11.01.01"])
def test_connectivity_region_pages(client, aceh: Region, kode: str) -> None:
    page = client.get(reverse("connectivity:region", args=[kode]))
    assert page.status_code == 200
    assert 'data-lat="None"' not in page.content.decode()
    assert client.get(reverse("connectivity:map_data", args=[kode])).status_code == 200


def test_connectivity_village_page_and_exports(client, aceh: Region) -> None:
    page = client.get(reverse("connectivity:village", args=["11.01.01.2001"]))
    assert page.status_code == 200
    assert 'data-lat="None"' not in page.content.decode()
    for name in ("export_csv", "export_places", "export_geojson", "export_pdf"):
        response = client.get(reverse(f"connectivity:{name}", args=["11.01"]))
        assert response.status_code == 200, name


# Bad input


def test_code_whose_parent_is_missing_is_reported_and_skipped(
    aceh: Region, tmp_path: Path
) -> None:
    rows = [
        *SLICE,
        "11.01.01.2002,Desa Baru,desa_kel,desa,11.01.01,",
        # 11.99 is in neither the file nor the database: its kecamatan and desa go.
        "11.99.01,Kecamatan Yatim,kecamatan,kecamatan,11.99,",
        "11.99.01.2001,Desa Yatim,desa_kel,desa,11.99.01,",
    ]
    out = run_import(write_national(tmp_path / "orphans", rows, gz=False))
    assert Region.objects.filter(kode="11.01.01.2002").exists()
    assert not Region.objects.filter(kode__startswith="11.99").exists()
    assert "Skipped (parent missing): 2" in out
    assert "11.99.01 (Kecamatan Yatim): parent 11.99" in out
    assert "created 1," in out


def test_repeated_code_is_reported_and_the_first_row_wins(
    kaltim: None, tmp_path: Path
) -> None:
    rows = [*SLICE, "11.01.01.2001,Keude Bakongan Lain,desa_kel,desa,11.01.01,"]
    out = run_import(write_national(tmp_path / "dup", rows))
    assert Region.objects.get(kode="11.01.01.2001").name == "Keude Bakongan"
    assert Region.objects.filter(kode="11.01.01.2001").count() == 1
    assert "Repeated codes (first kept): 1" in out
    assert "line 7: kode 11.01.01.2001 (Keude Bakongan Lain) repeats line 5" in out


def test_renamed_village_keeps_its_former_name(
    client, aceh: Region, tmp_path: Path
) -> None:
    rows = [row.replace("Keude Bakongan,", "Keude Bakongan Raya,") for row in SLICE]
    out = run_import(write_national(tmp_path / "renamed", rows))
    assert "Keude Bakongan → Keude Bakongan Raya" in out
    assert "updated 1," in out
    village = Region.objects.get(kode="11.01.01.2001")
    assert village.name == "Keude Bakongan Raya"
    assert [f["name"] for f in village.former_names] == ["Keude Bakongan"]
    # The old name still finds it; the API shows the history.
    found = client.get("/api/v1/regions", {"q": "keude bakongan"}).json()
    assert "11.01.01.2001" in {i["kode"] for i in found.get("items", found)}
    detail = client.get("/api/v1/regions/11.01.01.2001").json()
    assert detail["former_names"] == ["Keude Bakongan"]
    page = client.get(reverse("regions:detail", args=["11.01.01.2001"]))
    assert "Keude Bakongan Raya" in page.content.decode()
    # Again: nothing changes, the history is not doubled.
    assert "created 0, updated 0," in run_import(tmp_path / "renamed")
    village.refresh_from_db()
    assert len(village.former_names) == 1


def test_removed_code_with_a_kim_is_retired_never_deleted(
    client, aceh_kim: Kim, tmp_path: Path
) -> None:
    rows = [r for r in SLICE if not r.startswith("11.01.01.")]
    out = run_import(write_national(tmp_path / "removed", rows))
    assert "retired 2," in out
    assert "Retired regions still hold: 1 KIM" in out
    village = Region.objects.get(kode="11.01.01.2001")
    assert village.retired_at is not None
    assert Region.objects.get(kode="11.01.01.1001").retired_at is not None
    aceh_kim.refresh_from_db()
    assert aceh_kim.region_id == "11.01.01.2001"
    # Still shown, flagged; offered for no new record; not counted.
    page = client.get(reverse("regions:detail", args=["11.01.01.2001"]))
    assert page.status_code == 200
    assert "Kemendagri" in page.content.decode()
    assert client.get(reverse("regions:pick"), {"q": "keude"}).json()["results"] == []
    assert client.get("/api/v1/regions/11.01.01").json()["children_counts"] == {
        "kabkota": 0,
        "kecamatan": 0,
        "desa_kel": 0,
        "desa": 0,
        "kelurahan": 0,
    }
    kim_page = client.get(reverse("network:kim_detail", args=[aceh_kim.pk]))
    assert kim_page.status_code == 200
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        network_services.kim_create(actor=None, name="KIM Baru", region=village)
    # Listed again later: reinstated.
    out = run_import(tmp_path / "aceh")
    assert "reinstated 2" in out
    village.refresh_from_db()
    assert village.retired_at is None


def test_kaltim_fixture_import_leaves_other_provinces_alone(
    aceh: Region,
) -> None:
    from regions.tests.test_importing import FIXTURE

    out = run_import(FIXTURE)
    assert "retired 0," in out
    assert Region.objects.get(kode="11.01.01.2001").retired_at is None


# The whole country, from ../shared/data (skipped where it is absent).


@pytest.mark.national
def test_national_import(kaltim: None, shared_data: Path) -> None:
    source = shared_data / "regions" / "indonesia"
    if not (source / "indonesia_wilayah_2025.csv.gz").exists():
        pytest.skip(f"national region list not found in {source}")
    kaltim_point = Region.objects.filter(kode="64.02").values_list(
        "rep_lat", "rep_lng", "area_km2"
    )[0]
    boundaries = dict(RegionBoundary.objects.values_list("region_id", "geometry"))
    out = run_import(source)
    active = Region.objects.filter(retired_at__isnull=True)
    counts = {
        level: active.filter(level=level).count()
        for level in ("provinsi", "kabkota", "kecamatan", "desa_kel")
    }
    assert counts == {
        "provinsi": 38,
        "kabkota": 514,
        "kecamatan": 7285,
        "desa_kel": 83762,
    }
    assert "Skipped" not in out and "Repeated" not in out
    # Kaltim keeps its points and boundaries; the rest has none.
    assert (
        Region.objects.filter(kode="64.02").values_list(
            "rep_lat", "rep_lng", "area_km2"
        )[0]
        == kaltim_point
    )
    assert dict(RegionBoundary.objects.values_list("region_id", "geometry")) == (
        boundaries
    )
    assert not Region.objects.filter(kode="32.73", rep_lat__isnull=False).exists()
    assert Region.objects.filter(rep_lat__isnull=False).count() == 1154
    # Twice: nothing changes.
    again = run_import(source)
    assert "created 0, updated 0, unchanged 91599, renamed 0, retired 0" in again
    assert Region.objects.count() == 91599
