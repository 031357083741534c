"""Parsing and validation of a siting instance (plain dicts, as read from JSON)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: Indonesia's extent with a margin (Sabang to Merauke, Rote to Miangas).
LAT_RANGE = (-11.0, 6.5)
LNG_RANGE = (94.0, 141.5)
DEFAULT_RADIUS_KM = 10.0
_MAX_LISTED = 20

FloatArray = npt.NDArray[np.float64]


class InvalidInstance(ValueError):
    """The instance cannot be planned; ``problems`` lists each reason, ``ids`` the
    offending record ids (all lists together)."""

    def __init__(self, problems: list[str], ids: list[str]) -> None:
        self.problems = problems
        self.ids = ids
        super().__init__("invalid siting instance: " + "; ".join(problems))


@dataclass
class Sites:
    """Points of one list of the instance, as arrays."""

    ids: list[str]
    lat: FloatArray
    lng: FloatArray
    radius_km: FloatArray
    weight: FloatArray
    cost: FloatArray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Instance:
    demand: Sites
    candidates: Sites
    existing: Sites
    budget: int | None
    money_budget: float | None
    radius_km: float


def _ids_text(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_MAX_LISTED])
    if len(ids) > _MAX_LISTED:
        shown += f" and {len(ids) - _MAX_LISTED} more"
    return shown


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _parse_sites(
    name: str,
    rows: Any,
    default_radius: float,
    problems: list[str],
    bad_ids: list[str],
    *,
    with_weight: bool = False,
) -> Sites:
    if rows is None:
        rows = []
    if not isinstance(rows, Sequence) or isinstance(rows, str | bytes):
        problems.append(f"{name} must be a list of objects")
        rows = []
    ids: list[str] = []
    lat: list[float] = []
    lng: list[float] = []
    radius: list[float] = []
    weight: list[float] = []
    cost: list[float] = []
    missing: list[str] = []
    outside: list[str] = []
    swapped: list[str] = []
    bad_values: list[str] = []
    seen: set[str] = set()
    dupes: list[str] = []
    for k, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append(f"{name}[{k}] is not an object")
            continue
        rid = str(row.get("id", f"#{k}"))
        if rid in seen:
            dupes.append(rid)
        seen.add(rid)
        la, ln = _number(row.get("lat")), _number(row.get("lng"))
        if la is None or ln is None:
            missing.append(rid)
            la, ln = math.nan, math.nan
        elif not (
            LAT_RANGE[0] <= la <= LAT_RANGE[1] and LNG_RANGE[0] <= ln <= LNG_RANGE[1]
        ):
            if (
                LAT_RANGE[0] <= ln <= LAT_RANGE[1]
                and LNG_RANGE[0] <= la <= LNG_RANGE[1]
            ):
                swapped.append(rid)
            else:
                outside.append(rid)
        r = row.get("radius_km")
        r_val = default_radius if r is None else _number(r)
        w = _number(row.get("weight", 1.0)) if with_weight else 1.0
        c = _number(row.get("cost", 1.0))
        if r_val is None or r_val <= 0 or w is None or w < 0 or c is None or c < 0:
            bad_values.append(rid)
        ids.append(rid)
        lat.append(la)
        lng.append(ln)
        radius.append(r_val if r_val is not None else math.nan)
        weight.append(w if w is not None else math.nan)
        cost.append(c if c is not None else math.nan)
    if missing:
        problems.append(f"{name} without numeric lat/lng: {_ids_text(missing)}")
    if swapped:
        problems.append(
            f"{name} with lat and lng swapped (lat must be "
            f"{LAT_RANGE[0]}..{LAT_RANGE[1]}, lng {LNG_RANGE[0]}..{LNG_RANGE[1]}): "
            f"{_ids_text(swapped)}"
        )
    if outside:
        problems.append(
            f"{name} outside Indonesia (lat {LAT_RANGE[0]}..{LAT_RANGE[1]}, lng "
            f"{LNG_RANGE[0]}..{LNG_RANGE[1]}): {_ids_text(outside)}"
        )
    if bad_values:
        problems.append(
            f"{name} with a non-positive radius_km or a negative weight/cost: "
            f"{_ids_text(bad_values)}"
        )
    if dupes:
        problems.append(f"{name} with duplicate ids: {_ids_text(sorted(set(dupes)))}")
    bad_ids.extend(missing + swapped + outside + bad_values + dupes)
    return Sites(
        ids=ids,
        lat=np.asarray(lat, dtype=np.float64),
        lng=np.asarray(lng, dtype=np.float64),
        radius_km=np.asarray(radius, dtype=np.float64),
        weight=np.asarray(weight, dtype=np.float64),
        cost=np.asarray(cost, dtype=np.float64),
    )


def parse_instance(data: Mapping[str, Any]) -> Instance:
    """Validate ``data`` and return arrays; raises :class:`InvalidInstance` listing
    every problem (and the ids concerned) at once."""
    if not isinstance(data, Mapping):
        raise InvalidInstance(["the instance must be a JSON object"], [])
    problems: list[str] = []
    bad_ids: list[str] = []
    radius = _number(data.get("radius_km", DEFAULT_RADIUS_KM))
    if radius is None or radius <= 0:
        problems.append("radius_km must be a positive number")
        radius = DEFAULT_RADIUS_KM
    budget_raw = data.get("budget")
    budget: int | None = None
    if budget_raw is not None:
        b = _number(budget_raw)
        if b is None or b < 0 or b != int(b):
            problems.append("budget must be a whole number of towers >= 0")
        else:
            budget = int(b)
    money_raw = data.get("money_budget")
    money: float | None = None
    if money_raw is not None:
        money = _number(money_raw)
        if money is None or money < 0:
            problems.append("money_budget must be a number >= 0")
            money = None
    demand = _parse_sites(
        "demand", data.get("demand"), radius, problems, bad_ids, with_weight=True
    )
    candidates = _parse_sites(
        "candidates", data.get("candidates"), radius, problems, bad_ids
    )
    existing = _parse_sites("existing", data.get("existing"), radius, problems, bad_ids)
    if problems:
        raise InvalidInstance(problems, bad_ids)
    return Instance(
        demand=demand,
        candidates=candidates,
        existing=existing,
        budget=budget,
        money_budget=money,
        radius_km=float(radius),
    )
