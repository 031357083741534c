"""A KIM as the owner of social media accounts (``channels.social``): the KIM's
coordinators and the staff in its region connect and disconnect them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from channels.social.owners import Owner, register_owner_kind
from network import selectors


def _get(owner_id: str) -> Owner | None:
    kim = selectors.kim_get(pk=int(owner_id)) if owner_id.isdigit() else None
    if kim is None:
        return None
    return Owner(
        kind="kim",
        id=str(kim.pk),
        name=kim.name,
        region_code=kim.region_id,
        url=reverse("network:kim_manage", args=[kim.pk]),
    )


def _may_manage(user: Any, owner_id: str) -> bool:
    return owner_id.isdigit() and (
        selectors.kim_get_for_actor(actor=user, pk=int(owner_id)) is not None
    )


def register() -> None:
    register_owner_kind("kim", get=_get, may_manage=_may_manage)
