"""Background work of the newsroom: the only place where messages leave.

Every task takes ids and is idempotent (run it twice: nothing is sent twice).
"""

from __future__ import annotations

from django_tasks import task

from newsroom import services


@task()
def dissemination_fanout_task(dissemination_id: int) -> bool:
    """Create a dissemination's deliveries, then enqueue their sending."""
    return services.dissemination_fan_out(dissemination_id=dissemination_id)


@task()
def deliveries_send_task(channel: str, dissemination_id: int | None = None) -> dict:
    """Send the due deliveries of one channel (of one dissemination, or all)."""
    return services.deliveries_send(channel=channel, dissemination_id=dissemination_id)


@task()
def deliveries_due_task() -> list[str]:
    """Every minute: resume stalled fan-outs, send retries and deferred messages."""
    for pk in services.disseminations_stalled():
        dissemination_fanout_task.enqueue(pk)
    due = services.channels_with_due_deliveries()
    for channel in due:
        deliveries_send_task.enqueue(channel)
    return due


@task()
def articles_publish_due_task() -> int:
    """Every minute: publish the scheduled articles whose time has come."""
    return services.articles_publish_due()
