"""Bounds added to stored numbers keep the rows stored before them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("connectivity", "0001_initial")]
AFTER = [("connectivity", "0002_input_bounds")]


@pytest.mark.django_db(transaction=True)
def test_out_of_range_places_are_kept_at_the_bound(kaltim) -> None:  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Place = old.get_model("connectivity", "Place")
    village = (
        old.get_model("regions", "Region")
        .objects.filter(level="desa_kel")
        .order_by("kode")[0]
    )
    common = {"kind": "settlement", "lat": -0.4, "lng": 117.0, "region": village}
    huge = Place.objects.create(name="Besar", weight=1e308, population=10**9, **common)
    fine = Place.objects.create(name="Biasa", weight=3.0, population=120, **common)

    executor = MigrationExecutor(connection)  # the graph as it now stands
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps
    Place = new.get_model("connectivity", "Place")
    assert Place.objects.count() == 2
    huge, fine = Place.objects.get(pk=huge.pk), Place.objects.get(pk=fine.pk)
    assert (huge.weight, huge.population) == (100000.0, 10_000_000)
    assert (fine.weight, fine.population) == (3.0, 120)

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
