from __future__ import annotations

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
