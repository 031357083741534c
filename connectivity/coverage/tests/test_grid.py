"""Raster and point coverage."""

from __future__ import annotations

import math

import numpy as np
import pytest

from connectivity.coverage.geo import haversine_km
from connectivity.coverage.grid import (
    NO_TERRAIN_NOTE,
    BBox,
    Tower,
    coverage_grid,
    point_coverage,
)
from connectivity.coverage.models import SiteConfig, margin_db, max_range_km

URBAN = SiteConfig(environment="urban")  # about 4.9 km: small, fast rasters


def test_single_tower_raster_matches_point_margins() -> None:
    tower = Tower("t1", -0.5, 116.5, URBAN)
    bbox = BBox(-0.6, -0.4, 116.4, 116.6)
    raster = coverage_grid([tower], bbox, cell_m=100.0)
    assert raster.terrain_aware is False
    assert raster.note == NO_TERRAIN_NOTE
    rng = np.random.default_rng(0)
    rows, cols = raster.shape
    ii = rng.integers(0, rows, 400)
    jj = rng.integers(0, cols, 400)
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        lat, lng = raster.cell_center(i, j)
        m = float(margin_db(haversine_km(tower.lat, tower.lng, lat, lng), URBAN))
        expected = 0 if m < 0 else min(255, 1 + math.floor(m))
        # The raster's local projection may shift a cell across a 1 dB boundary.
        assert abs(int(raster.level[i, j]) - expected) <= 1


def test_covered_area_is_a_disc_of_max_range() -> None:
    tower = Tower("t1", 0.0, 117.0, URBAN)
    r = max_range_km(URBAN)
    raster = coverage_grid([tower], BBox(-0.1, 0.1, 116.9, 117.1), cell_m=50.0)
    assert raster.covered_km2() == pytest.approx(math.pi * r * r, rel=0.02)


def test_towers_combine_by_best_margin_and_clip_at_edges() -> None:
    a = Tower("a", 0.0, 117.0, URBAN)
    b = Tower("b", 0.0, 117.05, URBAN.with_(eirp_dbm=70.0))
    off = Tower("off", 10.0, 130.0, URBAN)  # far outside the box: ignored
    bbox = BBox(-0.05, 0.05, 117.0, 117.1)  # tower a sits on the western edge
    both = coverage_grid([a, b, off], bbox, cell_m=100.0)
    only_a = coverage_grid([a], bbox, cell_m=100.0)
    only_b = coverage_grid([b], bbox, cell_m=100.0)
    assert np.array_equal(both.level, np.maximum(only_a.level, only_b.level))
    assert both.towers_used == 2
    assert both.level.dtype == np.uint8


def test_empty_bbox_and_bad_cell_size() -> None:
    with pytest.raises(ValueError):
        BBox(1.0, 0.0, 116.0, 117.0)
    with pytest.raises(ValueError):
        coverage_grid([], BBox(0, 1, 116, 117), cell_m=0)


def test_point_coverage_best_and_all_covering_towers() -> None:
    r = max_range_km(URBAN)
    near = Tower("near", 0.0, 117.0, URBAN)
    far = Tower("far", 0.0, 117.0 + 0.8 * r / 111.2, URBAN)
    pts = [
        ("p0", 0.0, 117.0 + 0.1 / 111.2),  # 100 m from "near", covered by both
        ("p1", 0.0, 117.0 + 1.6 * r / 111.2),  # only "far"
        ("p2", 1.0, 118.0),  # nobody
    ]
    res = point_coverage(pts, [near, far])
    assert res.best_tower == ["near", "far", None]
    assert res.covering[0] == ["near", "far"]
    assert res.covering[1] == ["far"]
    assert res.covering[2] == []
    assert res.best_margin_db[2] == -np.inf
    assert res.covered.tolist() == [True, True, False]
    assert res.covered_share() == pytest.approx(2 / 3)
    assert res.covered_share([1.0, 1.0, 2.0]) == pytest.approx(0.5)
    rows = res.as_dicts()
    assert rows[2]["best_margin_db"] is None and rows[0]["covered"] is True
    assert res.terrain_aware is False and "No elevation model" in res.note


def test_point_coverage_small_chunks_give_same_answer() -> None:
    rng = np.random.default_rng(3)
    towers = [
        Tower(k, float(rng.uniform(-0.3, 0.3)), float(rng.uniform(116.7, 117.3)), URBAN)
        for k in range(30)
    ]
    pts = [
        (k, float(rng.uniform(-0.3, 0.3)), float(rng.uniform(116.7, 117.3)))
        for k in range(200)
    ]
    a = point_coverage(pts, towers)
    b = point_coverage(pts, towers, chunk=50)
    assert np.array_equal(a.best_margin_db, b.best_margin_db)
    assert a.covering == b.covering
