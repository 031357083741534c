from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.tasks import audit_prune_task
from core.models import ScheduledRun, WorkerHeartbeat
from core.schedule import enqueue_due, register_periodic

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_queued_tasks(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    import core.schedule

    # Only the task under test: the apps' periodic tasks stay out of this run.
    monkeypatch.setattr(core.schedule, "_periodic", {})
    settings.TASKS = DB_BACKEND
    old = AuditEntry.objects.create(action="other", object_type="x")
    AuditEntry.objects.filter(pk=old.pk).update(
        at=timezone.now() - timedelta(days=3650)
    )
    AuditEntry.objects.create(action="other", object_type="y")
    result = audit_prune_task.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == 1
    assert list(AuditEntry.objects.values_list("object_type", flat=True)) == ["y"]
    # A worker that stops takes its heartbeat with it.
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_periodic_tasks_are_enqueued_once_per_period(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    import core.schedule

    monkeypatch.setattr(core.schedule, "_periodic", {})
    settings.TASKS = DB_BACKEND
    register_periodic("tests.prune", audit_prune_task, every=timedelta(hours=1))
    assert "tests.prune" in enqueue_due()
    assert "tests.prune" not in enqueue_due()  # not due again yet
    ScheduledRun.objects.filter(name="tests.prune").update(
        last_enqueued_at=timezone.now() - timedelta(hours=2)
    )
    assert "tests.prune" in enqueue_due()
    assert (
        DBTaskResult.objects.filter(task_path__endswith="audit_prune_task").count() >= 2
    )
