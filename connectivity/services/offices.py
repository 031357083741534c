"""Place weights and the village offices every village gets by default."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from connectivity import conf
from connectivity.models import (
    SYSTEM_SOURCE_DEFAULT,
    Place,
)
from connectivity.services._common import _village
from regions.models import Region
from regions.selectors import subtree_q


def place_default_weight(
    *, kind: str, households: int | None = None, population: int | None = None
) -> float:
    """The weight of a place of ``kind`` (``connectivity.conf`` documents them)."""
    weights = conf.place_weights()
    if kind == Place.Kind.SETTLEMENT:
        people = population
        if people is None and households is not None:
            people = round(households * conf.PEOPLE_PER_HOUSEHOLD)
        if people:
            return round(max(people / conf.SETTLEMENT_PEOPLE_PER_WEIGHT, 0.1), 2)
    return float(weights.get(kind, weights["other"]))


def village_office_ensure(*, region: Region) -> Place | None:
    """The village's office place, created at its representative point if missing;
    None for a village without a point (the national list has no coordinates):
    a place guessed elsewhere would skew coverage."""
    _village(region)
    office = Place.objects.filter(region=region, kind=Place.Kind.OFFICE).first()
    if office is not None or region.rep_lat is None or region.rep_lng is None:
        return office
    office = Place(
        region=region,
        kind=Place.Kind.OFFICE,
        name=_("Office of %(name)s") % {"name": region.name},
        lat=region.rep_lat,
        lng=region.rep_lng,
        weight=place_default_weight(kind=Place.Kind.OFFICE),
        source=SYSTEM_SOURCE_DEFAULT,
        at_default_location=True,
    )
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def village_offices_ensure(*, region: Region) -> int:
    """Offices for every village in ``region`` that has none; returns how many."""
    villages = Region.objects.filter(
        subtree_q(region.kode, "kode"),
        level=Region.Level.VILLAGE,
        rep_lat__isnull=False,
        rep_lng__isnull=False,
    ).exclude(connectivity_places__kind=Place.Kind.OFFICE)
    weight = place_default_weight(kind=Place.Kind.OFFICE)
    new = [
        Place(
            region=v,
            kind=Place.Kind.OFFICE,
            name=_("Office of %(name)s") % {"name": v.name},
            lat=v.point[0],
            lng=v.point[1],
            weight=weight,
            source=SYSTEM_SOURCE_DEFAULT,
            at_default_location=True,
        )
        for v in villages
    ]
    Place.objects.bulk_create(new, batch_size=500)
    return len(new)
