"""Small random siting instances around Tenggarong (Kutai Kartanegara)."""

from __future__ import annotations

from typing import Any

import numpy as np


def random_instance(
    seed: int,
    n_demand: int = 30,
    n_cand: int = 12,
    budget: int = 3,
    spread: float = 0.25,
    radius_km: float = 8.0,
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    lat0, lng0 = -0.42, 116.99
    demand = [
        {
            "id": f"d{i}",
            "lat": float(lat0 + rng.uniform(-spread, spread)),
            "lng": float(lng0 + rng.uniform(-spread, spread)),
            "weight": float(rng.integers(1, 6)),
        }
        for i in range(n_demand)
    ]
    cands = [
        {
            "id": f"c{j}",
            "lat": float(lat0 + rng.uniform(-spread, spread)),
            "lng": float(lng0 + rng.uniform(-spread, spread)),
            "radius_km": float(rng.uniform(0.6, 1.4) * radius_km),
        }
        for j in range(n_cand)
    ]
    return {"demand": demand, "candidates": cands, "budget": budget, "radius_km": 10}
