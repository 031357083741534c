"""Scheduled import of ClaimReview and RSS feeds (run by the worker only)."""

from __future__ import annotations

import httpx
from django.conf import settings
from django.utils import timezone

from factcheck.importing import ImportFormatError, parse
from factcheck.models import FeedSource
from factcheck.services import factchecks_import

MAX_BYTES = 10 * 1024 * 1024


def feed_fetch(url: str) -> str:
    with httpx.Client(
        timeout=settings.OUTGOING_HTTP_TIMEOUT,
        follow_redirects=True,
        headers={"User-Agent": "Simpul fact-check importer"},
    ) as client:
        response = client.get(url)
        response.raise_for_status()
        if len(response.content) > MAX_BYTES:
            raise ValueError("feed larger than 10 MB")
        return response.text


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
        summary = (
            f"{result.created} new, {result.updated} changed, "
            f"{result.unchanged} unchanged, {len(result.errors)} bad"
        )
    except (httpx.HTTPError, ImportFormatError, ValueError) as exc:
        summary = f"error: {exc.__class__.__name__}: {exc}"[:300]
    FeedSource.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(), last_result=summary[:300]
    )
    return summary
