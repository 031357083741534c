"""Background work of the newsroom. Messages leave through the channels outbox
(``channels.tasks``); here the fan-out that fills it, and scheduled publishing.

Every task takes ids and is idempotent (run it twice: nothing is queued twice).
"""

from __future__ import annotations

from django_tasks import task

from newsroom import services


@task()
def dissemination_fanout_task(dissemination_id: int) -> bool:
    """Create a dissemination's deliveries and queue their outbox messages."""
    return services.dissemination_fan_out(dissemination_id=dissemination_id)


@task()
def disseminations_stalled_task() -> list[int]:
    """Every minute: resume the fan-outs a killed worker left half-way."""
    stalled = services.disseminations_stalled()
    for pk in stalled:
        dissemination_fanout_task.enqueue(pk)
    return stalled


@task()
def articles_publish_due_task() -> int:
    """Every minute: publish the scheduled articles whose time has come."""
    return services.articles_publish_due()
