"""Fan-out of one message to 100,000 addresses through the channels outbox,
against a bare bulk_create of the same rows.

Run: ``.venv/bin/python bench/channels_outbox.py [--recipients N] [--postgres]``

A temporary database (SQLite file, or a temporary PostgreSQL database at
127.0.0.1:5432 with ``--postgres``) gets, in one run:

1. baseline: ``bulk_create`` of N bare ``OutboxMessage`` rows (addresses already
   normalised and hashed, batches of 2,000, one transaction per batch);
2. fan-out: ``channels.services.messages_send_bulk`` of N drafts (normalises and
   hashes each address, checks consent per batch, inserts with
   ignore_conflicts), with 1% of the addresses opted out;
3. the same fan-out again (a resumed worker): nothing added.

Target (issue 12): the fan-out within 3x the baseline. Prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from _scratch_db import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with scratch_database("outbox", postgres=args.postgres) as vendor:
        return run(args.recipients, vendor)


def run(n: int, vendor: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from channels import addresses, services
    from channels.models import OutboxMessage

    def phone(i: int) -> str:
        return f"+62812{i:08d}"

    for i in range(0, n, 100):  # 1% opted out
        services.consent_opt_out(channel="sms", address=phone(i), source="bench")
    body = "Kabar Simpul: jadwal posyandu pekan ini. Info: https://simpul.example/k/1"
    batch = 2000

    # 1. Baseline: bare rows.
    now = timezone.now()
    t = time.perf_counter()
    for start in range(0, n, batch):
        rows = [
            OutboxMessage(
                channel="sms",
                to=phone(i),
                address_hash=addresses.address_hash("sms", phone(i)),
                body=body,
                dedupe_key=f"base:{i}",
                origin="bench",
                not_before=now,
                created_at=now,
                updated_at=now,
            )
            for i in range(start, min(n, start + batch))
        ]
        with transaction.atomic():
            OutboxMessage.objects.bulk_create(rows)
    baseline = time.perf_counter() - t

    # 2. The service.
    def drafts() -> Iterator[services.Draft]:
        for i in range(n):
            yield services.Draft(to=phone(i), dedupe_key=f"item:{i}", body=body)

    t = time.perf_counter()
    services.messages_send_bulk(
        channel="sms", drafts=drafts(), origin="bench", batch_size=batch
    )
    fanout = time.perf_counter() - t
    created = OutboxMessage.objects.filter(dedupe_key__startswith="item:").count()
    held = OutboxMessage.objects.filter(
        dedupe_key__startswith="item:", status="held"
    ).count()

    # 3. Again.
    t = time.perf_counter()
    services.messages_send_bulk(
        channel="sms", drafts=drafts(), origin="bench", batch_size=batch
    )
    rerun = time.perf_counter() - t
    again = OutboxMessage.objects.filter(dedupe_key__startswith="item:").count()

    ratio = fanout / baseline
    print(f"[{vendor}] baseline bulk_create of {n:,} rows: {baseline:.2f} s")
    print(
        f"[{vendor}] messages_send_bulk of {n:,} drafts: {fanout:.2f} s "
        f"({held:,} held: opted out)"
    )
    print(f"[{vendor}] ratio {ratio:.2f}x baseline (target <= 3x)")
    print(f"[{vendor}] run again (resume): {rerun:.2f} s, rows {again:,}")
    print(f"[{vendor}] load average while measuring: {os.getloadavg()[0]:.1f}")
    ok = created == n and again == n and held == len(range(0, n, 100)) and ratio <= 3
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
