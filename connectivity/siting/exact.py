"""Exact covering models solved with HiGHS (``highspy``), warm-started.

Maximal covering (Church and ReVelle 1974):
    max sum_i w_i y_i  s.t.  y_i <= sum_{j in N(i)} x_j,  sum_j x_j <= B
    (and/or sum_j c_j x_j <= money),  x binary, 0 <= y <= 1
(y may stay continuous: for integer x the optimum sets y_i = min(1, cover_i)).

Set covering (Toregas et al. 1971):
    min sum_j x_j  s.t.  sum_{j in N(i)} x_j >= 1 for every coverable i,  x binary.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]


class SolverUnavailable(RuntimeError):
    """highspy is not installed or failed; the caller falls back to greedy + swap."""


class InconsistentSolution(SolverUnavailable):
    """The solver's reported objective does not match the solution it returned."""


@dataclass
class MipResult:
    selected: list[int]
    objective: float
    bound: float
    status: str  # "optimal" or "time_limit" (HiGHS' own words otherwise)
    seconds: float
    nodes: int


_banner_done = False


def _highs() -> Any:
    global _banner_done
    try:
        import highspy
    except ImportError as exc:
        raise SolverUnavailable("highspy is not installed") from exc
    if _banner_done:
        h = highspy.Highs()
    else:
        # HiGHS prints a copyright banner on stdout when the first instance of the
        # process is built; send it to stderr so JSON written to stdout stays valid.
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_done = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 1)
    return h


def _solve(
    h: Any,
    num_col: int,
    num_row: int,
    sense: int,
    col_cost: FloatArray,
    col_upper: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    matrix: sparse.csc_matrix,
    integrality: npt.NDArray[np.int32],
    start: FloatArray | None,
    time_limit: float,
) -> tuple[FloatArray, float, float, str, int]:
    import highspy

    t = matrix.tocsc()
    t.sort_indices()
    status = h.passModel(
        num_col,
        num_row,
        int(t.nnz),
        1,  # column-wise matrix
        sense,
        0.0,
        col_cost,
        np.zeros(num_col),
        col_upper,
        row_lower,
        row_upper,
        t.indptr.astype(np.int32),
        t.indices.astype(np.int32),
        t.data.astype(np.float64),
        integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise SolverUnavailable("HiGHS rejected the model")
    h.setOptionValue("time_limit", max(float(time_limit), 0.05))
    h.setOptionValue("mip_rel_gap", 1e-6)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        h.setSolution(sol)
    if h.run() == highspy.HighsStatus.kError:
        raise SolverUnavailable("HiGHS failed while solving")
    model_status = h.getModelStatus()
    info = h.getInfo()
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if values.size != num_col or info.primal_solution_status == 0:
        raise SolverUnavailable(
            f"HiGHS returned no solution ({h.modelStatusToString(model_status)})"
        )
    objective = float(info.objective_function_value)
    recomputed = float(col_cost @ values)
    if abs(objective - recomputed) > 1e-6 * max(1.0, abs(objective)):
        # Seen with HiGHS 1.16 on set covering warm-started with setSolution: it
        # reports a better objective and bound than the solution it returns, so
        # neither can be trusted.
        raise InconsistentSolution(
            f"HiGHS reported objective {objective:g} but its solution scores "
            f"{recomputed:g}"
        )
    if model_status == highspy.HighsModelStatus.kOptimal:
        text = "optimal"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        text = "time_limit"
    else:
        text = h.modelStatusToString(model_status)
    return (
        values,
        objective,
        float(info.mip_dual_bound),
        text,
        int(info.mip_node_count),
    )


def solve_max_cover(
    a: sparse.csr_matrix,
    w: FloatArray,
    cost: FloatArray,
    budget: int | None,
    money: float | None,
    start: list[int],
    time_limit: float,
) -> MipResult:
    t0 = time.perf_counter()
    h = _highs()
    n_rows, n_cols = a.shape
    # Columns: x_0..x_{n-1}, then y_0..y_{m-1}.  Rows: y_i - sum x_j <= 0, budgets.
    cover = -a.astype(np.float64).tocsc()
    ident = sparse.identity(n_rows, format="csc", dtype=np.float64)
    budget_rows: list[FloatArray] = []
    uppers: list[float] = []
    if budget is not None:
        budget_rows.append(np.ones(n_cols))
        uppers.append(float(budget))
    if money is not None:
        budget_rows.append(cost.astype(np.float64))
        uppers.append(float(money))
    top = sparse.hstack([cover, ident], format="csc")
    if budget_rows:
        extra = sparse.hstack(
            [
                sparse.csc_matrix(np.vstack(budget_rows)),
                sparse.csc_matrix((len(budget_rows), n_rows)),
            ],
            format="csc",
        )
        matrix = sparse.vstack([top, extra], format="csc")
    else:
        matrix = top
    num_row = n_rows + len(budget_rows)
    num_col = n_cols + n_rows
    col_cost = np.concatenate([np.zeros(n_cols), w.astype(np.float64)])
    row_lower = np.full(num_row, -math.inf)
    row_upper = np.concatenate([np.zeros(n_rows), np.asarray(uppers)])
    integrality = np.concatenate(
        [np.ones(n_cols, dtype=np.int32), np.zeros(n_rows, dtype=np.int32)]
    )
    x0 = np.zeros(n_cols)
    x0[start] = 1.0
    y0 = np.minimum(a.astype(np.float64) @ x0, 1.0)
    args = (num_col, num_row, -1, col_cost, np.ones(num_col))  # -1: maximise
    try:
        values, _obj, bound, status, nodes = _solve(
            h,
            *args,
            row_lower,
            row_upper,
            matrix,
            integrality,
            np.concatenate([x0, y0]),
            time_limit,
        )
    except InconsistentSolution:
        left = time_limit - (time.perf_counter() - t0)
        values, _obj, bound, status, nodes = _solve(
            _highs(),
            *args,
            row_lower,
            row_upper,
            matrix,
            integrality,
            None,
            left,
        )
    selected = np.flatnonzero(values[:n_cols] > 0.5).tolist()
    # Recompute the objective from the integer choice (y may be fractional noise).
    x = np.zeros(n_cols)
    x[selected] = 1.0
    covered = float(w[(a.astype(np.float64) @ x) > 0.5].sum())
    return MipResult(
        selected=selected,
        objective=covered,
        bound=max(bound, covered),
        status=status,
        seconds=time.perf_counter() - t0,
        nodes=nodes,
    )


def solve_set_cover(a: sparse.csr_matrix, time_limit: float) -> MipResult:
    """Solved cold: HiGHS 1.16 given a setSolution start on these models returned
    wrong objectives and bounds (see :class:`InconsistentSolution`); the caller keeps
    the heuristic plan when it is as good."""
    t0 = time.perf_counter()
    h = _highs()
    n_rows, n_cols = a.shape
    values, _obj, bound, status, nodes = _solve(
        h,
        n_cols,
        n_rows,
        1,  # minimise
        np.ones(n_cols),
        np.ones(n_cols),
        np.ones(n_rows),
        np.full(n_rows, math.inf),
        a.astype(np.float64).tocsc(),
        np.ones(n_cols, dtype=np.int32),
        None,
        time_limit,
    )
    selected = np.flatnonzero(values > 0.5).tolist()
    # Integral objective: the bound can be rounded up.
    return MipResult(
        selected=selected,
        objective=float(len(selected)),
        bound=float(min(math.ceil(bound - 1e-6), len(selected))),
        status=status,
        seconds=time.perf_counter() - t0,
        nodes=nodes,
    )
