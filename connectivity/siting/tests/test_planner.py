"""plan(): exact and greedy against brute force on small instances."""

from __future__ import annotations

import itertools
import json
import sys

import numpy as np
import pytest

from connectivity.coverage.geo import haversine_km
from connectivity.siting import plan
from connectivity.siting.tests.factories import random_instance


def _cover(inst: dict) -> np.ndarray:
    d, c = inst["demand"], inst["candidates"]
    dist = haversine_km(
        np.array([p["lat"] for p in d])[:, None],
        np.array([p["lng"] for p in d])[:, None],
        np.array([q["lat"] for q in c])[None, :],
        np.array([q["lng"] for q in c])[None, :],
    )
    r = np.array([q.get("radius_km", inst["radius_km"]) for q in c])
    return dist <= r[None, :]


def _brute_max_cover(inst: dict) -> float:
    cov = _cover(inst)
    w = np.array([p["weight"] for p in inst["demand"]])
    best = 0.0
    for combo in itertools.combinations(range(cov.shape[1]), inst["budget"]):
        best = max(best, float(w[cov[:, list(combo)].any(axis=1)].sum()))
    return best


def _brute_set_cover(inst: dict) -> int:
    cov = _cover(inst)
    need = cov.any(axis=1)
    for k in range(cov.shape[1] + 1):
        for combo in itertools.combinations(range(cov.shape[1]), k):
            if np.array_equal(cov[:, list(combo)].any(axis=1), need):
                return k
    raise AssertionError


@pytest.mark.parametrize("seed", range(6))
def test_exact_max_cover_is_optimal_and_bounds_hold(seed: int) -> None:
    inst = random_instance(seed)
    opt = _brute_max_cover(inst)
    exact = plan(inst, method="exact")
    greedy = plan(inst, method="greedy")
    assert exact["method"] == "exact"
    assert exact["status"] == "optimal" and exact["gap"] == pytest.approx(0.0)
    assert exact["covered_weight"] == pytest.approx(opt)
    assert greedy["covered_weight"] <= opt + 1e-9
    assert greedy["bound"] >= opt - 1e-9  # the greedy bound is a valid upper bound
    assert 0.0 <= greedy["gap"] < 1.0
    assert len(exact["selected"]) <= inst["budget"]


@pytest.mark.parametrize("seed", range(4))
def test_set_cover_is_minimum_and_reports_unreachable(seed: int) -> None:
    inst = random_instance(seed, n_demand=25, n_cand=10, radius_km=9.0)
    inst["demand"].append({"id": "far", "lat": 2.0, "lng": 118.0, "weight": 1})
    best = _brute_set_cover(inst)
    res = plan(inst, objective="set_cover")
    assert res["n_selected"] == best
    assert res["bound"] <= best and res["status"] == "optimal"
    assert "far" in res["unreachable"]
    assert res["uncovered"] == []
    heur = plan(inst, objective="set_cover", method="greedy")
    assert heur["bound"] <= best <= heur["n_selected"]
    assert heur["uncovered"] == []


def test_existing_sites_remove_covered_demand() -> None:
    inst = random_instance(1)
    first = inst["demand"][0]
    inst["existing"] = [
        {"id": "tower-A", "lat": first["lat"], "lng": first["lng"], "radius_km": 3}
    ]
    res = plan(inst)
    assert res["existing_covered_places"] >= 1
    assert first["id"] not in res["uncovered"]
    assert res["total_covered_weight"] == pytest.approx(
        res["existing_covered_weight"] + res["covered_weight"]
    )


def test_money_budget_with_costs() -> None:
    inst = random_instance(2, budget=12)
    for j, c in enumerate(inst["candidates"]):
        c["cost"] = 1.0 + (j % 3)
    inst["money_budget"] = 4.0
    res = plan(inst)
    assert res["total_cost"] <= 4.0 + 1e-9
    cov = _cover(inst)
    w = np.array([p["weight"] for p in inst["demand"]])
    cost = np.array([c["cost"] for c in inst["candidates"]])
    best = 0.0
    for k in range(1, 5):
        for combo in itertools.combinations(range(len(cost)), k):
            if cost[list(combo)].sum() <= 4.0:
                best = max(best, float(w[cov[:, list(combo)].any(axis=1)].sum()))
    assert res["covered_weight"] == pytest.approx(best)
    greedy = plan(inst, method="greedy")
    assert greedy["total_cost"] <= 4.0 + 1e-9 and greedy["bound"] >= best - 1e-9


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"candidates": []}, "no candidate"),
        ({"budget": 0}, "budget is 0"),
        ({"budget": None}, "no budget"),
        ({"demand": []}, "no demand"),
    ],
)
def test_empty_plans_have_a_reason(change: dict, reason: str) -> None:
    inst = random_instance(0)
    inst.update(change)
    res = plan(inst)
    assert res["status"] == "empty" and reason in res["reason"]
    assert res["selected"] == [] and res["gap"] == 0.0
    json.dumps(res)  # JSON-ready


def test_all_demand_already_covered() -> None:
    inst = random_instance(0)
    inst["existing"] = [{"id": "big", "lat": -0.42, "lng": 116.99, "radius_km": 200}]
    res = plan(inst)
    assert res["status"] == "empty" and "already covered" in res["reason"]
    assert res["covered_share"] == pytest.approx(1.0)


def test_falls_back_to_greedy_without_highspy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "highspy", None)  # import now fails
    inst = random_instance(3)
    res = plan(inst, method="exact")
    assert res["method"] == "greedy" and "highspy" in res["fallback_reason"]
    assert res["bound"] >= res["covered_weight"] and "gap" in res
    sc = plan(inst, method="exact", objective="set_cover")
    assert sc["method"] == "greedy" and sc["uncovered"] == []


def test_tiny_time_limit_still_reports_bound_and_gap() -> None:
    inst = random_instance(7, n_demand=600, n_cand=400, budget=15, spread=0.8)
    res = plan(inst, time_limit=0.05)
    assert res["status"] in ("optimal", "feasible")
    assert res["bound"] >= res["covered_weight"] and 0.0 <= res["gap"] <= 1.0
    assert len(res["selected"]) <= 15


def test_bad_method_and_objective() -> None:
    with pytest.raises(ValueError):
        plan(random_instance(0), method="magic")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        plan(random_instance(0), objective="p_median")  # type: ignore[arg-type]


def test_result_lists_sites_with_equivalents() -> None:
    inst = random_instance(4)
    twin = dict(inst["candidates"][0], id="twin")
    inst["candidates"].append(twin)
    res = plan(inst)
    for site in res["sites"]:
        assert {"id", "lat", "lng", "covered_weight", "equivalent"} <= set(site)
    ids = {s["id"] for s in res["sites"]}
    assert not {"c0", "twin"} <= ids
