"""Sparse coverage matrix and preprocessing."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from connectivity.coverage.geo import haversine_km
from connectivity.siting.matrix import coverage_matrix, reduce_problem


def test_matrix_matches_haversine_with_per_site_radius() -> None:
    rng = np.random.default_rng(5)
    p_lat, p_lng = rng.uniform(-1, 1, 400), rng.uniform(116, 118, 400)
    s_lat, s_lng = rng.uniform(-1, 1, 60), rng.uniform(116, 118, 60)
    radius = rng.uniform(5, 25, 60)
    m = coverage_matrix(s_lat, s_lng, radius, p_lat, p_lng).toarray()
    d = haversine_km(p_lat[:, None], p_lng[:, None], s_lat[None, :], s_lng[None, :])
    assert np.array_equal(m, d <= radius[None, :])


def test_point_on_the_circle_counts_as_covered() -> None:
    # 0.1 degree of latitude = 11.119 km on the IUGG sphere.
    d = float(haversine_km(0.0, 117.0, 0.1, 117.0))
    m = coverage_matrix([0.0], [117.0], [d], [0.1], [117.0])
    assert m.nnz == 1


def test_empty_inputs() -> None:
    m = coverage_matrix([], [], [], [0.0], [117.0])
    assert m.shape == (1, 0)


def test_reduction_merges_rows_and_columns_and_drops_dominated() -> None:
    # rows x cols; c1 == c2 (identical), c3 covers a strict subset of c0.
    dense = np.array(
        [
            [1, 1, 1, 0],
            [1, 0, 0, 1],
            [1, 0, 0, 1],  # identical to row 1
            [0, 1, 1, 0],
        ],
        dtype=bool,
    )
    cover = sparse.csr_matrix(dense)
    red = reduce_problem(
        cover, np.arange(4), np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4)
    )
    assert red.stats["merged_rows"] == 3
    assert sorted(red.row_weight.tolist()) == [1.0, 4.0, 5.0]
    kept = sorted(red.col_index.tolist())
    assert 2 not in kept  # merged into column 1
    assert 3 not in kept  # rows {1, 2} is a strict subset of column 0's
    assert red.dominated == 1
    groups = {g[0]: g for g in red.col_members}
    assert groups[1] == [1, 2]


def test_reduction_respects_cost_for_dominance() -> None:
    dense = np.array([[1, 1], [1, 0]], dtype=bool)
    # Column 1 covers a subset of column 0 but is cheaper: keep both.
    red = reduce_problem(
        sparse.csr_matrix(dense),
        np.arange(2),
        np.ones(2),
        np.array([5.0, 1.0]),
        unit_cost=False,
    )
    assert red.dominated == 0 and red.shape[1] == 2
