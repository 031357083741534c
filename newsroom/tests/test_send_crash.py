"""A worker process killed (SIGKILL) in the middle of a batch sends nobody the same
message twice: each delivery is marked as soon as the provider took it."""

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

from newsroom import services
from newsroom.models import Delivery, Dissemination
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
    kaltim: None, channel_settings: Any
) -> None:
    fake = channel_settings
    accepted: Counter[str] = Counter()
    reached = threading.Event()
    release = threading.Event()
    lock = threading.Lock()

    def respond(path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with lock:
            taken = sum(accepted.values())
            if taken >= KILL_AFTER and not release.is_set():
                hold = True
            else:
                hold = False
                accepted[body["to"]] += 1
        if hold:
            # The provider has not taken this one: the worker waits for the
            # answer when it is killed.
            reached.set()
            release.wait(60)
            return 503, {}
        return 200, {"id": f"sms-{body['to']}"}

    fake.respond = respond
    item = Dissemination.objects.create(
        item_ref="article:1",
        item_url="http://testserver/kabar/1/",
        title="Jadwal vaksinasi",
        summary="Puskesmas buka Sabtu.",
        region=Region.objects.get(kode="64"),
        channels=["sms"],
        status=Dissemination.Status.SENDING,
    )
    due = timezone.now() - timedelta(minutes=1)
    Delivery.objects.bulk_create(
        Delivery(
            dissemination=item,
            item_ref=item.item_ref,
            recipient_key=f"sms:+62812000{n:05d}",
            channel="sms",
            address=f"+62812000{n:05d}",
            source=Delivery.Source.SUBSCRIBER,
            next_attempt_at=due,
        )
        for n in range(RECIPIENTS)
    )
    assert django_settings.NEWSROOM_SEND_BATCH > RECIPIENTS  # one batch

    with tempfile.TemporaryDirectory() as tmp:
        url = _database_url(Path(tmp))
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SMS_GATEWAY_URL": django_settings.SMS_GATEWAY_URL,
            "SMS_GATEWAY_TOKEN": django_settings.SMS_GATEWAY_TOKEN,
            "NEWSROOM_QUIET_START_HOUR": "24",
            "NEWSROOM_QUIET_END_HOUR": "0",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from newsroom.services import deliveries_send;"
                "deliveries_send(channel='sms')",
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

    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == KILL_AFTER
    # The lease of the killed worker's batch runs out; another worker sends the rest.
    later = timezone.now() + services.SEND_LEASE + timedelta(minutes=1)
    totals = services.deliveries_send(channel="sms", now=later)
    assert totals["sent"] == RECIPIENTS - KILL_AFTER
    assert len(accepted) == RECIPIENTS and set(accepted.values()) == {1}
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
    assert set(Delivery.objects.values_list("provider_id", flat=True)) == {
        f"sms-+62812000{n:05d}" for n in range(RECIPIENTS)
    }
