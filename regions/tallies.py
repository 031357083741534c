"""Per-province counts of the records an app keeps, for the national home
(regions.pages.register_tally): one grouped query on a code's first two digits."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr


def count_by_province(
    queryset: QuerySet, code_field: str, codes: list[str], *, distinct: bool = False
) -> dict[str, int]:
    """``{province code: number of records}`` for ``codes``, by the region code
    at ``code_field`` (distinct records where a record has several regions)."""
    rows = (
        queryset.annotate(_province=Substr(code_field, 1, 2))
        .filter(_province__in=codes)
        .values("_province")
        .annotate(n=Count("pk", distinct=distinct))
        .order_by()
    )
    return {row["_province"]: row["n"] for row in rows}
