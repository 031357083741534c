"""Terrain-aware prediction on small generated DEMs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from connectivity.coverage.grid import BBox, Tower, coverage_grid, point_coverage
from connectivity.coverage.models import SiteConfig
from connectivity.coverage.terrain import (
    Dem,
    delta_h_m,
    line_of_sight,
    read_dem,
    site_delta_h_m,
    terrain_point_margins,
    terrain_profile,
    terrain_site_config,
)

# 0.2 x 0.2 degree DEM around (0, 117) at 0.002 degree (~220 m) pixels.
PIX = 0.002
X0, Y0 = 116.9, 0.1
TRANSFORM = (X0, PIX, 0.0, Y0, 0.0, -PIX)


def _grid() -> tuple[np.ndarray, np.ndarray]:
    n = 100
    lng = X0 + (np.arange(n) + 0.5) * PIX
    lat = Y0 - (np.arange(n) + 0.5) * PIX
    return np.meshgrid(lat, lng, indexing="ij")


def _dem(kind: str) -> Dem:
    lat, lng = _grid()
    if kind == "flat":
        z = np.full(lat.shape, 20.0)
    elif kind == "slope":
        z = 1000.0 * (lng - X0)  # a plane: no irregularity
    elif kind == "hilly":
        z = 150.0 * np.sin(lng * 300.0) * np.cos(lat * 250.0) + 200.0
    else:  # a 300 m north-south ridge at lng 117.0
        z = np.where(np.abs(lng - 117.0) < 0.004, 300.0, 10.0)
    return Dem(z, TRANSFORM)


def test_sample_is_bilinear_and_nan_outside() -> None:
    dem = _dem("slope")
    v = dem.sample([0.0, 0.0, 5.0], [116.95, 116.9511, 116.95])
    assert v[0] == pytest.approx(50.0, abs=1e-6)
    assert v[1] == pytest.approx(51.1, abs=1e-6)
    assert np.isnan(v[2])


def test_delta_h_flat_and_plane_are_zero() -> None:
    for kind in ("flat", "slope"):
        x, z = terrain_profile(_dem(kind), 0.05, 116.91, -0.05, 117.09)
        assert delta_h_m(x, z) == pytest.approx(0.0, abs=1e-6)


def test_delta_h_of_hills_is_large_and_length_corrected() -> None:
    x, z = terrain_profile(_dem("hilly"), 0.0, 116.91, 0.0, 117.09)
    dh = delta_h_m(x, z)
    resid = z - np.polyval(np.polyfit(x, z, 1), x)
    raw = np.percentile(resid, 90) - np.percentile(resid, 10)
    # 20 km path: divided by 1 - 0.8 exp(-16/50) ~ 0.42 (Hufford 1995, dlthx).
    assert dh > raw * 1.5
    assert 100 < raw < 400


def test_line_of_sight_blocked_by_ridge() -> None:
    dem = _dem("ridge")
    x, z = terrain_profile(dem, 0.0, 116.95, 0.0, 117.05)
    clear, worst = line_of_sight(x, z, 42.0, 1.5)
    assert not clear and worst < -200
    x, z = terrain_profile(dem, 0.0, 116.91, 0.0, 116.99)
    assert line_of_sight(x, z, 42.0, 1.5)[0]


def test_terrain_site_config_switches_to_itm_with_measured_delta_h() -> None:
    cfg = terrain_site_config(_dem("hilly"), 0.0, 117.0, SiteConfig(), radius_km=8.0)
    assert cfg.model == "itm" and cfg.delta_h_m is not None and cfg.delta_h_m > 50
    flat = terrain_site_config(_dem("flat"), 0.0, 117.0, SiteConfig(), radius_km=8.0)
    assert flat.delta_h_m == 0.0
    # Outside the DEM: unchanged.
    assert terrain_site_config(_dem("flat"), 3.0, 110.0, SiteConfig()) == SiteConfig()
    assert np.isnan(site_delta_h_m(_dem("flat"), 3.0, 110.0, 5.0))


def test_terrain_margins_report_line_of_sight() -> None:
    dem = _dem("ridge")
    res = terrain_point_margins(
        dem,
        0.0,
        116.95,
        [0.0, 0.0],
        [117.05, 116.93],
        SiteConfig(),
        obstruction_loss_db=20.0,
    )
    assert [r.line_of_sight for r in res] == [False, True]
    assert res[0].margin_db < res[1].margin_db


def test_grid_and_points_say_when_terrain_aware() -> None:
    dem = _dem("hilly")
    towers = [Tower("t", 0.0, 117.0, SiteConfig(environment="urban"))]
    bbox = BBox(-0.05, 0.05, 116.95, 117.05)
    with_dem = coverage_grid(towers, bbox, cell_m=200.0, dem=dem)
    assert with_dem.terrain_aware is True and "Terrain-aware" in with_dem.note
    pts = [("p", 0.0, 117.01)]
    pc = point_coverage(pts, towers, dem=dem)
    assert pc.terrain_aware is True
    assert point_coverage(pts, towers).terrain_aware is False


def test_read_dem_geotiff_roundtrip(tmp_path: Path) -> None:
    rasterio = pytest.importorskip(
        "rasterio", reason="rasterio not installed: DEM GeoTIFF reading is optional"
    )
    from rasterio.transform import Affine

    z = _dem("hilly").elevation.astype("float32")
    path = tmp_path / "dem.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=z.shape[0],
        width=z.shape[1],
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(PIX, 0.0, X0, 0.0, -PIX, Y0),
        nodata=-9999.0,
    ) as dst:
        dst.write(z, 1)
    dem = read_dem(path)
    assert dem.transform == pytest.approx(TRANSFORM)
    assert dem.nodata == -9999.0
    assert np.allclose(dem.elevation, z)
    lat, lng = 0.0123, 116.987
    assert dem.sample(lat, lng) == pytest.approx(
        _dem("hilly").sample(lat, lng), abs=1e-3
    )
