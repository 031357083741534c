"""Who may own a social account. Channels imports no domain app, so the apps
register their owner kinds from their ``hooks.py`` (network registers "kim");
channels registers "office" (a Diskominfo office is a region) itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Owner:
    kind: str
    id: str
    name: str
    region_code: str
    url: str  # the owner's page, where its accounts are shown


@dataclass(frozen=True)
class OwnerKind:
    kind: str
    # (owner id) → Owner, or None when there is no such owner.
    get: Callable[[str], Owner | None]
    # (user, owner id) → may this person connect and disconnect its accounts?
    may_manage: Callable[[Any, str], bool]


_kinds: dict[str, OwnerKind] = {}


def register_owner_kind(
    kind: str,
    *,
    get: Callable[[str], Owner | None],
    may_manage: Callable[[Any, str], bool],
) -> None:
    _kinds[kind] = OwnerKind(kind=kind, get=get, may_manage=may_manage)


def owner_get(kind: str, owner_id: str) -> Owner | None:
    entry = _kinds.get(kind)
    return entry.get(owner_id) if entry else None


def may_manage(user: Any, kind: str, owner_id: str) -> bool:
    entry = _kinds.get(kind)
    return bool(entry and user.is_authenticated and entry.may_manage(user, owner_id))


def _office_get(owner_id: str) -> Owner | None:
    from django.urls import reverse

    from regions.models import Region

    region = Region.objects.filter(kode=owner_id).first()
    if region is None:
        return None
    return Owner(
        kind="office",
        id=region.kode,
        name=f"Diskominfo {region.name}",
        region_code=region.kode,
        url=reverse("channels:social_office", args=[region.kode]),
    )


def _office_may_manage(user: Any, owner_id: str) -> bool:
    """A Diskominfo admin of that region (or above)."""
    from accounts.models import Role
    from accounts.permissions import in_scope

    return (
        user.is_superuser or user.role in (Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN)
    ) and in_scope(user, owner_id)


def register_defaults() -> None:
    register_owner_kind("office", get=_office_get, may_manage=_office_may_manage)
