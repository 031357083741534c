"""System checks: ``SIMPUL_PROVINCES`` names provinces that exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError

from regions import provinces


@register()
def provinces_check(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    codes = provinces.configured()
    if codes == [provinces.ALL]:
        return errors
    bad = [c for c in codes if not provinces.PROVINCE_CODE.match(c)]
    for code in bad:
        errors.append(
            Error(
                f"SIMPUL_PROVINCES: {code!r} is not a province code (two digits, "
                'e.g. "64"; or "*" for every province).',
                hint=f"SIMPUL_PROVINCES is {','.join(settings.PROVINCES)!r}.",
                id="regions.E001",
            )
        )
    good = [c for c in codes if c not in bad]
    try:
        from regions.models import Region

        known = set(
            Region.objects.filter(level=Region.Level.PROVINCE).values_list(
                "kode", flat=True
            )
        )
    except DatabaseError:  # not migrated yet: nothing to compare with
        return errors
    # Before the first import_regions there is no province to compare with.
    for code in good:
        if known and code not in known:
            errors.append(
                Error(
                    f"SIMPUL_PROVINCES: no province has the code {code!r} in the "
                    "database.",
                    hint="Import its regions (manage.py import_regions) or "
                    "correct SIMPUL_PROVINCES.",
                    id="regions.E001",
                )
            )
    return errors
