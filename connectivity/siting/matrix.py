"""Sparse coverage matrix and its reduction.

Distances are great-circle on a sphere: points become 3D unit vectors in a
``scipy.spatial.cKDTree`` and a radius of r km becomes the chord 2 sin(r / 2R), so
a 5,000 x 5,000 matrix takes milliseconds instead of 25 million haversines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def unit_vectors(lat: npt.ArrayLike, lng: npt.ArrayLike) -> FloatArray:
    la = np.radians(np.asarray(lat, dtype=np.float64))
    ln = np.radians(np.asarray(lng, dtype=np.float64))
    c = np.cos(la)
    return np.column_stack([c * np.cos(ln), c * np.sin(ln), np.sin(la)])


def chord(radius_km: npt.ArrayLike) -> FloatArray:
    # A hair of slack so a point exactly on the circle counts as inside.
    r = np.asarray(radius_km, dtype=np.float64) * (1 + 1e-12)
    return 2.0 * np.sin(np.minimum(r / EARTH_RADIUS_KM, np.pi) / 2.0)


def coverage_matrix(
    site_lat: npt.ArrayLike,
    site_lng: npt.ArrayLike,
    site_radius_km: npt.ArrayLike,
    point_lat: npt.ArrayLike,
    point_lng: npt.ArrayLike,
) -> sparse.csr_matrix:
    """Boolean CSR matrix, one row per point, one column per site: True when the
    point lies within the site's own radius."""
    pts = unit_vectors(point_lat, point_lng)
    sites = unit_vectors(site_lat, site_lng)
    n_pts, n_sites = pts.shape[0], sites.shape[0]
    if n_pts == 0 or n_sites == 0:
        return sparse.csr_matrix((n_pts, n_sites), dtype=bool)
    tree = cKDTree(pts)
    hits = tree.query_ball_point(sites, r=chord(site_radius_km), return_sorted=False)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=n_sites)
    rows = (
        np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])
        if lengths.sum()
        else np.zeros(0, dtype=np.int64)
    )
    cols = np.repeat(np.arange(n_sites, dtype=np.int64), lengths)
    data = np.ones(rows.size, dtype=bool)
    m = sparse.csr_matrix((data, (rows, cols)), shape=(n_pts, n_sites))
    m.sum_duplicates()
    m.sort_indices()
    return m


def covered_by_any(
    site_lat: npt.ArrayLike,
    site_lng: npt.ArrayLike,
    site_radius_km: npt.ArrayLike,
    point_lat: npt.ArrayLike,
    point_lng: npt.ArrayLike,
) -> npt.NDArray[np.bool_]:
    m = coverage_matrix(site_lat, site_lng, site_radius_km, point_lat, point_lng)
    return np.asarray(m.getnnz(axis=1) > 0)


def _group_identical(m: sparse.csr_matrix) -> tuple[IntArray, list[list[int]]]:
    """Group the rows of ``m`` with identical sparsity patterns.

    Returns the representative row of each group and the members of each group."""
    m = m.tocsr()
    m.sort_indices()
    groups: dict[bytes, list[int]] = {}
    ind, ptr = m.indices, m.indptr
    for r in range(m.shape[0]):
        key = ind[ptr[r] : ptr[r + 1]].astype(np.int64).tobytes()
        groups.setdefault(key, []).append(r)
    members = list(groups.values())
    reps = np.array([g[0] for g in members], dtype=np.int64)
    return reps, members


@dataclass
class Reduced:
    """The problem after preprocessing.

    ``a`` is the reduced boolean matrix (rows: merged demand groups, columns: kept
    candidates); ``row_weight`` the summed weight of each group; ``row_members`` and
    ``col_members`` map back to original demand / candidate indices (the first member
    of a column group is the one kept, the others are equivalent alternatives).
    """

    a: sparse.csr_matrix
    row_weight: FloatArray
    row_members: list[list[int]]
    col_index: IntArray
    col_cost: FloatArray
    col_members: list[list[int]]
    dominated: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.a.shape[0]), int(self.a.shape[1]))


def reduce_problem(
    cover: sparse.csr_matrix,
    rows: IntArray,
    weight: FloatArray,
    cost: FloatArray,
    *,
    drop_dominated: bool = True,
    unit_cost: bool = True,
) -> Reduced:
    """Keep ``rows`` of ``cover``, merge identical rows and columns, and drop empty
    and dominated columns.

    A column is dominated when another covers a strict superset of its rows at no
    greater cost (every unit when ``unit_cost``): swapping it out never loses
    coverage, so optimal values are unchanged.
    """
    sub = cover[rows].tocsr().astype(np.int8)
    # Identical demand rows (same candidate set) become one row with summed weight.
    rep_rows, row_groups = _group_identical(sub)
    row_weight = np.array([weight[rows[g]].sum() for g in row_groups])
    row_members = [[int(rows[i]) for i in g] for g in row_groups]
    a = sub[rep_rows]
    # Identical columns: keep the cheapest of each group.
    csc = a.T.tocsr()
    nonempty = np.flatnonzero(csc.getnnz(axis=1) > 0)
    csc = csc[nonempty]
    _, col_groups_local = _group_identical(csc)
    col_groups: list[list[int]] = []
    for g in col_groups_local:
        orig = [int(nonempty[i]) for i in g]
        orig.sort(key=lambda j: (0.0 if unit_cost else cost[j], j))
        col_groups.append(orig)
    keep = np.array([g[0] for g in col_groups], dtype=np.int64)
    a = a[:, keep].tocsc().tocsr() if keep.size else a[:, :0]
    col_cost = np.ones(keep.size) if unit_cost else cost[keep].astype(np.float64)
    dominated = 0
    if drop_dominated and keep.size > 1:
        ai = a.astype(np.int32)
        overlap = (ai.T @ ai).tocoo()  # columns x columns: shared rows
        size = np.asarray(ai.sum(axis=0)).ravel()
        j, k, v = overlap.row, overlap.col, overlap.data
        dom = (j != k) & (v == size[j]) & (size[k] > size[j])
        dom &= col_cost[k] <= col_cost[j]
        is_dom = np.zeros(keep.size, dtype=bool)
        is_dom[j[dom]] = True
        dominated = int(is_dom.sum())
        if dominated:
            alive = np.flatnonzero(~is_dom)
            a = a[:, alive]
            keep = keep[alive]
            col_cost = col_cost[alive]
            col_groups = [col_groups[i] for i in alive.tolist()]
    a = a.astype(bool).tocsr()
    a.sort_indices()
    return Reduced(
        a=a,
        row_weight=row_weight.astype(np.float64),
        row_members=row_members,
        col_index=keep,
        col_cost=col_cost,
        col_members=col_groups,
        dominated=dominated,
        stats={
            "rows": int(rows.size),
            "merged_rows": int(a.shape[0]),
            "columns": int(cover.shape[1]),
            "merged_columns": int(a.shape[1]),
            "dominated_columns": dominated,
            "nonzeros": int(a.nnz),
        },
    )
