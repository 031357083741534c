"""The background worker: django-tasks-db's ``db_worker`` plus a heartbeat thread
that also enqueues periodic tasks when they are due (``core.schedule``) and
puts back the tasks of workers that died mid-task
(``core.services.worker_tasks_requeue_dead``).

Any number of these may run against one PostgreSQL database, on any number of
machines: the backend claims each task with ``SELECT … FOR UPDATE SKIP LOCKED``.

A database outage (restart, network cut, a long lock) does not end the worker: the
loop waits with a growing pause (up to ``MAX_PAUSE`` seconds), drops its broken
connection and starts again; the heartbeat thread does the same on its own.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from core.schedule import enqueue_due, run_beat_jobs
from core.services import (
    worker_heartbeat_beat,
    worker_heartbeat_prune,
    worker_heartbeat_stop,
    worker_tasks_requeue_dead,
)

MAX_PAUSE = 30.0
# Lost or refused connections, server restarts, locks: worth waiting out.
OUTAGE = (OperationalError, InterfaceError)


def _drop_connection() -> None:
    """Forget this thread's connection (it may be broken); the next query opens a
    new one."""
    with contextlib.suppress(DatabaseError):
        connection.close()


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def lower_priority() -> int:
    """Lower this process's CPU priority by ``WORKER_NICE`` (0: unchanged) and
    return the new niceness. Tasks wait a moment more; the web server on the
    same machine (the webhooks of a tipline surge) answers first."""
    step = max(0, settings.WORKER_NICE)
    return os.nice(step) if step else os.nice(0)


class Command(DbWorkerCommand):
    help = "Run a background worker (database queue) that reports a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("worker_id"):
            options["worker_id"] = get_random_string(32)
        worker_id: str = options["worker_id"]
        lower_priority()
        started = timezone.now()
        # The first beat runs here, before any task, so that the thread's later
        # writes never race the worker's first claim on a fresh database.
        self._beat_once(worker_id, started, prune=True)
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat_loop,
            args=(worker_id, started, stop),
            daemon=True,
            name="heartbeat",
        )
        thread.start()
        try:
            self._run_through_outages(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            try:
                close_old_connections()
                worker_heartbeat_stop(worker_id=worker_id)
            except OUTAGE as exc:  # the row goes stale and is pruned later
                self.stderr.write(f"heartbeat not removed: {exc}")

    def _run_through_outages(self, *args: Any, **options: Any) -> None:
        pause = 1.0
        while True:
            began = time.monotonic()
            try:
                super().handle(*args, **options)
                return
            except OUTAGE as exc:
                if time.monotonic() - began > 2 * MAX_PAUSE:
                    pause = 1.0  # it ran a while: a new outage starts afresh
                self.stderr.write(f"database unavailable: {exc}; again in {pause:g} s")
                _drop_connection()
                _pause(pause)
                pause = min(pause * 2, MAX_PAUSE)

    def _beat_once(
        self, worker_id: str, started: datetime, prune: bool = False
    ) -> None:
        try:
            if prune:
                worker_heartbeat_prune()
            worker_heartbeat_beat(
                worker_id=worker_id,
                hostname=socket.gethostname(),
                pid=os.getpid(),
                started_at=started,
            )
            enqueue_due()
            worker_tasks_requeue_dead()
            run_beat_jobs()
        except Exception as exc:  # a missed beat must not stop the worker
            self.stderr.write(f"heartbeat failed: {exc}")
            _drop_connection()  # a broken connection would fail every later beat

    def _beat_loop(
        self, worker_id: str, started: datetime, stop: threading.Event
    ) -> None:
        try:
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                self._beat_once(worker_id, started)
        finally:
            _drop_connection()
