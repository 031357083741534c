"""What the channels app plugs into the house (``register`` is called by
``core.hooks``)."""

from __future__ import annotations

from datetime import timedelta


def register() -> None:
    from channels.tasks import outbox_due_task
    from core.schedule import register_periodic

    register_periodic(
        "channels.outbox_due", outbox_due_task, every=timedelta(minutes=1)
    )
