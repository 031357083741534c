"""Helpers shared by the connectivity writes: permission, village and audit checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can
from accounts.services import audit_record
from connectivity import conf
from connectivity.models import (
    TECH_RANK,
)
from regions.models import Region


def _require(
    actor: User | None, action: str, resource: str, region_code: str | None
) -> None:
    """System calls (actor None) may do anything; users need the rule and scope."""
    if actor is None:
        return
    if not can(actor, action, resource, region_code=region_code):
        raise PermissionDenied(_("You may not do this in this region."))


def _known_fields(given: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse keyword arguments a service does not write: a caller's typo must not
    pass silently (a TypeError, as for any unexpected keyword)."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _village(region: Region) -> Region:
    if region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("Choose a village (desa/kelurahan).")})
    return region


def _audit(
    actor: User | None,
    action: str,
    obj: Any,
    region_code: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, region_code=region_code, changes=changes
    )


def usable(tech: str) -> bool:
    """Whether an observed technology counts as a usable signal."""
    return bool(tech) and TECH_RANK[tech] >= TECH_RANK[conf.usable_min_tech()]
