from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.context import client_ip, current_request
from accounts.models import ApiToken, AuditEntry, Role, User
from accounts.permissions import ASSIGNABLE_ROLES, ROLE_REGION_LEVELS, can, in_scope
from accounts.phones import InvalidPhoneNumber, normalize_phone
from regions.models import Region


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the audit log (the client IP comes from the request)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=str(actor_obj) if actor_obj else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        region_code=region_code,
        changes=changes or {},
        ip=client_ip(current_request.get()),
    )


def audited_update(
    actor: User | None,
    obj: models.Model,
    region_code: str = "",
    changes: dict[str, Any] | None = None,
    *,
    action: str = AuditEntry.Action.UPDATE,
    **entry: Any,
) -> None:
    """Validate and save ``obj`` and log the change: the last step of most service
    writes; ``entry`` adds to the log entry (``object_repr``)."""
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        region_code=region_code,
        changes=changes,
        **entry,
    )


# The same for a new object: logs its creation.
audited_create = partial(audited_update, action=AuditEntry.Action.CREATE)


def _clean_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    try:
        return normalize_phone(phone)
    except InvalidPhoneNumber:
        raise ValidationError(
            {"phone": _("Enter a valid phone number, e.g. 0812 3456 7890.")}
        ) from None


def _check_role_region(role: str, region: Region | None) -> None:
    if region is None:
        raise ValidationError({"region": _("Choose the region this account works in.")})
    if region.level not in ROLE_REGION_LEVELS.get(role, frozenset()):
        raise ValidationError(
            {"region": _("This role cannot be bound to a region of this level.")}
        )


def _check_actor(actor: User, role: str, region: Region) -> None:
    if actor.is_superuser:
        return
    if role not in ASSIGNABLE_ROLES.get(actor.role, frozenset()):
        raise PermissionDenied(_("You may not give this role."))
    if not in_scope(actor, region.kode):
        raise PermissionDenied(_("This region is outside your area."))


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    region: Region | None,
    phone: str | None = None,
    password: str | None = None,
) -> User:
    """Create an account. ``actor`` None means the system (commands, demo data)."""
    if actor is not None:
        if not can(actor, "create", "accounts.user"):
            raise PermissionDenied
        if region is not None:
            _check_actor(actor, role, region)
    _check_role_region(role, region)
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name.strip(),
        role=role,
        region=region,
        phone=_clean_phone(phone),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        region_code=region.kode if region else "",
        changes={"role": role, "region": region.kode if region else None},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str | None = None,
    role: str | None = None,
    region: Region | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change an account within the actor's scope; records the changes in the log."""
    if not can(actor, "change", "accounts.user", region_code=user.region_id):
        raise PermissionDenied
    new_role = role if role is not None else user.role
    new_region = region if region is not None else user.region
    if (role is not None and role != user.role) or (
        region is not None and region.kode != user.region_id
    ):
        if new_region is None:
            raise ValidationError({"region": _("Choose a region.")})
        _check_actor(actor, new_role, new_region)
        _check_role_region(new_role, new_region)
    if user.pk == actor.pk and is_active is False:
        raise ValidationError(
            {"is_active": _("You cannot deactivate your own account.")}
        )
    before = {
        "full_name": user.full_name,
        "role": user.role,
        "region": user.region_id,
        "phone": user.phone,
        "is_active": user.is_active,
    }
    if full_name is not None:
        user.full_name = full_name.strip()
    user.role = new_role
    user.region = new_region
    if phone is not None:
        user.phone = _clean_phone(phone)
    if is_active is not None:
        user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    after = {
        "full_name": user.full_name,
        "role": user.role,
        "region": user.region_id,
        "phone": user.phone,
        "is_active": user.is_active,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if "phone" in changes:
        changes["phone"] = ["…", "…"]  # personal data stays out of the log
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            region_code=user.region_id or "",
            changes=changes,
        )
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the full key, which is shown only once."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or "API",
        prefix=prefix,
        key_hash=ApiToken.hash_secret(secret),
    )
    token.full_clean()
    token.save()
    audit_record(actor=user, action=AuditEntry.Action.CREATE, obj=token)
    return token, f"smp_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action=AuditEntry.Action.DELETE, obj=token)


def api_token_authenticate(*, key: str) -> User | None:
    """The active user behind a bearer key, or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "smp":
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(
        token.key_hash, ApiToken.hash_secret(parts[2])
    ):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


DEMO_ACCOUNTS: list[tuple[str, str, str, str]] = [
    # (email, name, role, region code)
    ("provinsi@demo.simpul.id", "Admin Diskominfo Kaltim", Role.PROVINCE_ADMIN, "64"),
    ("kukar@demo.simpul.id", "Admin Diskominfo Kukar", Role.REGENCY_ADMIN, "64.02"),
    ("berau@demo.simpul.id", "Admin Diskominfo Berau", Role.REGENCY_ADMIN, "64.03"),
    (
        "tenggarong@demo.simpul.id",
        "Operator Kecamatan Tenggarong",
        Role.DISTRICT_OPERATOR,
        "64.02.06",
    ),
    ("koordinator@demo.simpul.id", "Koordinator KIM", Role.KIM_COORDINATOR, "64.02.06"),
    ("anggota@demo.simpul.id", "Anggota KIM", Role.KIM_MEMBER, "64.02.06"),
    ("cekfakta@demo.simpul.id", "Pemeriksa Fakta", Role.FACT_CHECKER, "64"),
    ("redaksi@demo.simpul.id", "Editor Kukar", Role.EDITOR, "64.02"),
]


def demo_accounts_ensure() -> list[tuple[str, str, str]]:
    """Create the demo accounts that are missing; returns (email, password, role)
    for those created now, so their passwords can be shown once."""
    created: list[tuple[str, str, str]] = []
    for email, name, role, kode in DEMO_ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        region = Region.objects.filter(kode=kode).first()
        if region is None:
            continue
        password = secrets.token_urlsafe(9)
        user_create(
            actor=None,
            email=email,
            full_name=name,
            role=role,
            region=region,
            password=password,
        )
        created.append((email, password, role))
    return created


def audit_prune(*, older_than_days: int) -> int:
    """Delete audit entries older than the retention period; returns how many.

    The log holds personal data (names, IP addresses), which Indonesia's personal
    data protection law (UU 27/2022) says must not be kept longer than needed.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
