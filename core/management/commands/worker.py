"""The background worker: django-tasks-db's ``db_worker`` plus a heartbeat thread
that also enqueues periodic tasks when they are due (``core.schedule``).

Any number of these may run against one PostgreSQL database, on any number of
machines: the backend claims each task with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime
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
        started = timezone.now()
        # The first beat runs here, before any task, so that the thread's later
        # writes never race the worker's first claim on a fresh database.
        worker_heartbeat_prune()
        self._beat_once(worker_id, started)
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat_loop,
            args=(worker_id, started, stop),
            daemon=True,
            name="heartbeat",
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            close_old_connections()
            worker_heartbeat_stop(worker_id=worker_id)

    def _beat_once(self, worker_id: str, started: datetime) -> None:
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

    def _beat_loop(
        self, worker_id: str, started: datetime, stop: threading.Event
    ) -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                self._beat_once(worker_id, started)
        finally:
            connection.close()
