"""Reach counters: anonymous daily stats and short links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.models import (
    DailyStat,
    ShortLink,
)

if TYPE_CHECKING:
    pass


# --- reach counters -----------------------------------------------------------------
def stat_increment(*, article_id: int, metric: str, day: Any = None) -> None:
    """Add one to an anonymous daily counter of an article."""
    if metric not in DailyStat.Metric.values:
        raise ValidationError({"metric": "unknown metric"})
    day = day or timezone.localdate()
    updated = DailyStat.objects.filter(
        article_id=article_id, day=day, metric=metric
    ).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            DailyStat.objects.create(
                article_id=article_id, day=day, metric=metric, count=1
            )
    except IntegrityError:  # created meanwhile by another request
        DailyStat.objects.filter(article_id=article_id, day=day, metric=metric).update(
            count=F("count") + 1
        )


def short_link_follow(*, code: str) -> str | None:
    """Count a click (no personal data) and return where the link goes."""
    link = ShortLink.objects.filter(code=code).first()
    if link is None:
        return None
    ShortLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    if link.article_id:
        stat_increment(article_id=link.article_id, metric=DailyStat.Metric.CLICK)
    return link.target_url
