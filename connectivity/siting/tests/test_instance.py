"""Input validation: clear errors listing the offending ids."""

from __future__ import annotations

import pytest

from connectivity.siting import InvalidInstance, parse_instance, plan


def _inst(**changes):
    base = {
        "demand": [{"id": "d1", "lat": -0.4, "lng": 117.0, "weight": 2}],
        "candidates": [{"id": "c1", "lat": -0.41, "lng": 117.01}],
        "budget": 1,
        "radius_km": 5,
    }
    base.update(changes)
    return base


def test_valid_instance_parses_with_defaults() -> None:
    inst = parse_instance(_inst())
    assert inst.budget == 1 and inst.radius_km == 5.0
    assert inst.candidates.radius_km.tolist() == [5.0]  # instance default
    assert inst.demand.weight.tolist() == [2.0]
    assert len(inst.existing) == 0


def test_swapped_coordinates_are_named() -> None:
    bad = _inst(
        demand=[
            {"id": "ok", "lat": -0.4, "lng": 117.0},
            {"id": "swapped", "lat": 117.0, "lng": -0.4},
        ]
    )
    with pytest.raises(InvalidInstance) as err:
        plan(bad)
    assert "swapped" in str(err.value) and "demand" in str(err.value)
    assert err.value.ids == ["swapped"]


def test_outside_indonesia_and_missing_coordinates_listed_together() -> None:
    bad = _inst(
        demand=[
            {"id": "paris", "lat": 48.85, "lng": 2.35},
            {"id": "nolat", "lng": 117.0},
        ],
        candidates=[{"id": "c-sg", "lat": 1.35, "lng": 93.5}],
    )
    with pytest.raises(InvalidInstance) as err:
        parse_instance(bad)
    msg = str(err.value)
    assert "outside Indonesia" in msg and "paris" in msg and "c-sg" in msg
    assert "nolat" in msg
    assert set(err.value.ids) == {"paris", "nolat", "c-sg"}
    assert len(err.value.problems) == 3


def test_bad_numbers_and_duplicates() -> None:
    bad = _inst(
        demand=[
            {"id": "a", "lat": -0.4, "lng": 117.0, "weight": -1},
            {"id": "a", "lat": -0.4, "lng": 117.0},
        ],
        candidates=[{"id": "c", "lat": -0.4, "lng": 117.0, "radius_km": 0}],
        budget=2.5,
    )
    with pytest.raises(InvalidInstance) as err:
        parse_instance(bad)
    msg = str(err.value)
    assert "budget" in msg and "duplicate" in msg and "radius_km" in msg


def test_long_id_lists_are_truncated() -> None:
    demand = [{"id": f"x{i}", "lat": 50.0, "lng": 10.0} for i in range(30)]
    with pytest.raises(InvalidInstance, match="and 10 more"):
        parse_instance(_inst(demand=demand))


def test_not_an_object() -> None:
    with pytest.raises(InvalidInstance):
        parse_instance([])  # type: ignore[arg-type]
