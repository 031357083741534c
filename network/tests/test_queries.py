"""No N+1 queries: page query counts do not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network import services
from network.models import Activity, Attendance, Event, Kim
from regions.models import Region

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    """Queries of a page served again (lists it caches, such as the
    directory's regencies, are read on the first request only)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(n: int) -> None:
    villages = list(
        Region.objects.filter(kode__startswith="64.02.", level="desa_kel").order_by(
            "kode"
        )[Kim.objects.count() : Kim.objects.count() + n]
    )
    today = timezone.localdate()
    for i, village in enumerate(villages):
        kim = services.kim_create(
            actor=None, name=f"KIM Uji {village.kode}", region=village
        )
        services.member_add(actor=None, kim=kim, full_name=f"Ketua {i}", role="ketua")
        for j in range(3):
            Activity.objects.create(
                kim=kim,
                kind=Activity.Kind.values[j],
                title="x",
                date=today - timedelta(days=30 * j),
                status="approved",
            )
        event = services.event_create(
            actor=None,
            kind="training",
            title=f"Pelatihan {i}",
            region=village.parent,
            organiser_region=Region.objects.get(kode="64.02"),
            venue="Aula",
            starts_at=timezone.now() - timedelta(days=i + 1),
        )
        services.question_add(
            actor=None, event=event, text="?", choices=["a", "b"], correct=0
        )
        p = services.participant_register(
            actor=None,
            event=event,
            full_name=f"Peserta {i}",
            phone=f"0812000{i:05d}",
            now=event.starts_at,
        )
        q = event.questions.get()
        right = q.choices.get(is_correct=True).pk
        services.test_submit(participant=p, phase="pre", answers={q.pk: right})
        services.test_submit(participant=p, phase="post", answers={q.pk: right})
        Attendance.objects.create(
            participant=p, event=event, mode="onsite", method="qr"
        )


URLS = [
    "/kim/statistik/64.02/",
    "/kim/statistik/64/",
    "/kim/",
    "/kim/peta.json",
    "/api/v1/kims?region=64.02",
    "/api/v1/events",
    "/api/v1/activities",
    "/acara/",
]


def test_query_counts_do_not_grow_with_the_data(client: Client, kaltim) -> None:
    _grow(2)
    small = {url: _count(client, url) for url in URLS}
    _grow(8)
    assert Event.objects.count() == 10
    large = {url: _count(client, url) for url in URLS}
    assert large == small
    assert small["/kim/statistik/64.02/"] <= 15
