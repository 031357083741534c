"""Fan-out of one item to 100,000 recipients, against a bare bulk_create.

Run: ``.venv/bin/python bench/newsroom_fanout.py [--recipients N] [--postgres]
[--send M]`` (``--send``: measure sending on the first M messages only)

A temporary database (SQLite file, or a temporary PostgreSQL database at
127.0.0.1:5432 with ``--postgres``) holds N email subscribers. In the same run it
measures:

1. baseline: ``bulk_create`` of N bare delivery rows (same batch size, one
   transaction per batch);
2. fan-out: ``newsroom.services.dissemination_fan_out`` (streams the audience,
   picks a channel per person, inserts the deliveries and, through
   ``channels.services.messages_send_bulk``, their outbox messages (consent
   checked, addresses hashed) with ON CONFLICT DO NOTHING, then links the two);
3. sending: channels' ``outbox_send_due`` over the email channel with Django's
   dummy mail backend (a fake channel: messages are built and handed to the
   backend, which drops them), each marked in its own transaction and mirrored
   onto its delivery;
4. memory: peak RSS growth during a fan-out of N/5 and of N recipients (flat
   memory: the growth does not scale with N).

Targets (issue 5): fan-out under 60 s of worker time and at most 3x the baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from _scratch_db import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    def __init__(self) -> None:
        self.start = rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--send",
        type=int,
        default=None,
        help="send only this many (sending is one by one and slow; default all)",
    )
    args = parser.parse_args()
    n = args.recipients

    quiet = {
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "NEWSROOM_QUIET_START_HOUR": "24",  # no quiet hours in the bench
        "NEWSROOM_QUIET_END_HOUR": "0",
        "CHANNELS_EMAIL_RATE": "100000000",  # no provider limit in the bench
    }
    with scratch_database("fanout", postgres=args.postgres, env=quiet) as vendor:
        return run(n, vendor=vendor, send=args.send)


def run(n: int, vendor: str, send: int | None = None) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from channels.models import OutboxMessage
    from channels.services import outbox_send_due
    from newsroom import services
    from newsroom.models import Delivery, Dissemination, Subscriber
    from regions.models import Region

    province = Region.objects.create(
        kode="64", name="Kalimantan Timur", level="provinsi", kind="provinsi",
        rep_lat=0.5, rep_lng=116.4,
    )  # fmt: skip
    for code, name in (("64.02", "Kutai Kartanegara"), ("64.03", "Berau")):
        Region.objects.create(
            kode=code, name=name, level="kabkota", kind="kabupaten", parent=province,
            rep_lat=0.4, rep_lng=116.9,
        )  # fmt: skip
    small = n // 5
    batch = settings.NEWSROOM_FANOUT_BATCH
    t = time.perf_counter()
    rows = (
        Subscriber(
            channel="email",
            email=f"warga{i}@example.org",
            region_id="64.02" if i < n else "64.03",
            token=f"t{i}",
        )
        for i in range(n + small)
    )
    chunk: list[Subscriber] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 5000:
            Subscriber.objects.bulk_create(chunk)
            chunk = []
    Subscriber.objects.bulk_create(chunk)
    print(
        f"[{vendor}] {n + small:,} subscribers seeded "
        f"in {time.perf_counter() - t:.1f} s"
    )

    def dissemination(ref: str, code: str) -> Dissemination:
        return services.dissemination_create(
            actor=None,
            item_url="https://simpul.example/kabar/baca/bench/",
            title="Kabar uji",
            summary="Ringkasan kabar uji untuk mengukur penyebaran.",
            item_ref=ref,
            region=province,
            audience={"region_codes": [code], "subscribers": True},
            channels=["email"],
        )

    # 1. Baseline: bare bulk_create of n delivery rows, same batches.
    base = dissemination("bench:baseline", "64.02")
    now = timezone.now()
    t = time.perf_counter()
    for start in range(0, n, batch):
        objs = [
            Delivery(
                dissemination_id=base.pk,
                item_ref="bench:baseline",
                recipient_key=f"e:warga{i}@example.org",
                channel="email",
                address=f"warga{i}@example.org",
                source="subscriber",
                region_code="64.02",
                next_attempt_at=now,
            )
            for i in range(start, min(n, start + batch))
        ]
        with transaction.atomic():
            Delivery.objects.bulk_create(objs)
    baseline = time.perf_counter() - t

    # 2. Memory at two sizes (flat: growth independent of the audience size).
    small_item = dissemination("bench:small", "64.03")
    with PeakRss() as small_mem:
        services.dissemination_fan_out(dissemination_id=small_item.pk)
    item = dissemination("bench:item", "64.02")
    with PeakRss() as big_mem:
        t = time.perf_counter()
        services.dissemination_fan_out(dissemination_id=item.pk)
        fanout = time.perf_counter() - t
    created = Delivery.objects.filter(dissemination=item).count()
    # Run again (a resumed worker): nothing added.
    t = time.perf_counter()
    Dissemination.objects.filter(pk=item.pk).update(fanout_finished_at=None)
    services.dissemination_fan_out(dissemination_id=item.pk)
    rerun = time.perf_counter() - t
    again = Delivery.objects.filter(dissemination=item).count()
    queued = OutboxMessage.objects.filter(reference="bench:item").count()

    # 3. Sending over the fake channel.
    OutboxMessage.objects.filter(reference="bench:small").update(status="sent")
    to_send = min(send, n) if send is not None else n
    size = settings.CHANNELS_SEND_BATCH
    t = time.perf_counter()
    totals = outbox_send_due(
        channel="email",
        max_batches=None if to_send == n else -(-to_send // size),
    )
    sending = time.perf_counter() - t
    mirrored = Delivery.objects.filter(dissemination=item, status="sent").count()

    print(f"[{vendor}] baseline bulk_create of {n:,} rows: {baseline:.2f} s")
    print(
        f"[{vendor}] fan-out to {created:,} recipients: {fanout:.2f} s "
        f"(ratio {fanout / baseline:.2f}x baseline; target <= 3x, < 60 s)"
    )
    print(
        f"[{vendor}] fan-out run again (resume): {rerun:.2f} s, rows {again:,}, "
        f"outbox messages {queued:,}"
    )
    print(
        f"[{vendor}] sending {totals['sent']:,} over the fake channel "
        f"({mirrored:,} deliveries mirrored): "
        f"{sending:.2f} s; "
        f"{sending / max(1, totals['sent']) * 1000:.2f} ms a message"
    )
    print(
        f"[{vendor}] peak RSS growth: fan-out of {small:,}: {small_mem.growth:.1f} MB, "
        f"of {n:,}: {big_mem.growth:.1f} MB (process peak {big_mem.peak:.0f} MB)"
    )
    print(f"[{vendor}] load average while measuring: {os.getloadavg()[0]:.1f}")
    ok = (
        created == n
        and again == n
        and queued == n
        and fanout < 60
        and fanout / baseline <= 3
        and mirrored == totals["sent"] >= to_send
    )
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
