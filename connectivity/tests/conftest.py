"""Fixtures of the connectivity tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from connectivity.models import SitingPlan


@pytest.fixture
def plan_sites(client: Client) -> Callable[..., SitingPlan]:
    """Plan sites through the planner's form as the logged-in ``client``
    (Kutai Kartanegara, most villages covered, four sites; ``fields`` change
    that) and return the finished plan."""

    def run(**fields: str) -> SitingPlan:
        data = {
            "region": "64.02",
            "objective": "max_cover",
            "budget": "4",
            "grid_km": "5",
            "time_limit": "10",
            **fields,
        }
        assert client.post("/sinyal/perencanaan/", data).status_code == 302
        plan = SitingPlan.objects.get()
        assert plan.status == "done", plan.error
        return plan

    return run
