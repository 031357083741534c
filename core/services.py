from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.models import WorkerHeartbeat


def worker_heartbeat_beat(
    *, worker_id: str, hostname: str, pid: int, started_at: datetime
) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": hostname,
            "pid": pid,
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def worker_heartbeat_prune(*, older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _ = WorkerHeartbeat.objects.filter(
        last_seen__lt=timezone.now() - older_than
    ).delete()
    return deleted


def worker_heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
