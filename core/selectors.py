from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import WorkerHeartbeat

_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is unusable
        return {"status": "error", "vendor": connection.vendor, "error": str(exc)}
    return {"status": "ok", "vendor": connection.vendor}


# /healthz answers within this whatever the database does (a lock, a dead server).
DATABASE_CHECK_SECONDS = 1.5
_running_check: threading.Thread | None = None
_check_lock = threading.Lock()


def database_status_within(seconds: float | None = None) -> dict[str, Any]:
    """``database_status()`` run on its own thread and connection, given up after
    ``seconds``: a check that hangs reads as an error. While a hung check still
    waits, the next ones answer at once instead of piling up threads."""
    global _running_check
    seconds = DATABASE_CHECK_SECONDS if seconds is None else seconds
    timed_out = {"status": "error", "vendor": connection.vendor, "error": "timed out"}
    result: dict[str, Any] = {}

    def check() -> None:
        try:
            result.update(database_status())
        finally:
            connection.close()  # this thread's own connection

    with _check_lock:
        if _running_check is not None and _running_check.is_alive():
            return timed_out
        thread = threading.Thread(target=check, daemon=True, name="healthz-db")
        _running_check = thread
        thread.start()
    thread.join(seconds)
    if thread.is_alive() or not result:
        return timed_out
    return result


def worker_status() -> dict[str, Any]:
    """Whether some worker has been alive recently, and how much work waits for one."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == _IMMEDIATE:
        return {"status": "ok", "mode": "immediate"}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff)
    last = WorkerHeartbeat.objects.order_by("-last_seen").first()
    waiting = DBTaskResult.objects.filter(status="READY").count()
    return {
        "status": "ok" if alive.exists() else "down",
        "mode": "database",
        "workers": alive.count(),
        "last_seen": last.last_seen.isoformat() if last else None,
        "tasks_waiting": waiting,
    }
