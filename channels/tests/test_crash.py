"""A real worker process killed with SIGKILL mid-batch: nobody gets a message
twice. Needs PostgreSQL (the worker is another process sharing the test
database; SQLite's test database lives in this process's memory)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from channels import services
from channels.models import OutboxMessage

REPO = Path(__file__).resolve().parents[2]
WORKER = (
    "import django; django.setup()\n"
    "from channels.services import outbox_send_due\n"
    "outbox_send_due(channel='whatsapp')\n"
)


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_batch_sends_each_message_at_most_once(
    fake_whatsapp, settings, tmp_path, monkeypatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker is another process")
    # Queued only: the worker below does the sending (not the immediate tasks).
    monkeypatch.setattr(services, "_enqueue_sending", lambda channel: None)
    for n in range(20):
        services.message_send(
            channel="whatsapp",
            to=f"+6281234567{n:03d}",
            body="Halo",
            dedupe_key=f"k{n}",
            origin="newsroom",
        )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simpul.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
        "SIMPUL_DATA_DIR": str(tmp_path),
        "CACHE_URL": "locmem://",
        "STATIC_MANIFEST": "0",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "WHATSAPP_API_BASE": settings.WHATSAPP_API_BASE,
        "WHATSAPP_TOKEN": settings.WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": settings.WHATSAPP_PHONE_NUMBER_ID,
        "CHANNELS_WHATSAPP_RATE": "1000",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=REPO, env=env)

    def kill_at_fifth(request) -> None:
        # The provider has the 5th message; the worker dies before the answer.
        if len(fake_whatsapp.requests) == 5:
            os.kill(worker.pid, signal.SIGKILL)

    fake_whatsapp.on_request = kill_at_fifth
    assert worker.wait(timeout=300) == -signal.SIGKILL
    fake_whatsapp.on_request = None
    assert len(fake_whatsapp.requests) == 5
    statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == {"sent": 4, "sending": 1, "queued": 15}

    # The next worker, once the dead one's lease has passed.
    later = timezone.now() + timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS + 1)
    assert services.outbox_interrupted_fail(now=later) == 1
    assert services.outbox_send_due(channel="whatsapp", now=later)["sent"] == 15
    received = Counter(r.body["to"] for r in fake_whatsapp.requests)
    assert set(received.values()) == {1} and len(received) == 20
