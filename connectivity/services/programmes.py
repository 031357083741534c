"""Programmes (who promised which villages) and progress snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from connectivity.models import (
    Programme,
    ProgressSnapshot,
)
from connectivity.services._common import _audit, _require, _village
from regions import provinces
from regions.models import Region


@transaction.atomic
def programme_save(
    *,
    actor: User | None,
    slug: str,
    name: str,
    region: Region,
    kind: str = Programme.Kind.PROGRAMME,
    owner: str = "",
    year: int | None = None,
    target_villages: int | None = None,
    description: str = "",
    source: str = "",
    villages: Iterable[Region] | None = None,
) -> Programme:
    """Create or update a programme (by its slug) and, if given, its villages."""
    _require(actor, "change", "connectivity.programme", region.kode)
    programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
    created = programme.pk is None
    programme.name = name
    programme.region = region
    programme.kind = kind
    programme.owner = owner
    programme.year = year
    programme.target_villages = target_villages
    programme.description = description
    programme.source = source
    programme.full_clean()
    programme.save()
    if villages is not None:
        chosen = list(villages)
        for v in chosen:
            _village(v)
            if not region.contains_code(v.kode):
                raise ValidationError(
                    {
                        "villages": _("%(name)s is outside the programme's region.")
                        % {"name": v.name}
                    }
                )
        programme.villages.set(chosen)
    _audit(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        programme,
        region.kode,
        {"slug": slug},
    )
    return programme


def progress_snapshot_take(
    *, region: Region, day: dt.date | None = None
) -> ProgressSnapshot:
    """Store today's progress figures of a regency or kecamatan (idempotent per day)."""
    from connectivity.selectors import progress

    p = progress(region=region)
    snapshot, _created = ProgressSnapshot.objects.update_or_create(
        region=region,
        day=day or timezone.localdate(),
        defaults={
            "villages": p.villages,
            "villages_known": p.villages_known,
            "villages_signal": p.villages_signal,
            "offices_known": p.offices_known,
            "offices_signal": p.offices_signal,
            "settlement_weight": p.settlement_weight,
            "settlement_weight_signal": p.settlement_weight_signal,
            "economic": p.economic,
            "economic_signal": p.economic_signal,
            "towers_on_air": p.towers_on_air,
        },
    )
    return snapshot


def progress_snapshots_take(*, day: dt.date | None = None) -> int:
    """Snapshots of each province served, its regencies and its kecamatan: a
    province of the national list that is not served has no figures here."""
    regions = Region.objects.filter(provinces.served_q("kode")).exclude(
        level=Region.Level.VILLAGE
    )
    n = 0
    for region in regions:
        progress_snapshot_take(region=region, day=day)
        n += 1
    return n
