import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from connectivity import services
from connectivity.models import Dem, Observation, Tower, VillageStatus
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_plan_towers_writes_a_plan(tmp_path: Path) -> None:
    instance = {
        "demand": [
            {"id": "kantor", "lat": 0.5365, "lng": 116.0891, "weight": 3},
            {"id": "rt1", "lat": 0.6076, "lng": 116.1552, "weight": 2},
            {"id": "jauh", "lat": 1.0123, "lng": 115.4783, "weight": 1},
        ],
        "candidates": [
            {"id": "a", "lat": 0.54, "lng": 116.09},
            {"id": "b", "lat": 0.62, "lng": 116.17},
            {"id": "c", "lat": 1.01, "lng": 115.48, "radius_km": 5},
        ],
        "existing": [],
        "budget": 2,
        "radius_km": 10,
    }
    src, out = tmp_path / "instance.json", tmp_path / "plan.json"
    src.write_text(json.dumps(instance))
    stdout = StringIO()
    call_command("plan_towers", instance=str(src), output=str(out), stdout=stdout)
    plan = json.loads(out.read_text())
    assert set(plan["selected"]) == {"a", "b"}
    assert plan["covered_weight"] == 5 and plan["total_weight"] == 6
    assert plan["gap"] == 0 and plan["bound"] == 5
    assert "seconds" in plan and "optimal" in stdout.getvalue()


def test_plan_towers_clear_answers(tmp_path: Path) -> None:
    src, out = tmp_path / "instance.json", tmp_path / "plan.json"
    src.write_text(
        json.dumps(
            {
                "demand": [{"id": "x", "lat": 0.5, "lng": 116}],
                "candidates": [],
                "budget": 3,
            }
        )
    )
    stdout = StringIO()
    call_command("plan_towers", instance=str(src), output=str(out), stdout=stdout)
    assert json.loads(out.read_text())["selected"] == []
    assert "candidate" in stdout.getvalue()
    src.write_text(
        json.dumps(
            {
                "demand": [{"id": "x", "lat": 116, "lng": 0.5}],
                "candidates": [{"id": "c", "lat": 0.5, "lng": 116}],
            }
        )
    )
    with pytest.raises(CommandError, match="x"):
        call_command("plan_towers", instance=str(src), output=str(out))
    with pytest.raises(CommandError):
        call_command(
            "plan_towers", instance=str(tmp_path / "none.json"), output=str(out)
        )


def test_import_blankspots_from_shared_data(shared_data: Path) -> None:
    stdout = StringIO()
    call_command("import_blankspots", stdout=stdout)
    assert "19 villages" in stdout.getvalue()
    call_command("import_blankspots", stdout=StringIO())
    assert Observation.objects.count() == 19
    assert VillageStatus.objects.filter(status="blankspot").count() == 19


def test_import_blankspots_falls_back_to_the_shipped_copy(settings, tmp_path) -> None:
    settings.SHARED_DATA_DIR = tmp_path
    stdout = StringIO()
    call_command("import_blankspots", stdout=stdout)
    assert "connectivity/data/kukar_blankspot_2022.csv" in stdout.getvalue()


def test_connectivity_refresh() -> None:
    stdout = StringIO()
    call_command("connectivity_refresh", region="64.02.12", stdout=stdout)
    kec = Region.objects.get(kode="64.02.12")
    n = kec.children.count()
    assert f"{n} offices created, {n} villages refreshed" in stdout.getvalue()


def _write_dem(path: Path, *, hilly: bool) -> None:
    rasterio = pytest.importorskip("rasterio", reason="rasterio is not installed")
    from rasterio.transform import from_origin

    rows, cols = 240, 240
    y, x = np.mgrid[0:rows, 0:cols]
    z = (
        50 + 400 * (np.sin(x / 6.0) * np.cos(y / 7.0) + 1)
        if hilly
        else np.full((rows, cols), 20.0)
    )
    # 0.005° pixels (about 550 m) around Tabang: 1.2° x 1.2°.
    transform = from_origin(115.5, 1.2, 0.005, 0.005)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=rows,
        width=cols,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=transform,
    ) as dst:
        dst.write(z.astype("float32"), 1)


def test_dem_import_makes_coverage_terrain_aware(tmp_path: Path) -> None:
    v = Region.objects.get(kode="64.02.12.2005")
    tower = services.tower_create(
        actor=None,
        region=v,
        name="BTS",
        lat=v.rep_lat,
        lng=v.rep_lng,
        owner="bakti",
        status="on_air",
    )
    assert not tower.predicted_terrain_aware
    flat, hilly = tmp_path / "flat.tif", tmp_path / "hilly.tif"
    _write_dem(flat, hilly=False)
    _write_dem(hilly, hilly=True)
    call_command("import_dem", str(flat), stdout=StringIO())
    tower.refresh_from_db()
    flat_range = tower.predicted_range_km
    assert tower.predicted_terrain_aware
    call_command("import_dem", str(hilly), name="hills", stdout=StringIO())
    tower.refresh_from_db()
    assert tower.predicted_range_km < flat_range
    assert Dem.objects.filter(active=True).get().name == "hills"
    from connectivity.selectors import coverage_features

    assert coverage_features(region=v)["terrain_aware"] is True
    assert Tower.objects.get().predicted_terrain_aware


def test_dem_import_refuses_a_non_geotiff(tmp_path: Path) -> None:
    pytest.importorskip("rasterio", reason="rasterio is not installed")
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"not a tiff")
    with pytest.raises(CommandError):
        call_command("import_dem", str(bad), stdout=StringIO())
    assert not Dem.objects.exists()
