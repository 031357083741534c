"""Background work of the fact-check app: sending messages, keeping the matching
index saved, importing feeds. Tasks take ids and may run twice safely."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def outgoing_send_task(message_id: int) -> str:
    from factcheck.services import outgoing_send

    return outgoing_send(message_id=message_id)


@task()
def outgoing_retry_task() -> int:
    """Periodic: failed messages get another try (up to a few attempts)."""
    from factcheck.services import outgoing_retry_failed

    ids = outgoing_retry_failed()
    for pk in ids:
        outgoing_send_task.enqueue(pk)
    return len(ids)


@task()
def matching_index_sync_task() -> int:
    """Bring this worker's index up to date with the database and save it."""
    from factcheck import matching_service

    matching_service.save()
    matching_service.prune_changes()
    return matching_service.state().generation


@task()
def feed_import_task(feed_id: int) -> str:
    from factcheck.feeds import feed_import

    return feed_import(feed_id=feed_id)


@task()
def feeds_import_due_task() -> int:
    """Periodic: enqueue the import of every active feed."""
    from factcheck.models import FeedSource

    ids = list(FeedSource.objects.filter(active=True).values_list("pk", flat=True))
    for pk in ids:
        feed_import_task.enqueue(pk)
    return len(ids)
