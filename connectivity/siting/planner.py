"""``plan()``: the single entry point of the covering-location optimiser."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from .exact import MipResult, SolverUnavailable, solve_max_cover, solve_set_cover
from .heuristics import Heuristic, greedy_max_cover, greedy_set_cover
from .instance import Instance, parse_instance
from .matrix import Reduced, coverage_matrix, covered_by_any, reduce_problem

Method = Literal["exact", "greedy"]
Objective = Literal["max_cover", "set_cover"]

#: Plans whose relative gap is at most this are reported as "optimal".
OPTIMAL_GAP = 1e-6


def _gap(value: float, bound: float, objective: Objective) -> float:
    if objective == "max_cover":
        return 0.0 if bound <= 0 else max(0.0, (bound - value) / bound)
    return 0.0 if value <= 0 else max(0.0, (value - bound) / value)


def plan(
    instance: Mapping[str, Any],
    *,
    time_limit: float = 10,
    method: Method = "exact",
    objective: Objective = "max_cover",
) -> dict[str, Any]:
    """Choose new tower sites.

    ``instance``: ``{"demand": [{"id", "lat", "lng", "weight"?}], "candidates":
    [{"id", "lat", "lng", "radius_km"?, "cost"?}], "existing": [...]?, "budget": int?,
    "money_budget": float?, "radius_km": float?}``.  A place is covered when its
    great-circle distance to a selected or existing site is at most that site's
    ``radius_km`` (else the instance's, default 10 km).

    ``objective="max_cover"`` maximises the weight newly covered with at most
    ``budget`` new sites (and total ``cost`` <= ``money_budget`` when given);
    ``"set_cover"`` covers every coverable place with the fewest new sites.

    ``method="exact"`` solves the MIP with HiGHS, warm-started by greedy + swap,
    within ``time_limit`` seconds overall; on a time-out it returns the best plan
    found with its gap, and if HiGHS is missing or fails it falls back to greedy
    (``fallback_reason`` says why).  ``method="greedy"`` runs greedy + swap only.

    The result always has ``bound`` and ``gap``: for max_cover ``bound`` is an upper
    bound on ``covered_weight`` (the weight newly covered, i.e. not already covered
    by existing sites) and ``gap = (bound - covered_weight) / bound``; for set_cover
    ``bound`` is a lower bound on the number of sites and
    ``gap = (n_sites - bound) / n_sites``.  Exact bounds come from the MIP's dual
    bound, greedy ones from submodularity (max_cover) or a disjoint-row packing
    (set_cover).

    Raises :class:`~connectivity.siting.instance.InvalidInstance` for bad input
    (coordinates outside Indonesia or swapped, duplicate ids, bad numbers), listing
    the offending ids.  No candidates, a zero budget or nothing to cover give an
    empty plan with a ``reason``.
    """
    t0 = time.perf_counter()
    if method not in ("exact", "greedy"):
        raise ValueError(f"method must be 'exact' or 'greedy', not {method!r}")
    if objective not in ("max_cover", "set_cover"):
        raise ValueError(
            f"objective must be 'max_cover' or 'set_cover', not {objective!r}"
        )
    inst = parse_instance(instance)
    d = inst.demand
    total_weight = float(d.weight.sum())

    existing_cov = covered_by_any(
        inst.existing.lat,
        inst.existing.lng,
        inst.existing.radius_km,
        d.lat,
        d.lng,
    )
    cover = coverage_matrix(
        inst.candidates.lat,
        inst.candidates.lng,
        inst.candidates.radius_km,
        d.lat,
        d.lng,
    )
    reach = cover.getnnz(axis=1) > 0
    open_rows = np.flatnonzero(~existing_cov & reach)
    unreachable = np.flatnonzero(~existing_cov & ~reach)
    use_money = objective == "max_cover" and inst.money_budget is not None
    red = reduce_problem(
        cover, open_rows, d.weight, inst.candidates.cost, unit_cost=not use_money
    )
    base: dict[str, Any] = {
        "objective": objective,
        "requested_method": method,
        "total_weight": total_weight,
        "existing_covered_weight": float(d.weight[existing_cov].sum()),
        "existing_covered_places": int(existing_cov.sum()),
        "unreachable": [d.ids[i] for i in unreachable.tolist()],
        "unreachable_weight": float(d.weight[unreachable].sum()),
        "coverable_weight": float(d.weight[open_rows].sum()),
        "stats": {
            "demand": len(d),
            "candidates": len(inst.candidates),
            "existing": len(inst.existing),
            **red.stats,
            "build_seconds": round(time.perf_counter() - t0, 4),
        },
    }

    reason = _empty_reason(inst, red, objective)
    if reason is not None:
        return _result(
            inst,
            red,
            base,
            [],
            bound=0.0,
            status="empty",
            method=method,
            t0=t0,
            reason=reason,
        )

    budget = inst.budget
    money = inst.money_budget if use_money else None
    remaining = max(time_limit - (time.perf_counter() - t0), 0.05)
    # The warm start gets a slice of the time; the MIP gets the rest.
    heur_time = remaining if method == "greedy" else 0.3 * remaining
    heur: Heuristic
    if objective == "max_cover":
        heur = greedy_max_cover(
            red.a, red.row_weight, red.col_cost, budget, money, time_limit=heur_time
        )
    else:
        heur = greedy_set_cover(red.a, time_limit=heur_time)
    base["warm_start"] = {
        "value": heur.value,
        "bound": heur.bound,
        "swaps": heur.swaps,
        "seconds": round(heur.seconds, 4),
        "selected": [_col_id(inst, red, j) for j in heur.selected],
    }

    def heuristic() -> dict[str, Any]:
        """The greedy/swap answer: asked for, or when the exact solver fails."""
        return _result(
            inst,
            red,
            base,
            heur.selected,
            bound=heur.bound,
            status="heuristic",
            method="greedy",
            t0=t0,
        )

    if method == "greedy":
        return heuristic()

    remaining = max(time_limit - (time.perf_counter() - t0), 0.05)
    try:
        mip: MipResult
        if objective == "max_cover":
            mip = solve_max_cover(
                red.a,
                red.row_weight,
                red.col_cost,
                budget,
                money,
                heur.selected,
                remaining,
            )
        else:
            mip = solve_set_cover(red.a, remaining)
    except (SolverUnavailable, ValueError, RuntimeError) as exc:
        base["fallback_reason"] = f"exact solver unavailable: {exc}"
        return heuristic()
    better = (
        mip.objective >= heur.value
        if objective == "max_cover"
        else mip.objective <= heur.value
    )
    chosen = mip.selected if better else heur.selected
    base["solver"] = {
        "name": "HiGHS",
        "status": mip.status,
        "nodes": mip.nodes,
        "seconds": round(mip.seconds, 4),
    }
    return _result(
        inst,
        red,
        base,
        chosen,
        bound=mip.bound,
        status="optimal" if mip.status == "optimal" else "feasible",
        method="exact",
        t0=t0,
    )


def _empty_reason(inst: Instance, red: Reduced, objective: Objective) -> str | None:
    if len(inst.candidates) == 0:
        return "no candidate sites were given"
    if len(inst.demand) == 0:
        return "no demand points were given"
    if red.a.shape[0] == 0:
        if red.stats.get("rows", 0) == 0 and inst.existing.ids:
            return "every reachable place is already covered by existing sites"
        return "no candidate site reaches any uncovered place"
    if objective == "max_cover":
        if inst.budget is None and inst.money_budget is None:
            return "no budget was given (set 'budget' to a number of towers)"
        if inst.budget == 0:
            return "the budget is 0 towers"
        if (
            inst.money_budget is not None
            and not (red.col_cost <= inst.money_budget).any()
        ):
            return "the money budget is below the cost of every useful candidate"
    return None


def _col_id(inst: Instance, red: Reduced, j: int) -> str:
    return inst.candidates.ids[int(red.col_index[j])]


def _result(
    inst: Instance,
    red: Reduced,
    base: dict[str, Any],
    selected: list[int],
    *,
    bound: float,
    status: str,
    method: str,
    t0: float,
    reason: str | None = None,
) -> dict[str, Any]:
    d, c = inst.demand, inst.candidates
    a = red.a
    cnt = np.zeros(a.shape[0], dtype=np.int64)
    if selected:
        x = np.zeros(a.shape[1])
        x[selected] = 1.0
        cnt = np.asarray(a.astype(np.float64) @ x).astype(np.int64)
    covered_rows = cnt > 0
    covered_weight = float(red.row_weight[covered_rows].sum())
    uncovered = [
        d.ids[i]
        for r in np.flatnonzero(~covered_rows).tolist()
        for i in red.row_members[r]
    ]
    objective: Objective = base["objective"]
    at = a.T.tocsr()
    sites: list[dict[str, Any]] = []
    for j in selected:
        rows = at[j].indices
        orig = int(red.col_index[j])
        sites.append(
            {
                "id": c.ids[orig],
                "lat": float(c.lat[orig]),
                "lng": float(c.lng[orig]),
                "radius_km": float(c.radius_km[orig]),
                "cost": float(c.cost[orig]),
                "covered_weight": float(red.row_weight[rows].sum()),
                "covered_places": sum(len(red.row_members[r]) for r in rows.tolist()),
                "equivalent": [c.ids[k] for k in red.col_members[j][1:]],
            }
        )
    sites.sort(key=lambda s: -s["covered_weight"])
    value = covered_weight if objective == "max_cover" else float(len(selected))
    # A bound can never be worse than the plan in hand.
    bound = max(bound, value) if objective == "max_cover" else min(bound, value)
    gap = _gap(value, bound, objective)
    if status in ("feasible", "heuristic") and gap <= OPTIMAL_GAP:
        status = "optimal"
    out = {
        "selected": [s["id"] for s in sites],
        "covered_weight": covered_weight,
        "bound": bound,
        "gap": gap,
        "seconds": round(time.perf_counter() - t0, 4),
        "method": method,
        "status": status,
        **base,
        "n_selected": len(selected),
        "total_cost": float(sum(s["cost"] for s in sites)),
        "total_covered_weight": base["existing_covered_weight"] + covered_weight,
        "covered_share": (
            (base["existing_covered_weight"] + covered_weight) / base["total_weight"]
            if base["total_weight"] > 0
            else 0.0
        ),
        "sites": sites,
        "uncovered": uncovered,
    }
    if objective == "set_cover" and inst.budget is not None:
        out["budget_sufficient"] = len(selected) <= inst.budget
    if reason is not None:
        out["reason"] = reason
    return out
