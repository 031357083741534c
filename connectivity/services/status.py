"""The derived village status (observed signal per place, then per village)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from connectivity.models import (
    TECH_RANK,
    Observation,
    Place,
    VillageStatus,
)
from connectivity.services._common import _village, usable
from connectivity.services.offices import village_office_ensure
from regions.models import Region
from regions.selectors import subtree_q


def _latest_level(observations: Sequence[Observation]) -> tuple[str, Any]:
    """Best technology among the latest observation per operator, newest first.

    An observation without operator speaks for every operator, so it supersedes
    all older ones.
    """
    seen: dict[str, Observation] = {}
    for obs in observations:
        if obs.operator == "":
            seen.setdefault("", obs)
            break
        seen.setdefault(obs.operator, obs)
    if not seen:
        return "", None
    best = max(seen.values(), key=lambda o: TECH_RANK[o.technology])
    return best.technology, max(o.observed_at for o in seen.values())


@transaction.atomic
def village_status_refresh(*, region: Region) -> VillageStatus:
    """Derive a village's status from its places and confirmed observations."""
    _village(region)
    village_office_ensure(region=region)
    places = list(Place.objects.filter(region=region))
    observations = list(
        Observation.objects.filter(
            region=region, status=Observation.Status.CONFIRMED
        ).order_by("-observed_at", "-id")
    )
    village_tech, village_at = _latest_level(
        [o for o in observations if not o.place_id]
    )
    by_place: dict[int, list[Observation]] = {}
    for obs in observations:
        if obs.place_id:
            by_place.setdefault(obs.place_id, []).append(obs)
    changed: list[Place] = []
    for place in places:
        tech, at = _latest_level(by_place.get(place.pk, []))
        from_village = False
        if not tech and village_tech:
            tech, at, from_village = village_tech, village_at, True
        if (place.observed_tech, place.observed_at, place.observed_from_village) != (
            tech,
            at,
            from_village,
        ):
            place.observed_tech, place.observed_at = tech, at
            place.observed_from_village = from_village
            changed.append(place)
    if changed:
        Place.objects.bulk_update(
            changed, ["observed_tech", "observed_at", "observed_from_village"]
        )
    status, _created = VillageStatus.objects.get_or_create(region=region)
    office = next((p for p in places if p.kind == Place.Kind.OFFICE), None)
    office_signal = (
        None
        if office is None or not office.observed_tech
        else usable(office.observed_tech)
    )
    settlements = [p for p in places if p.kind == Place.Kind.SETTLEMENT]
    s_total = sum(p.weight for p in settlements)
    s_known = sum(p.weight for p in settlements if p.observed_tech)
    s_signal = sum(p.weight for p in settlements if usable(p.observed_tech))
    economic = [p for p in places if p.kind in Place.ECONOMIC]
    known = [p for p in places if p.observed_tech]
    if not known:
        derived = VillageStatus.Status.UNKNOWN
    elif office_signal is False or (s_total > 0 and s_known - s_signal > s_total / 2):
        derived = VillageStatus.Status.BLANKSPOT
    elif all(usable(p.observed_tech) for p in known) and len(known) == len(places):
        derived = VillageStatus.Status.COVERED
    elif any(not usable(p.observed_tech) for p in known):
        derived = VillageStatus.Status.PARTIAL
    else:
        derived = VillageStatus.Status.COVERED
    techs = [p.observed_tech for p in known]
    status.status = derived
    status.office_signal = office_signal
    status.best_tech = max(techs, key=lambda t: TECH_RANK[t]) if techs else ""
    status.settlement_weight = s_total
    status.settlement_weight_known = s_known
    status.settlement_weight_signal = s_signal
    status.economic_total = len(economic)
    status.economic_signal = sum(1 for p in economic if usable(p.observed_tech))
    status.places_total = len(places)
    status.weight_total = sum(p.weight for p in places)
    status.weight_signal = sum(p.weight for p in places if usable(p.observed_tech))
    status.predicted_weight = sum(p.weight for p in places if p.predicted_covered)
    status.last_observed_at = max((o.observed_at for o in observations), default=None)
    status.refreshed_at = timezone.now()
    status.save()
    return status


def village_statuses_refresh(*, region: Region) -> int:
    """Refresh every village under ``region`` (a command, a task, the demo)."""
    villages = Region.objects.filter(
        subtree_q(region.kode, "kode"),
        level=Region.Level.VILLAGE,
    )
    n = 0
    for village in villages:
        village_status_refresh(region=village)
        n += 1
    return n
