from __future__ import annotations

import math
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from core.models import WorkerHeartbeat

_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def database_status(conn: BaseDatabaseWrapper | None = None) -> dict[str, Any]:
    conn = conn or connection
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is unusable
        return {"status": "error", "vendor": conn.vendor, "error": str(exc)}
    return {"status": "ok", "vendor": conn.vendor}


# /healthz answers within this whatever the database does (a lock, a dead server).
DATABASE_CHECK_SECONDS = 1.5
_running_check: threading.Thread | None = None
_check_lock = threading.Lock()


def _impatient_connection(seconds: float) -> BaseDatabaseWrapper:
    """A new connection to the default database that gives up after about
    ``seconds`` (SQLite's busy timeout; PostgreSQL's connect and statement
    timeouts), so that a check's thread does not outlive its deadline for long."""
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    options = dict(conn.settings_dict.get("OPTIONS") or {})
    if conn.vendor == "sqlite":
        options["timeout"] = seconds
    elif conn.vendor == "postgresql":
        options["connect_timeout"] = max(1, math.ceil(seconds))
        statement = f"-c statement_timeout={int(seconds * 1000)}"
        options["options"] = f"{options.get('options', '')} {statement}".strip()
    conn.settings_dict = {**conn.settings_dict, "OPTIONS": options}
    return conn


def database_status_within(seconds: float | None = None) -> dict[str, Any]:
    """``database_status()`` run on its own thread and its own impatient
    connection, given up after ``seconds``: a check that hangs reads as an error.
    While a hung check still waits, the next ones answer at once instead of
    piling up threads."""
    global _running_check
    seconds = DATABASE_CHECK_SECONDS if seconds is None else seconds
    timed_out = {"status": "error", "vendor": connection.vendor, "error": "timed out"}
    result: dict[str, Any] = {}

    def check() -> None:
        conn = _impatient_connection(seconds)
        try:
            result.update(database_status(conn))
        finally:
            conn.close()

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
