"""Background work of channels: the only place where messages leave.

Every task takes ids (or a channel name) and is idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from channels import inbound, services


@task()
def inbound_process_task(call_id: int) -> list[str]:
    """Normalise one stored webhook call (with others waiting, in a batch) and
    route its events; a call a batch took already is left to it."""
    return inbound.calls_process(call_id=call_id)


@task()
def telegram_callback_answer_task(callback_query_id: str) -> bool:
    """Acknowledge a pressed inline button (Telegram shows a spinner until then)."""
    from channels.senders import telegram_callback_answer

    return telegram_callback_answer(callback_query_id)


# Ahead of other tasks: in a surge the queue holds thousands of inbound calls,
# and the replies already queued must not wait behind all of them. There is at
# most one waiting per channel (``services._enqueue_sending``), so it cannot
# crowd anything out.
SEND_PRIORITY = 10


@task(priority=SEND_PRIORITY)
def outbox_send_task(channel: str) -> dict[str, int]:
    """Send the due messages of one channel."""
    # Started: a message queued from now on enqueues a task of its own (this
    # one may have claimed its last batch already).
    cache.delete(services.send_waiting_key(channel))
    return services.outbox_send_due(channel=channel)


@task()
def outbox_due_task() -> list[str]:
    """Every minute: retries and deferred messages, rows a dead worker left
    "sending", webhook calls not processed (their task was lost), old raw calls."""
    services.outbox_interrupted_fail()
    now = timezone.now()
    stale = services.webhook_calls_unprocessed(older_than=now - timedelta(minutes=1))
    for pk in stale:
        inbound_process_task.enqueue(pk)
    services.webhook_calls_prune(
        before=now - timedelta(days=settings.CHANNELS_RAW_RETENTION_DAYS)
    )
    due = services.channels_with_due_messages(now=now)
    for channel in due:
        outbox_send_task.enqueue(channel)
    return due
