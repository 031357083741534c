"""Scheduled import of ClaimReview and RSS feeds (run by the worker only)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.fetch import FetchError, fetch
from factcheck.importing import ImportFormatError, parse
from factcheck.models import FeedSource
from factcheck.services import factchecks_import

MAX_BYTES = 10 * 1024 * 1024


def feed_fetch(url: str) -> str:
    """The feed's text, through the guarded fetcher (a feed URL is typed by staff:
    it must not reach the server's own network)."""
    return fetch(
        url,
        max_bytes=MAX_BYTES,
        headers={"User-Agent": "Simpul fact-check importer"},
    ).text


def feed_import(*, feed_id: int) -> str:
    """Fetch one feed and import its fact-checks; the result is kept on the feed."""
    feed = FeedSource.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return "inactive"
    try:
        text = feed_fetch(feed.url)
        result = factchecks_import(
            items=parse(text, feed.format, publisher=feed.publisher)
        )
        # Kept as text for the staff page: in the site's language (Indonesian),
        # whatever language the worker runs in.
        with translation.override(settings.LANGUAGE_CODE):
            summary = _(
                "%(new)d new, %(changed)d changed, %(same)d unchanged, %(bad)d bad"
            ) % {
                "new": result.created,
                "changed": result.updated,
                "same": result.unchanged,
                "bad": len(result.errors),
            }
    except FetchError as exc:
        # The fetcher's messages are safe to show (no port state, no internals).
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("error") + f": {exc}"
    except (ImportFormatError, ValueError) as exc:
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("error") + f": {exc.__class__.__name__}: {exc}"
    FeedSource.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(), last_result=summary[:300]
    )
    return summary
