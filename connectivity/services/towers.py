"""Towers, their status history and their dossiers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from connectivity.geo import (
    validate_point,
)
from connectivity.models import (
    SitingPlan,
    Tower,
    TowerDossier,
    TowerStatusChange,
)
from connectivity.services._common import _audit, _known_fields, _require
from connectivity.services.coverage import (
    active_dem,
    coverage_refresh_near,
    tower_range_km,
)
from regions.models import Region

_TOWER_FIELDS = (
    "name",
    "lat",
    "lng",
    "owner",
    "operator",
    "programme",
    "technology",
    "band",
    "height_m",
    "power",
    "backhaul",
    "model",
    "environment",
    "terrain",
    "frequency_mhz",
    "eirp_dbm",
    "sensitivity_dbm",
    "source",
    "on_air_at",
)


def _save_with_range(tower: Tower) -> None:
    """Check and save ``tower`` with its range predicted on the active elevation
    model (computed here, so not among the fields checked)."""
    tower.full_clean(exclude=["predicted_range_km"])
    tower.predicted_range_km, tower.predicted_terrain_aware = tower_range_km(
        tower, active_dem()
    )
    tower.save()


@transaction.atomic
def tower_create(
    *,
    actor: User | None,
    region: Region,
    name: str,
    lat: float,
    lng: float,
    owner: str,
    status: str = Tower.Status.PROPOSED,
    plan: SitingPlan | None = None,
    **fields: Any,
) -> Tower:
    _require(actor, "change", "connectivity.tower", region.kode)
    _known_fields(fields, _TOWER_FIELDS)
    validate_point(lat, lng)
    tower = Tower(
        region=region,
        name=name.strip(),
        lat=lat,
        lng=lng,
        owner=owner,
        status=status,
        plan=plan,
        **{k: v for k, v in fields.items() if v is not None},
    )
    _save_with_range(tower)
    TowerDossier.objects.create(tower=tower)
    TowerStatusChange.objects.create(tower=tower, to_status=status, by=actor)
    _audit(actor, AuditEntry.Action.CREATE, tower, region.kode, {"status": status})
    if tower.is_on_air:
        coverage_refresh_near(tower=tower)
    return tower


@transaction.atomic
def tower_update(*, actor: User | None, tower: Tower, **changes: Any) -> Tower:
    _require(actor, "change", "connectivity.tower", tower.region_id)
    _known_fields(changes, _TOWER_FIELDS)
    before = {k: str(getattr(tower, k)) for k in changes}
    for key, value in changes.items():
        if value is not None or key in ("programme", "on_air_at"):
            setattr(tower, key, value)
    validate_point(tower.lat, tower.lng)
    _save_with_range(tower)
    diff = {k: [before[k], str(getattr(tower, k))] for k in changes}
    _audit(actor, AuditEntry.Action.UPDATE, tower, tower.region_id, diff)
    if tower.is_on_air:
        coverage_refresh_near(tower=tower)
    return tower


@transaction.atomic
def tower_status_set(
    *, actor: User | None, tower: Tower, status: str, note: str = ""
) -> Tower:
    """Move a tower along proposed → surveyed → land ready → construction → on air."""
    _require(actor, "change", "connectivity.tower", tower.region_id)
    if status not in Tower.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == tower.status:
        return tower
    previous = tower.status
    tower.status = status
    if status == Tower.Status.ON_AIR and tower.on_air_at is None:
        tower.on_air_at = timezone.localdate()
    tower.save(update_fields=["status", "on_air_at", "updated_at"])
    TowerStatusChange.objects.create(
        tower=tower, from_status=previous, to_status=status, by=actor, note=note[:300]
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        tower,
        tower.region_id,
        {"status": [previous, status]},
    )
    if Tower.Status.ON_AIR in (status, previous):
        coverage_refresh_near(tower=tower)
    return tower


# What a tower's dossier records (the form connectivity.forms.DossierForm edits
# these, in this order).
DOSSIER_FIELDS = (
    "land_status",
    "land_width_m",
    "land_length_m",
    "land_owner",
    "land_letter",
    "access",
    "access_notes",
    "power_available",
    "request_letter",
    "support_letter",
    "notes",
)


@transaction.atomic
def tower_dossier_update(
    *, actor: User | None, tower: Tower, **changes: Any
) -> TowerDossier:
    _require(actor, "change", "connectivity.tower", tower.region_id)
    _known_fields(changes, DOSSIER_FIELDS)
    dossier, _created = TowerDossier.objects.get_or_create(tower=tower)
    for key, value in changes.items():
        if value is not None:
            setattr(dossier, key, value)
    dossier.full_clean()
    dossier.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        dossier,
        tower.region_id,
        {k: str(v) for k, v in changes.items() if v is not None and k != "notes"},
    )
    return dossier
