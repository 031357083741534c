"""The regency dashboard of the KIM network (/kim/statistik/64.02/).

In a temporary SQLite database with Kaltim's regions, creates 2,000 KIMs spread
over the province's villages and districts, 50,000 activities over the last 18
months (80 % approved) and 60 digital-literacy trainings with 25 tested and
attending participants each, then requests the dashboard of Kutai Kartanegara
through Django's test client (view + template) and prints the median and p95
time over 30 requests and the number of queries.

Baseline, in the same run: the same figures computed the naive way, one query
per kecamatan and per month (what a per-row template loop would do).

Target: under 300 ms per request; the query count does not depend on the data.

    .venv/bin/python bench/network_dashboard.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import timedelta

from _network_env import setup, trainings_create

KIMS = 2_000
ACTIVITIES = 50_000
TRAININGS = 60
PER_TRAINING = 25
RUNS = 30
TARGET_MS = 300.0


def main() -> int:
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from network.models import (
        Activity,
        Kim,
    )
    from regions.models import Region

    setup_test_environment()
    rng = random.Random(20220712)
    places = list(
        Region.objects.filter(level__in=["desa_kel", "kecamatan"])
        .order_by("kode")
        .values_list("kode", flat=True)
    )
    start = time.perf_counter()
    kims = []
    for i in range(KIMS):
        kim = Kim(
            name=f"KIM Uji {i:04d}",
            region_id=places[i % len(places)],
            status=rng.choice(["active"] * 7 + ["dormant", "dissolved"]),
            level=rng.choice(["pemula", "pemula", "madya", "utama"]),
        )
        kim.set_codes()
        kims.append(kim)
    Kim.objects.bulk_create(kims, batch_size=1000)
    today = timezone.localdate()
    kinds = Activity.Kind.values
    activities = []
    for _ in range(ACTIVITIES):
        activity = Activity(
            kim=kims[rng.randrange(KIMS)],
            kind=rng.choice(kinds),
            title="Kegiatan uji",
            date=today - timedelta(days=rng.randrange(540)),
            participants=rng.randrange(5, 60),
            status=rng.choice(["approved"] * 8 + ["submitted", "rejected"]),
        )
        activity.set_codes()
        activities.append(activity)
    Activity.objects.bulk_create(activities, batch_size=2000)
    districts = list(
        Region.objects.filter(level="kecamatan").values_list("kode", flat=True)
    )
    kukar_districts = [d for d in districts if d.startswith("64.02.")]
    organiser = Region.objects.get(kode="64.02")
    trainings_create(
        rng,
        places=[
            kukar_districts[t % len(kukar_districts)]
            if t % 2
            else districts[t % len(districts)]
            for t in range(TRAININGS)
        ],
        organiser=organiser,
        per=PER_TRAINING,
        now=timezone.now(),
    )
    setup_s = time.perf_counter() - start
    kukar_kims = Kim.objects.filter(regency_code="64.02").count()
    kukar_acts = Activity.objects.filter(regency_code="64.02").count()

    client = Client()
    url = "/kim/statistik/64.02/"
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    if "-v" in sys.argv:
        for q in ctx.captured_queries:
            print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")

    # Baseline: one query per kecamatan (KIMs, active) and per month.
    region = Region.objects.get(kode="64.02")
    month_starts = sorted(
        {
            (today.replace(day=1) - timedelta(days=31 * i)).replace(day=1)
            for i in range(12)
        }
    )
    base_times = []
    for _ in range(RUNS // 3):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as base_ctx:
            for child in region.children.all():
                Kim.objects.filter(district_code=child.kode).count()
                Kim.objects.filter(district_code=child.kode, status="active").count()
            for m in month_starts:
                nxt = (m + timedelta(days=32)).replace(day=1)
                Activity.objects.filter(
                    regency_code="64.02",
                    status="approved",
                    date__gte=m,
                    date__lt=nxt,
                ).count()
        base_times.append((time.perf_counter() - t0) * 1000)
    base_queries = len(base_ctx.captured_queries)

    median = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    base_median = statistics.median(base_times)
    print(
        f"data: {KIMS} KIMs ({kukar_kims} in Kukar), {ACTIVITIES} activities "
        f"({kukar_acts} in Kukar), {TRAININGS} trainings x {PER_TRAINING}; "
        f"set-up {setup_s:.1f} s"
    )
    print(
        f"Kukar dashboard (view + template, {RUNS} requests): median "
        f"{median:.0f} ms, p95 {p95:.0f} ms, {queries} queries"
    )
    print(
        f"baseline, naive per-kecamatan/per-month counts only: median "
        f"{base_median:.0f} ms, {base_queries} queries "
        f"(dashboard/baseline time {median / base_median:.2f}x)"
    )
    ok = p95 < TARGET_MS
    print(f"  [{'ok' if ok else 'FAIL'}] p95 under {TARGET_MS:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
