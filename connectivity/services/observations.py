"""Observations of signal and the public "no signal here" reports."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can
from connectivity.geo import (
    geometry_contains,
    haversine_km,
    validate_point,
)
from connectivity.models import (
    Observation,
    Place,
)
from connectivity.services._common import _audit, _require, _village
from connectivity.services.status import village_status_refresh
from regions.models import Region, RegionBoundary


def village_for_point(*, lat: float, lng: float) -> Region | None:
    """The village containing a point (by its boundary), else the nearest village
    whose representative point is within 15 km."""
    box = 0.15
    near = list(
        Region.objects.filter(
            level=Region.Level.VILLAGE,
            rep_lat__range=(lat - box, lat + box),
            rep_lng__range=(lng - box, lng + box),
        )
    )
    if not near:
        near = list(
            Region.objects.filter(
                level=Region.Level.VILLAGE,
                rep_lat__range=(lat - 0.5, lat + 0.5),
                rep_lng__range=(lng - 0.5, lng + 0.5),
            )
        )
    if not near:
        return None
    near.sort(key=lambda r: haversine_km(lat, lng, *r.point))
    shapes = dict(
        RegionBoundary.objects.filter(region__in=near[:40]).values_list(
            "region_id", "geometry"
        )
    )
    for village in near[:40]:
        if geometry_contains(shapes.get(village.kode), lat, lng):
            return village
    nearest = near[0]
    if haversine_km(lat, lng, *nearest.point) <= 15:
        return nearest
    return None


@transaction.atomic
def observation_create(
    *,
    actor: User | None,
    region: Region,
    technology: str,
    method: str,
    place: Place | None = None,
    operator: str = "",
    service: str = Observation.Service.ANY,
    observed_at: dt.datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    note: str = "",
    source: str = "",
    idempotency_key: str | None = None,
) -> Observation:
    """Record the signal seen at a place or in a village.

    Staff (who may confirm) record confirmed observations; a KIM member's entry is
    an unconfirmed report until staff confirm it.
    """
    _village(region)
    _require(actor, "add", "connectivity.observation", region.kode)
    if place is not None and place.region_id != region.kode:
        raise ValidationError({"place": _("This place is in another village.")})
    if lat is not None or lng is not None:
        validate_point(lat, lng)
    if observed_at is not None and observed_at > timezone.now() + dt.timedelta(
        minutes=5
    ):
        raise ValidationError({"observed_at": _("The time is in the future.")})
    if idempotency_key:
        found = Observation.objects.filter(idempotency_key=idempotency_key).first()
        if found is not None:
            return found
    confirmed = actor is None or can(
        actor, "confirm", "connectivity.observation", region_code=region.kode
    )
    obs = Observation(
        region=region,
        place=place,
        technology=technology,
        operator=operator,
        service=service,
        observed_at=observed_at or timezone.now(),
        method=method,
        status=(
            Observation.Status.CONFIRMED
            if confirmed
            else Observation.Status.UNCONFIRMED
        ),
        lat=lat,
        lng=lng,
        note=note.strip(),
        source=source,
        observer=actor,
        idempotency_key=idempotency_key or None,
        reviewed_by=actor if confirmed and actor is not None else None,
        reviewed_at=timezone.now() if confirmed and actor is not None else None,
    )
    obs.full_clean()
    obs.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        obs,
        region.kode,
        {"technology": technology, "method": method, "status": obs.status},
    )
    if obs.status == Observation.Status.CONFIRMED:
        village_status_refresh(region=region)
    return obs


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    idempotency_key: str,
    region: Region | None = None,
    lat: float | None = None,
    lng: float | None = None,
    technology: str = "none",
    operator: str = "",
    service: str = Observation.Service.ANY,
    note: str = "",
    observed_at: dt.datetime | None = None,
) -> tuple[Observation, bool]:
    """A "no signal here" report from the public page; returns (report, created).

    The same ``idempotency_key`` sent again (an offline phone resending) returns the
    first report. Reports stay unconfirmed until staff confirm them.
    """
    key = idempotency_key.strip()
    if not key or len(key) > 64:
        raise ValidationError({"idempotency_key": _("A report key is required.")})
    found = Observation.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found, False
    if lat is not None or lng is not None:
        validate_point(lat, lng)
    if region is None:
        if lat is None or lng is None:
            raise ValidationError(
                {"region": _("Choose your village or share your location.")}
            )
        assert lng is not None
        region = village_for_point(lat=lat, lng=lng)
        if region is None:
            raise ValidationError(
                {"lat": _("No village of Kalimantan Timur is near this location.")}
            )
    _village(region)
    if observed_at is not None:
        now = timezone.now()
        observed_at = min(observed_at, now)
        if observed_at < now - dt.timedelta(days=30):
            observed_at = now
    obs = Observation(
        region=region,
        technology=technology,
        operator=operator,
        service=service,
        observed_at=observed_at or timezone.now(),
        method=Observation.Method.CITIZEN,
        status=Observation.Status.UNCONFIRMED,
        lat=lat,
        lng=lng,
        note=note.strip()[:500],
        source=_("public report page"),
        observer=actor if actor is not None and actor.is_authenticated else None,
        idempotency_key=key,
    )
    obs.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            obs.save()
    except IntegrityError:
        # The same report sent twice at once (the page and the service worker both
        # sending on reconnect): the first one stored is the report.
        return Observation.objects.get(idempotency_key=key), False
    return obs, True


@transaction.atomic
def observation_review(
    *, actor: User, observation: Observation, confirm: bool, place: Place | None = None
) -> Observation:
    """Staff confirm (or reject) a report; only confirmed ones count."""
    _require(actor, "confirm", "connectivity.observation", observation.region_id)
    if place is not None:
        if place.region_id != observation.region_id:
            raise ValidationError({"place": _("This place is in another village.")})
        observation.place = place
    observation.status = (
        Observation.Status.CONFIRMED if confirm else Observation.Status.REJECTED
    )
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation.full_clean()
    observation.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        observation,
        observation.region_id,
        {"status": observation.status},
    )
    village_status_refresh(region=observation.region)
    return observation
