"""Helpers shared by the network writes: phone and link checks, permission checks,
change diffs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can
from accounts.phones import InvalidPhoneNumber, normalize_phone
from network.models import (
    SOCIAL_NETWORKS,
    FocusArea,
    Kim,
)
from network.selectors import is_kim_coordinator
from regions.models import Region

KIM_LEVELS = frozenset({Region.Level.VILLAGE, Region.Level.DISTRICT})


def clean_phone(raw: str | None, *, field: str = "phone") -> str | None:
    """E.164 or None for an empty value; ValidationError on ``field`` otherwise."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return normalize_phone(str(raw))
    except InvalidPhoneNumber:
        raise ValidationError(
            {field: _("Enter a valid phone number, e.g. 0812 3456 7890.")}
        ) from None


def social_url(network: str, value: str) -> str:
    """A social-media account as a URL: ``@kimjahab`` → its Instagram URL, …"""
    value = (value or "").strip()
    if not value or value.startswith(("http://", "https://")):
        return value
    return SOCIAL_NETWORKS[network] + value.lstrip("@")


def _check_not_future(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_kim_region(region: Region | None) -> None:
    if region is None or region.level not in KIM_LEVELS:
        raise ValidationError(
            {"region": _("A KIM belongs to a village (desa/kelurahan) or a district.")}
        )
    if region.retired_at is not None:
        raise ValidationError(
            {"region": _("This region code is no longer in Kemendagri's list.")}
        )


def _check_focus_areas(values: Iterable[str]) -> list[str]:
    areas = list(dict.fromkeys(v for v in values if v))
    bad = [v for v in areas if v not in FocusArea.values]
    if bad:
        raise ValidationError(
            {"focus_areas": _("Unknown focus area: %(v)s") % {"v": ", ".join(bad)}}
        )
    return areas


def _check_links(links: Iterable[str]) -> list[str]:
    check = URLValidator(schemes=["http", "https"])
    cleaned = [link.strip() for link in links if link and link.strip()]
    for link in cleaned:
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                {"links": _("Not a web address: %(v)s") % {"v": link[:100]}}
            ) from None
    return cleaned[:20]


def _changes(before: dict[str, Any], obj: Any, private: Iterable[str] = ()) -> dict:
    out: dict[str, Any] = {}
    for key, old in before.items():
        new = getattr(obj, key)
        if old != new:
            out[key] = ["…", "…"] if key in private else [str(old), str(new)]
    return out


def _save(obj: Any, **clean: Any) -> None:
    obj.full_clean(**clean)
    obj.save()


def _check_kim_name(kim: Kim) -> None:
    same = Kim.objects.filter(region_id=kim.region_id, name__iexact=kim.name)
    if kim.pk:
        same = same.exclude(pk=kim.pk)
    if same.exists():
        raise ValidationError(
            {"name": _("This village/district already has a KIM with this name.")}
        )


def _require(actor: User | None, action: str, resource: str, **kwargs: Any) -> None:
    if actor is None:
        return
    if not can(actor, action, resource, **kwargs):
        raise PermissionDenied(_("You may not do this here."))


def _require_kim(actor: User | None, action: str, resource: str, kim: Kim) -> None:
    if actor is None:
        return
    _require(
        actor,
        action,
        resource,
        region_code=kim.region_id,
        is_own=is_kim_coordinator(actor, kim),
    )
