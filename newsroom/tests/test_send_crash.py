"""End to end: a dissemination fanned out to the channels outbox, its sending
worker killed (SIGKILL) in the middle of a batch: nobody gets the newsroom's
message twice, and each delivery ends up mirroring what happened to its message
(channels' own crash tests cover the outbox alone)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from channels import services as outbox
from channels.models import OutboxMessage
from channels.testing import Recorded
from newsroom import services
from newsroom.models import Delivery
from regions.models import Region

REPO = Path(__file__).resolve().parents[2]
RECIPIENTS = 30
KILL_AFTER = 12  # messages the provider has taken when the worker dies


def _database_url(tmp: Path) -> str:
    """A URL another process can open to see this test's database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it to a file for the worker.
        path = tmp / "db.sqlite3"
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)  # type: ignore[union-attr]
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    pytest.skip(f"no way to share a {connection.vendor} test database")


def _copy_back(url: str) -> None:
    if connection.vendor == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as source:
            source.backup(connection.connection)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_resends_nothing(
    kaltim: None, channel_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = channel_settings.sms
    reached = threading.Event()
    release = threading.Event()

    def hold(request: Recorded) -> None:
        if len(fake.requests) > KILL_AFTER and not release.is_set():
            # The provider has not answered this one when the worker is killed.
            reached.set()
            release.wait(60)

    fake.on_request = hold
    # Queued only: the worker process below does the sending.
    monkeypatch.setattr(outbox, "_enqueue_sending", lambda channel: None)
    kukar = Region.objects.get(kode="64.02")
    for n in range(RECIPIENTS):
        services.subscriber_create(
            channel="sms", phone=f"+62812000{n:05d}", region=kukar
        )
    item = services.dissemination_create(
        actor=None,
        item_url="http://testserver/kabar/1/",
        title="Jadwal vaksinasi",
        summary="Puskesmas buka Sabtu.",
        item_ref="article:1",
        audience={"region_codes": ["64.02"]},
        channels=["sms"],
    )
    assert services.dissemination_fan_out(dissemination_id=item.pk)
    queued = OutboxMessage.objects.filter(origin="newsroom", status="queued")
    assert queued.count() == Delivery.objects.count() == RECIPIENTS
    assert django_settings.CHANNELS_SEND_BATCH > RECIPIENTS  # one batch

    with tempfile.TemporaryDirectory() as tmp:
        url = _database_url(Path(tmp))
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": django_settings.SECRET_KEY,
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "SMS_GATEWAY_URL": django_settings.SMS_GATEWAY_URL,
            "SMS_GATEWAY_TOKEN": django_settings.SMS_GATEWAY_TOKEN,
            "CHANNELS_SMS_RATE": "1000",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from channels.services import outbox_send_due;"
                "outbox_send_due(channel='sms')",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            if not reached.wait(120):
                worker.kill()
                output = worker.communicate()[0].decode(errors="replace")
                pytest.fail(f"the worker never reached the held message:\n{output}")
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        finally:
            release.set()
            if worker.poll() is None:
                worker.kill()
            if worker.stdout:
                worker.stdout.close()
        assert worker.returncode == -signal.SIGKILL
        _copy_back(url)

    # Every message the provider took is marked, on the delivery too.
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == KILL_AFTER
    # After the lease: the one the worker was sending is failed, not resent (the
    # provider may have it); another worker sends the rest of the batch.
    later = timezone.now() + timedelta(
        seconds=django_settings.CHANNELS_SEND_LEASE_SECONDS + 60
    )
    assert outbox.outbox_interrupted_fail(now=later) == 1
    totals = outbox.outbox_send_due(channel="sms", now=later)
    assert totals["sent"] == RECIPIENTS - KILL_AFTER - 1
    asked = Counter(body["to"] for body in fake.bodies("/messages"))
    assert len(asked) == RECIPIENTS and set(asked.values()) == {1}
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"sent": RECIPIENTS - 1, "failed": 1}
    assert Delivery.objects.get(status="failed").error.startswith("interrupted")
