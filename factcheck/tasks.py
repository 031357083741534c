"""Background work of the fact-check app: keeping the matching index saved,
importing feeds (messages to tipsters go out through the outbox of channels).
Tasks take ids and may run twice safely."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


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


@task()
def confirmations_expire_task() -> int:
    """Periodic: questions to senders left unanswered count as unknown, and
    their claims go to the desk (idempotent)."""
    from factcheck.services import confirmations_expire

    return confirmations_expire()


@task()
def factcheck_image_fetch_task(factcheck_id: int, url: str) -> str:
    """Fetch an imported fact-check's picture (idempotent: once it has one,
    nothing is fetched)."""
    from factcheck.services.images import factcheck_image_fetch

    return factcheck_image_fetch(factcheck_id=factcheck_id, url=url)


@task()
def private_files_sweep_task() -> int:
    """Periodic: pictures whose row never committed leave the disk."""
    from factcheck.services.images import private_files_sweep

    return private_files_sweep()


@task()
def tip_links_retry_due_task() -> int:
    """Periodic: links a temporary failure (or a lost task) left unread."""
    from factcheck.services.links import tip_links_retry_due

    return tip_links_retry_due()


@task()
def tip_link_read_task(tip_id: int) -> str:
    """Read the page a tip links to and answer again if it says more
    (idempotent: a tip's link is read once)."""
    from factcheck.services.links import tip_link_read

    return tip_link_read(tip_id=tip_id)
