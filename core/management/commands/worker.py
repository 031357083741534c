"""The background worker: django-tasks-db's ``db_worker`` plus a heartbeat thread
that also enqueues periodic tasks when they are due (``core.schedule``).

Any number of these may run against one PostgreSQL database, on any number of
machines: the backend claims each task with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from core.schedule import enqueue_due
from core.services import (
    worker_heartbeat_beat,
    worker_heartbeat_prune,
    worker_heartbeat_stop,
)

HEARTBEAT_SECONDS = 15


class Command(DbWorkerCommand):
    help = "Run a background worker (database queue) that reports a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("worker_id"):
            options["worker_id"] = get_random_string(32)
        worker_id: str = options["worker_id"]
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat, args=(worker_id, stop), daemon=True, name="heartbeat"
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            close_old_connections()
            worker_heartbeat_stop(worker_id=worker_id)

    def _beat(self, worker_id: str, stop: threading.Event) -> None:
        started = timezone.now()
        worker_heartbeat_prune()
        try:
            while not stop.is_set():
                try:
                    worker_heartbeat_beat(
                        worker_id=worker_id,
                        hostname=socket.gethostname(),
                        pid=os.getpid(),
                        started_at=started,
                    )
                    enqueue_due()
                except Exception as exc:  # a missed beat must not stop the worker
                    self.stderr.write(f"heartbeat failed: {exc}")
                stop.wait(HEARTBEAT_SECONDS)
        finally:
            connection.close()
