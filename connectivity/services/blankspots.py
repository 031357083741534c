"""The 2022 list of Kukar's villages without signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from connectivity.models import (
    Observation,
    Programme,
)
from connectivity.services.observations import observation_create
from connectivity.services.offices import village_office_ensure
from connectivity.services.programmes import programme_save
from regions.models import Region


@dataclass
class BlankspotImport:
    villages: int = 0
    observations: int = 0
    missing: list[str] = field(default_factory=list)


KUKAR_PROGRAMME = "kukar-bebas-blankspot"
KUKAR_LIST_SOURCE = "Diskominfo Kukar, daftar desa blankspot Maret 2022 (berita publik)"


@transaction.atomic
def blankspots_import(
    *, rows: Iterable[dict[str, str]], observed_on: dt.date = dt.date(2022, 3, 1)
) -> BlankspotImport:
    """Load the 2022 list of Kukar's villages without signal (idempotent).

    Each village gets its office place, a confirmed village-level "no signal"
    observation from the government list, and membership of "Kukar bebas
    blankspot"; the derived status follows.
    """
    result = BlankspotImport()
    kukar = Region.objects.get(kode="64.02")
    programme = Programme.objects.filter(slug=KUKAR_PROGRAMME).first()
    if programme is None:
        programme = programme_save(
            actor=None,
            slug=KUKAR_PROGRAMME,
            name="Kukar bebas blankspot",
            region=kukar,
            owner="Pemkab Kutai Kartanegara (Diskominfo Kukar)",
            year=2022,
            description=(
                "Program Pemkab Kukar menjangkau permukiman, pusat layanan ekonomi "
                "dan kantor pemerintahan desa yang belum bersinyal: 10 desa "
                "diusulkan ke BAKTI, 9 desa dengan repeater Pemkab."
            ),
            source=KUKAR_LIST_SOURCE,
        )
    when = timezone.make_aware(dt.datetime.combine(observed_on, dt.time(12)))
    for row in rows:
        region = Region.objects.filter(
            kode=row["kode"].strip(), level=Region.Level.VILLAGE
        ).first()
        if region is None:
            result.missing.append(row["kode"])
            continue
        result.villages += 1
        village_office_ensure(region=region)
        programme.villages.add(region)
        key = f"list:kukar-2022:{region.kode}"
        if not Observation.objects.filter(idempotency_key=key).exists():
            program = row.get("program", "").strip()
            observation_create(
                actor=None,
                region=region,
                technology="none",
                method=Observation.Method.GOVERNMENT,
                observed_at=when,
                note=f"{program}: {row.get('nama_sumber', region.name)}"[:500],
                source=KUKAR_LIST_SOURCE,
                idempotency_key=key,
            )
            result.observations += 1
    return result
