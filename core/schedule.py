"""Periodic tasks, enqueued by whichever worker notices first that one is due.

Apps register ``(name, task, every)`` in ``AppConfig.ready``. Each worker's heartbeat
thread calls ``enqueue_due``; a conditional UPDATE on ``ScheduledRun`` makes exactly
one worker enqueue each run even when many workers on many machines share the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django_tasks Task taking no arguments
    every: timedelta


_periodic: dict[str, Periodic] = {}
_on_beat: dict[str, Any] = {}


def register_periodic(name: str, task: Any, *, every: timedelta) -> None:
    _periodic[name] = Periodic(name=name, task=task, every=every)


def registered_periodic() -> list[Periodic]:
    return list(_periodic.values())


def register_beat(name: str, job: Any) -> None:
    """``job()`` runs on every heartbeat of every worker, on every machine (work
    that belongs to a machine rather than to the deployment, such as keeping that
    machine's copy of the matching index current; a periodic task runs on one
    worker only).  It must be cheap when there is nothing to do."""
    _on_beat[name] = job


def run_beat_jobs() -> list[str]:
    """Run the beat jobs; a failing one is logged and the others still run."""
    import logging

    failed = []
    for name, job in list(_on_beat.items()):
        try:
            job()
        except Exception:
            logging.getLogger(__name__).exception("beat job %s failed", name)
            failed.append(name)
    return failed


def enqueue_due() -> list[str]:
    """Enqueue every periodic task that is due; returns the names enqueued."""
    from core.models import ScheduledRun

    now = timezone.now()
    enqueued: list[str] = []
    for periodic in _periodic.values():
        due_before = now - periodic.every
        with transaction.atomic():
            claimed = ScheduledRun.objects.filter(
                name=periodic.name, last_enqueued_at__lte=due_before
            ).update(last_enqueued_at=now)
            if not claimed:
                try:
                    with transaction.atomic():
                        ScheduledRun.objects.create(
                            name=periodic.name, last_enqueued_at=now
                        )
                except IntegrityError:
                    continue  # it exists and is not due, or another worker took it
            periodic.task.enqueue()
            enqueued.append(periodic.name)
    return enqueued
