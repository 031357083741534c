"""Monthly scores of KIMs, computed from their reviewed activities."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from network import scoring
from network.models import (
    Activity,
    Kim,
    MonthlyScore,
)


def _month(d: date) -> date:
    return d.replace(day=1)


@transaction.atomic
def kim_scores_recompute(
    *, kim_ids: Iterable[int] | None = None, today: date | None = None
) -> int:
    """Recompute monthly scores and maturity levels (all KIMs, or ``kim_ids``);
    idempotent. Returns the number of KIMs whose level changed. See
    ``network.scoring`` for the rules."""
    today = today or timezone.localdate()
    window = scoring.window_months(today)
    start = window[0]
    approved = Activity.objects.filter(status=Activity.Status.APPROVED)
    kims = Kim.objects.all()
    if kim_ids is not None:
        ids = list(kim_ids)
        approved = approved.filter(kim_id__in=ids)
        kims = kims.filter(pk__in=ids)
    rows = (
        approved.annotate(m=TruncMonth("date"))
        .values("kim_id", "m", "kind")
        .annotate(n=Count("pk"))
    )
    per_month: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    for row in rows:
        month = row["m"].date() if isinstance(row["m"], datetime) else row["m"]
        per_month[(row["kim_id"], month)][row["kind"]] += row["n"]
    # Monthly scores: replace the stored ones for these KIMs.
    scores = MonthlyScore.objects.all()
    if kim_ids is not None:
        scores = scores.filter(kim_id__in=ids)
    scores.delete()
    MonthlyScore.objects.bulk_create(
        [
            MonthlyScore(
                kim_id=kim_id,
                month=month,
                activities=sum(counts.values()),
                score=scoring.month_score(counts),
            )
            for (kim_id, month), counts in per_month.items()
        ],
        batch_size=1000,
    )
    # Levels from the window.
    window_scores: dict[int, list[int]] = defaultdict(list)
    kinds_used: dict[int, set[str]] = defaultdict(set)
    for (kim_id, month), counts in per_month.items():
        if start <= month < _month(today):
            window_scores[kim_id].append(scoring.month_score(counts))
            kinds_used[kim_id].update(k for k, n in counts.items() if n)
    changed = []
    now = timezone.now()
    for kim in kims.only("pk", "level", "level_updated_at", "region_id"):
        result = scoring.maturity(
            window_scores.get(kim.pk, []), len(kinds_used.get(kim.pk, ()))
        )
        if result.level is None:
            continue
        if result.level != kim.level:
            kim.level = result.level
            changed.append(kim)
        kim.level_updated_at = now
        Kim.objects.filter(pk=kim.pk).update(level=kim.level, level_updated_at=now)
    return len(changed)
