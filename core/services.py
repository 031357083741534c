from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
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


def worker_tasks_requeue_dead(*, now: datetime | None = None) -> dict[str, int]:
    """Give back the RUNNING tasks of workers that stopped beating.

    A worker killed mid-task (SIGKILL, out of memory, the machine lost) leaves
    its task RUNNING forever: nothing else would ever run it.  A task counts as
    orphaned when the worker that claimed it last (the backend appends each
    claimant to ``worker_ids``) has no heartbeat younger than
    ``WORKER_HEARTBEAT_TIMEOUT`` and the claim itself is older than that (a
    worker without a heartbeat row, e.g. a plain ``db_worker``, gets the same
    grace).  It goes back to READY, or to FAILED once it was claimed
    ``WORKER_TASK_ATTEMPTS`` times: a task that kills its worker must not kill
    every worker in turn.  Tasks are idempotent, so running one again is safe.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for row in running:
            claimant = row.worker_ids[-1] if row.worker_ids else ""
            if claimant in alive:
                continue
            if len(row.worker_ids) >= settings.WORKER_TASK_ATTEMPTS:
                row.status = TaskResultStatus.FAILED
                row.finished_at = now
                row.exception_class_path = "core.services.WorkerLost"
                row.traceback = (
                    f"worker {claimant} stopped during this task "
                    f"({len(row.worker_ids)} attempts)"
                )
                row.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                    ]
                )
                counts["failed"] += 1
            else:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
    return counts
