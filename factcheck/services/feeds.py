"""Writes of the feeds imported on a schedule (ClaimReview, RSS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from factcheck import selectors
from factcheck.models import (
    FeedSource,
)

# --- Feeds ------------------------------------------------------------------------

_FEED_FIELDS = ("name", "url", "format", "publisher", "active")


def _feed_check(actor: User) -> None:
    if not selectors.feed_allowed(actor=actor):
        raise PermissionDenied


def _feed_clean(feed: FeedSource) -> None:
    feed.full_clean()
    if not feed.url.lower().startswith(("http://", "https://")):
        raise ValidationError(
            {"url": _("Enter a web address that starts with http:// or https://.")}
        )


@transaction.atomic
def feed_create(
    *,
    actor: User,
    name: str,
    url: str,
    format: str,
    publisher: str = "",
    active: bool = True,
) -> FeedSource:
    """A feed to import on the schedule (``tasks.feeds_import_due_task``)."""
    _feed_check(actor)
    feed = FeedSource(
        name=name.strip(),
        url=url.strip(),
        format=format,
        publisher=publisher.strip(),
        active=active,
    )
    _feed_clean(feed)
    feed.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=feed,
        changes={"url": feed.url, "format": feed.format, "active": feed.active},
    )
    return feed


@transaction.atomic
def feed_update(*, actor: User, feed: FeedSource, **fields: Any) -> FeedSource:
    _feed_check(actor)
    unknown = set(fields) - set(_FEED_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    before = {name: getattr(feed, name) for name in fields}
    for name, value in fields.items():
        setattr(feed, name, value.strip() if isinstance(value, str) else value)
    _feed_clean(feed)
    feed.save()
    changes = {
        name: [before[name], getattr(feed, name)]
        for name in fields
        if before[name] != getattr(feed, name)
    }
    if changes:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=feed, changes=changes
        )
    return feed


def feed_set_active(*, actor: User, feed: FeedSource, active: bool) -> FeedSource:
    return feed_update(actor=actor, feed=feed, active=active)


@transaction.atomic
def feed_delete(*, actor: User, feed: FeedSource) -> None:
    """Stop importing a feed (the fact-checks it brought stay)."""
    _feed_check(actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=feed,
        changes={"url": feed.url},
    )
    feed.delete()


@transaction.atomic
def feed_import_now(*, actor: User, feed: FeedSource) -> None:
    """Ask the worker to import an active feed now, not at its next turn."""
    from factcheck.tasks import feed_import_task

    _feed_check(actor)
    if not feed.active:
        raise ValidationError(_("Turn the feed on before importing it."))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.OTHER,
        obj=feed,
        changes={"import": "requested"},
    )
    pk = feed.pk
    transaction.on_commit(lambda: feed_import_task.enqueue(pk))
