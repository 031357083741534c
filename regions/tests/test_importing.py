from pathlib import Path

import pytest

from regions.importing import RegionFileError, iter_boundaries, read_records

FIXTURE = Path(__file__).resolve().parents[1] / "data"


def test_shipped_fixture_has_every_kaltim_region() -> None:
    records = read_records(FIXTURE)
    levels = [r.level for r in records]
    assert levels.count("provinsi") == 1
    assert levels.count("kabkota") == 10
    assert levels.count("kecamatan") == 105
    assert levels.count("desa_kel") == 1038
    kinds = [r.kind for r in records if r.level == "desa_kel"]
    assert kinds.count("desa") == 841
    assert kinds.count("kelurahan") == 197
    province = records[0]
    assert (province.kode, province.name, province.parent) == (
        "64",
        "Kalimantan Timur",
        None,
    )
    # The province's representative point is a kabupaten's, so it lies inside.
    assert (province.rep_lat, province.rep_lng) in {
        (r.rep_lat, r.rep_lng) for r in records if r.level == "kabkota"
    }


def test_kota_and_kabupaten_are_told_apart() -> None:
    by_code = {r.kode: r for r in read_records(FIXTURE)}
    assert by_code["64.72"].kind == "kota"
    assert by_code["64.02"].kind == "kabupaten"
    assert by_code["64.02"].population == 806964


def test_shipped_boundaries_cover_every_region() -> None:
    shapes = dict(iter_boundaries(FIXTURE))
    assert len(shapes) == 1154
    assert shapes["64"]["type"] == "MultiPolygon"


def test_shipped_fixture_matches_the_shared_source(shared_data: Path) -> None:
    source = shared_data / "regions"
    assert read_records(source) == read_records(FIXTURE)
    assert dict(iter_boundaries(source)) == dict(iter_boundaries(FIXTURE))


def test_bad_rows_are_reported_by_line(tmp_path: Path) -> None:
    header = (FIXTURE / "kaltim_wilayah_2025.csv").read_text().splitlines()[0]
    good = (FIXTURE / "kaltim_wilayah_2025.csv").read_text().splitlines()[1]
    bad_code = good.replace("64.01", "6X.01", 1)
    bad_level = ",".join(["64.01.01", "X", "planet", *good.split(",")[3:]])
    (tmp_path / "kaltim_wilayah_2025.csv").write_text(
        "\n".join([header, good, bad_code, bad_level]) + "\n"
    )
    with pytest.raises(RegionFileError) as info:
        read_records(tmp_path)
    assert len(info.value.errors) == 2
    assert info.value.errors[0].startswith("line 3:")
    assert "line 4:" in info.value.errors[1] and "planet" in info.value.errors[1]


def test_missing_files_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegionFileError, match=r"kaltim_wilayah_2025\.csv not found"):
        read_records(tmp_path)
