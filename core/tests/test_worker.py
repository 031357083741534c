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


@pytest.mark.django_db(transaction=True)
def test_worker_rides_out_a_database_outage(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.utils import OperationalError
    from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

    import core.schedule
    from core.management.commands import worker

    monkeypatch.setattr(core.schedule, "_periodic", {})
    settings.TASKS = DB_BACKEND
    AuditEntry.objects.create(action="other", object_type="y")
    result = audit_prune_task.enqueue()
    real = DBTaskResultQuerySet.get_locked
    calls: list[str] = []

    def get_locked(self):  # type: ignore[no-untyped-def]
        calls.append("claim")
        if len(calls) <= 2:  # the server went away, twice
            raise OperationalError("server closed the connection unexpectedly")
        return real(self)

    pauses: list[float] = []
    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    monkeypatch.setattr(worker, "_pause", pauses.append)
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert pauses == [1.0, 2.0]  # waited, longer each time, then carried on
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_heartbeat_survives_a_database_outage(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    import threading

    from django.db.utils import OperationalError

    from core.management.commands import worker
    from core.services import worker_heartbeat_beat

    stop = threading.Event()
    beats: list[str] = []

    def beat(**kwargs):  # type: ignore[no-untyped-def]
        beats.append("beat")
        if len(beats) <= 2:
            raise OperationalError("database is locked")
        worker_heartbeat_beat(**kwargs)
        stop.set()

    def stop_fails(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(worker, "worker_heartbeat_beat", beat)
    settings.WORKER_HEARTBEAT_SECONDS = 0
    command = worker.Command()
    now = timezone.now()
    command._beat_loop("w1", now, stop)  # returns once a beat went through
    assert len(beats) == 3
    assert WorkerHeartbeat.objects.filter(worker_id="w1").exists()
    # Stopping while the database is still away ends quietly too.
    monkeypatch.setattr(worker, "worker_heartbeat_stop", stop_fails)
    monkeypatch.setattr(command, "_run_through_outages", lambda *a, **k: None)
    command.handle(worker_id="w2")


def _running(worker_ids: list[str], *, minutes_ago: int = 10):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    result = audit_prune_task.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    for worker_id in worker_ids:
        row.claim(worker_id)
    DBTaskResult.objects.filter(id=row.id).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return row.id


def _beat(worker_id: str, *, seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="h",
        pid=1,
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(seconds=seconds_ago),
    )


@pytest.mark.django_db
def test_a_dead_workers_running_task_is_requeued(settings) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from core.services import worker_tasks_requeue_dead

    settings.TASKS = DB_BACKEND
    settings.WORKER_HEARTBEAT_TIMEOUT = 90
    _beat("alive", seconds_ago=5)
    _beat("dead", seconds_ago=600)
    of_alive = _running(["alive"])
    of_dead = _running(["dead"])
    of_unknown = _running(["never-beat"])
    just_claimed = _running(["never-beat-2"], minutes_ago=0)
    assert worker_tasks_requeue_dead() == {"requeued": 2, "failed": 0}
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[of_alive] == "RUNNING"  # its worker is still at it
    assert status[of_dead] == "READY"
    assert status[of_unknown] == "READY"
    assert status[just_claimed] == "RUNNING"  # within the grace period
    assert DBTaskResult.objects.get(id=of_dead).started_at is None


@pytest.mark.django_db
def test_a_task_that_killed_three_workers_fails(settings) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from core.services import worker_tasks_requeue_dead

    settings.TASKS = DB_BACKEND
    settings.WORKER_TASK_ATTEMPTS = 3
    second = _running(["a", "b"])
    third = _running(["a", "b", "c"])
    assert worker_tasks_requeue_dead() == {"requeued": 1, "failed": 1}
    assert DBTaskResult.objects.get(id=second).status == "READY"
    row = DBTaskResult.objects.get(id=third)
    assert row.status == "FAILED"
    assert "3 attempts" in row.traceback


@pytest.mark.django_db(transaction=True)
def test_a_requeued_task_runs_again_on_another_worker(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    import core.schedule

    monkeypatch.setattr(core.schedule, "_periodic", {})
    settings.TASKS = DB_BACKEND
    _beat("killed", seconds_ago=3600)
    task_id = _running(["killed"])
    # The next worker's first beat gives the task back, and the worker runs it.
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(id=task_id)
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids[0] == "killed" and len(row.worker_ids) == 2


@pytest.mark.django_db
def test_every_beat_runs_the_beat_jobs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import core.schedule
    from core.management.commands import worker

    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(core.schedule, "_periodic", {})
    monkeypatch.setattr(core.schedule, "_on_beat", {})
    core.schedule.register_beat("tests.broken", broken)
    core.schedule.register_beat("tests.ok", lambda: ran.append("ok"))
    worker.Command()._beat_once("w9", timezone.now())
    worker.Command()._beat_once("w9", timezone.now())
    assert ran == ["ok", "ok"]  # a failing job does not stop the others
    assert WorkerHeartbeat.objects.filter(worker_id="w9").exists()


def _niceness_after_lower_priority(nice: str) -> tuple[int, int]:
    """Run ``lower_priority`` in a child process (it cannot be undone in this
    one) with ``WORKER_NICE=nice``; its niceness before and after."""
    import os
    import subprocess
    import sys

    code = (
        "import os, django; django.setup(); "
        "from core.management.commands.worker import lower_priority; "
        "before = os.nice(0); after = lower_priority(); "
        "print(before, after, os.getpriority(os.PRIO_PROCESS, 0))"
    )
    env = {
        **os.environ,
        "WORKER_NICE": nice,
        "DJANGO_SETTINGS_MODULE": "simpul.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    before, after, actual = (int(x) for x in out)
    assert after == actual
    return before, after


def test_a_worker_lowers_its_cpu_priority_below_the_web_servers() -> None:
    before, after = _niceness_after_lower_priority("10")
    assert after == min(19, before + 10)
    before, after = _niceness_after_lower_priority("0")
    assert after == before
