"""Greedy + local search for maximal covering and set covering, with bounds.

They work on a reduced problem: a boolean CSR matrix ``a`` (rows: demand groups,
columns: candidate sites), row weights and column costs.  Selections are arrays of
column indices into ``a``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPS = 1e-9


@dataclass
class Heuristic:
    selected: list[int]
    value: float  # covered weight (max cover) or number/cost of sites (set cover)
    bound: float  # upper bound (max cover) or lower bound (set cover) on the optimum
    swaps: int
    seconds: float


def _counts(a: sparse.csr_matrix, selected: list[int]) -> IntArray:
    x = np.zeros(a.shape[1], dtype=np.int64)
    x[selected] = 1
    return np.asarray(a.astype(np.int64) @ x, dtype=np.int64)


def _gains(at: sparse.csr_matrix, w: FloatArray, cnt: IntArray) -> FloatArray:
    """Weight each column would newly cover given the current cover counts."""
    return np.asarray(at @ (w * (cnt == 0)), dtype=np.float64)


def _top_bound(
    gain: FloatArray, cost: FloatArray, budget: int | None, money: float | None
) -> float:
    """max sum of marginal gains of a feasible set: the submodular upper bound
    f(OPT) <= f(S) + max_{T feasible} sum_{k in T} gain_k(S) (Nemhauser et al. 1978)."""
    g = np.where(gain > 0, gain, 0.0)
    bound = np.inf
    if budget is not None:
        top = np.sort(g)[::-1][:budget]
        bound = float(top.sum())
    if money is not None:
        # Fractional knapsack relaxation.
        ratio = np.where(cost > 0, g / np.maximum(cost, _EPS), np.inf)
        order = np.argsort(-ratio)
        left, total = money, 0.0
        for k in order.tolist():
            if g[k] <= 0:
                break
            if cost[k] <= left:
                total += g[k]
                left -= cost[k]
            else:
                total += g[k] * left / cost[k]
                break
        bound = min(bound, total)
    return float(bound if np.isfinite(bound) else g.sum())


def greedy_max_cover(
    a: sparse.csr_matrix,
    w: FloatArray,
    cost: FloatArray,
    budget: int | None,
    money: float | None,
    *,
    time_limit: float = 10.0,
) -> Heuristic:
    """Greedy (best gain, or gain per cost under a money budget) then 1-swap
    interchange (Teitz and Bart 1968) until no swap improves, or ``time_limit``."""
    t0 = time.perf_counter()
    n_cols = a.shape[1]
    at = a.T.tocsr().astype(np.float64)
    cnt = np.zeros(a.shape[0], dtype=np.int64)
    selected: list[int] = []
    spent = 0.0
    gain = _gains(at, w, cnt)
    chosen = np.zeros(n_cols, dtype=bool)

    def can_add(k: int) -> bool:
        if budget is not None and len(selected) >= budget:
            return False
        return money is None or spent + cost[k] <= money + _EPS

    def fill() -> None:
        nonlocal gain, spent
        while True:
            ok = ~chosen & (gain > _EPS)
            if budget is not None and len(selected) >= budget:
                return
            if money is not None:
                ok &= spent + cost <= money + _EPS
            if not ok.any():
                return
            score = gain / np.maximum(cost, _EPS) if money is not None else gain
            k = int(np.argmax(np.where(ok, score, -np.inf)))
            if not can_add(k):
                return
            selected.append(k)
            chosen[k] = True
            spent += float(cost[k])
            cnt[at[k].indices] += 1
            gain = _gains(at, w, cnt)

    fill()
    swaps = 0
    deadline = t0 + time_limit
    a_csr = a.tocsr()
    while time.perf_counter() < deadline and selected:
        best_delta, best_pair = _EPS * max(1.0, float(w.sum())), None
        for j in selected:
            col = at[j]
            r_j = col.indices
            uniq = r_j[cnt[r_j] == 1]
            loss = float(w[uniq].sum())
            score = gain.copy()
            if uniq.size:
                sub = a_csr[uniq]
                # Rows only j covers come back as gains for swap-in candidates
                # that also cover them.
                score += np.bincount(
                    sub.indices,
                    weights=np.repeat(w[uniq], np.diff(sub.indptr)),
                    minlength=n_cols,
                )
            score[chosen] = -np.inf
            if money is not None:
                score[spent - cost[j] + cost > money + _EPS] = -np.inf
            k = int(np.argmax(score))
            delta = float(score[k]) - loss
            if delta > best_delta:
                best_delta, best_pair = delta, (j, k)
        if best_pair is None:
            break
        j, k = best_pair
        selected[selected.index(j)] = k
        chosen[j], chosen[k] = False, True
        spent += float(cost[k] - cost[j])
        cnt[:] = _counts(a_csr, selected)
        gain = _gains(at, w, cnt)
        swaps += 1
        fill()
    covered = float(w[cnt > 0].sum())
    bound = min(covered + _top_bound(gain, cost, budget, money), float(w.sum()))
    return Heuristic(
        selected=selected,
        value=covered,
        bound=bound,
        swaps=swaps,
        seconds=time.perf_counter() - t0,
    )


def packing_lower_bound(a: sparse.csr_matrix) -> int:
    """Rows whose candidate sets are pairwise disjoint each need their own site, so
    their number is a lower bound on any set cover (a greedy row packing)."""
    a = a.tocsr()
    deg = np.diff(a.indptr)
    used = np.zeros(a.shape[1], dtype=bool)
    count = 0
    for r in np.argsort(deg, kind="stable").tolist():
        cols = a.indices[a.indptr[r] : a.indptr[r + 1]]
        if cols.size and not used[cols].any():
            used[cols] = True
            count += 1
    return count


def greedy_set_cover(a: sparse.csr_matrix, *, time_limit: float = 10.0) -> Heuristic:
    """Cover every row of ``a`` with few columns: greedy by rows newly covered, then
    drop redundant columns and try 2-for-1 exchanges (two sites replaced by one that
    covers everything only they covered)."""
    t0 = time.perf_counter()
    a = a.tocsr()
    n_rows = a.shape[0]
    at = a.T.tocsr().astype(np.float64)
    ones = np.ones(n_rows)
    cnt = np.zeros(n_rows, dtype=np.int64)
    selected: list[int] = []
    gain = _gains(at, ones, cnt)
    while (cnt == 0).any():
        k = int(np.argmax(gain))
        if gain[k] <= 0:
            break  # rows without any column: the caller removed these already
        selected.append(k)
        cnt += _counts(a, [k])
        gain = _gains(at, ones, cnt)
    selected = _drop_redundant(a, at, selected)
    swaps = 0
    deadline = t0 + time_limit
    while time.perf_counter() < deadline:
        move = _two_for_one(a, at, selected)
        if move is None:
            break
        j1, j2, k = move
        selected = [s for s in selected if s not in (j1, j2)] + [k]
        selected = _drop_redundant(a, at, selected)
        swaps += 1
    return Heuristic(
        selected=selected,
        value=float(len(selected)),
        bound=float(packing_lower_bound(a)),
        swaps=swaps,
        seconds=time.perf_counter() - t0,
    )


def _drop_redundant(
    a: sparse.csr_matrix, at: sparse.csr_matrix, selected: list[int]
) -> list[int]:
    cnt = _counts(a, selected)
    keep = list(selected)
    # Latest picks cover least on their own: try them first.
    for j in reversed(selected):
        rows = at[j].indices
        if rows.size == 0 or (cnt[rows] >= 2).all():
            keep.remove(j)
            cnt[rows] -= 1
    return keep


def _two_for_one(
    a: sparse.csr_matrix, at: sparse.csr_matrix, selected: list[int]
) -> tuple[int, int, int] | None:
    cnt = _counts(a, selected)
    chosen = np.zeros(a.shape[1], dtype=bool)
    chosen[selected] = True
    # Candidate columns that cover all rows only j covers.
    absorbers: dict[int, list[int]] = {}
    for j in selected:
        rows = at[j].indices
        uniq = rows[cnt[rows] == 1]
        if uniq.size == 0:
            continue
        hits = np.bincount(a[uniq].indices, minlength=a.shape[1])
        for k in np.flatnonzero(hits == uniq.size).tolist():
            if not chosen[k]:
                absorbers.setdefault(k, []).append(j)
    for k, js in absorbers.items():
        if len(js) < 2:
            continue
        k_rows = np.zeros(a.shape[0], dtype=bool)
        k_rows[at[k].indices] = True
        for x in range(len(js)):
            for y in range(x + 1, len(js)):
                j1, j2 = js[x], js[y]
                rows = np.union1d(at[j1].indices, at[j2].indices)
                both = np.isin(rows, at[j1].indices) & np.isin(rows, at[j2].indices)
                lost = cnt[rows] - 1 - both.astype(np.int64)
                if (k_rows[rows] | (lost > 0)).all():
                    return j1, j2, k
    return None
