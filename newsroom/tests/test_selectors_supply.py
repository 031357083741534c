"""``supply_by_region``: what datahub's vulnerability index reads from newsroom."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom.models import Delivery, Dissemination
from newsroom.selectors import supply_by_region

pytestmark = pytest.mark.django_db


def _send(n: int, codes: list[str], status: str = "delivered") -> Dissemination:
    item = Dissemination.objects.create(
        item_ref=f"article:{n}",
        item_url=f"https://example.org/{n}",
        title=f"Berita {n}",
        summary="ringkas",
        region_id="64.02",
    )
    for i, code in enumerate(codes):
        Delivery.objects.create(
            dissemination=item,
            item_ref=item.item_ref,
            recipient_key=f"r{n}-{i}",
            channel="email",
            address=f"r{n}-{i}@example.org",
            source="subscriber",
            region_code=code,
            status=status,
            next_attempt_at=timezone.now(),
        )
    return item


def test_counts_distinct_items_sent_into_each_region(kaltim: None) -> None:
    _send(1, ["64.02.06.1001", "64.02.06.1002", "64.02.07.2001"])
    _send(2, ["64.02.06.1001"])
    _send(3, ["64.02.06.1001"], status="failed")  # never arrived
    _send(4, ["64.03.05.1001"])  # another kabupaten
    old = _send(5, ["64.02.06.1001"])
    Dissemination.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=200)
    )
    since = timezone.now() - timedelta(days=90)
    assert supply_by_region(scope="64.02", length=8, since=since) == {
        "64.02.06": 2,
        "64.02.07": 1,
    }
    assert supply_by_region(scope="64.02", length=5, since=since) == {"64.02": 2}
