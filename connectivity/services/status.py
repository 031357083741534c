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
    observations = _confirmed_observations(region)
    _places_observed_set(places, observations)
    status, _created = VillageStatus.objects.get_or_create(region=region)
    office_signal = _office_signal(places)
    status.status = _derived_status(places, office_signal)
    status.office_signal = office_signal
    _status_figures_set(status, places, observations)
    status.refreshed_at = timezone.now()
    status.save()
    return status


def _confirmed_observations(region: Region) -> list[Observation]:
    """The village's confirmed observations, newest first.

    Only confirmed ones count (reports wait for staff), and ``_latest_level`` needs
    them newest first; ``-id`` breaks ties between observations of the same time.
    """
    return list(
        Observation.objects.filter(
            region=region, status=Observation.Status.CONFIRMED
        ).order_by("-observed_at", "-id")
    )


def _places_observed_set(
    places: Sequence[Place], observations: Sequence[Observation]
) -> None:
    """Store on each place the signal last observed there.

    A place without observations of its own takes the village-wide ones (those
    with no place), flagged ``observed_from_village`` so that it is told apart
    from a place someone checked. Only the places whose values change are written.
    """
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


def _office_signal(places: Sequence[Place]) -> bool | None:
    """Whether the village office has a usable signal; None while unobserved.

    Kept apart from the other places because an office without signal makes the
    whole village a blankspot (``_derived_status``).
    """
    office = next((p for p in places if p.kind == Place.Kind.OFFICE), None)
    if office is None or not office.observed_tech:
        return None
    return usable(office.observed_tech)


def _settlement_weights(places: Sequence[Place]) -> tuple[float, float, float]:
    """Settlement weight in all, observed, and observed with a usable signal.

    Settlements are weighed by the people living there, so the blankspot rule and
    the village figures count people rather than places.
    """
    settlements = [p for p in places if p.kind == Place.Kind.SETTLEMENT]
    total = sum(p.weight for p in settlements)
    known = sum(p.weight for p in settlements if p.observed_tech)
    signal = sum(p.weight for p in settlements if usable(p.observed_tech))
    return total, known, signal


def _derived_status(places: Sequence[Place], office_signal: bool | None) -> str:
    """The village's status from its places' observed signal.

    Unknown while no place is observed; a blankspot when the office has no signal
    or more than half the settlement weight is observed without one; covered when
    every observed place has a usable signal, partial when some have none.
    """
    known = [p for p in places if p.observed_tech]
    s_total, s_known, s_signal = _settlement_weights(places)
    if not known:
        return VillageStatus.Status.UNKNOWN
    if office_signal is False or (s_total > 0 and s_known - s_signal > s_total / 2):
        return VillageStatus.Status.BLANKSPOT
    if all(usable(p.observed_tech) for p in known) and len(known) == len(places):
        return VillageStatus.Status.COVERED
    if any(not usable(p.observed_tech) for p in known):
        return VillageStatus.Status.PARTIAL
    return VillageStatus.Status.COVERED


def _status_figures_set(
    status: VillageStatus,
    places: Sequence[Place],
    observations: Sequence[Observation],
) -> None:
    """Copy the village's figures (weights, counts, best technology) onto its
    status row: the villages export reads them from there, one row per village,
    without loading every place."""
    known_techs = [p.observed_tech for p in places if p.observed_tech]
    s_total, s_known, s_signal = _settlement_weights(places)
    economic = [p for p in places if p.kind in Place.ECONOMIC]
    status.best_tech = (
        max(known_techs, key=lambda t: TECH_RANK[t]) if known_techs else ""
    )
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
