"""KIMs (community information groups): create and update them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audited_create
from network.models import (
    SOCIAL_NETWORKS,
    Kim,
)
from network.services._common import (
    _changes,
    _check_focus_areas,
    _check_kim_name,
    _check_kim_region,
    _check_not_future,
    _require,
    _require_kim,
    _save,
    clean_phone,
    social_url,
)
from network.uploads import PDF, check_upload
from regions.models import Region

# What a KIM's form edits, in the order the form shows it (network.forms.KimForm);
# KIM_FIELDS adds what is written apart from that list: the maturity level
# (computed, see scoring) and the focus areas (a multiple choice on the form).
KIM_FORM_FIELDS = (
    "name",
    "status",
    "description",
    "address",
    "founded_on",
    "decree_number",
    "decree_date",
    "decree_issuer",
    "email",
    "phone",
    "website",
    *SOCIAL_NETWORKS,
    "lat",
    "lng",
)
KIM_FIELDS = (*KIM_FORM_FIELDS, "level", "focus_areas")


def _apply_kim_fields(kim: Kim, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(KIM_FIELDS) - {"region", "decree_file"}
    if unknown:
        raise TypeError(f"unknown KIM fields: {sorted(unknown)}")
    for key, value in fields.items():
        if key == "decree_file":
            continue
        if key in SOCIAL_NETWORKS:
            value = social_url(key, value or "")
        elif key == "phone":
            value = clean_phone(value) or ""
        elif key == "focus_areas":
            value = _check_focus_areas(value or [])
        elif key in ("name", "address", "decree_number", "decree_issuer"):
            value = (value or "").strip()
        elif value is None and key not in ("lat", "lng", "founded_on", "decree_date"):
            value = ""
        setattr(kim, key, value)
    _check_not_future(kim.founded_on, "founded_on")
    _check_not_future(kim.decree_date, "decree_date")
    decree = fields.get("decree_file")
    if decree:
        check_upload(decree, kinds={PDF}, field="decree_file")
        kim.decree_file = decree


@transaction.atomic
def kim_create(*, actor: User | None, name: str, region: Region, **fields: Any) -> Kim:
    """Register a KIM in a village or district within the actor's scope."""
    _check_kim_region(region)
    _require(actor, "create", "network.kim", region_code=region.kode)
    kim = Kim(region=region)
    _apply_kim_fields(kim, {"name": name, **fields})
    kim.set_codes()
    _check_kim_name(kim)
    audited_create(
        actor, kim, kim.region_id, {"name": kim.name, "region": kim.region_id}
    )
    return kim


@transaction.atomic
def kim_update(*, actor: User | None, kim: Kim, **fields: Any) -> Kim:
    """Change a KIM: staff within their scope, a coordinator only their own KIM.
    Moving a KIM to another region needs the right over both regions."""
    _require_kim(actor, "change", "network.kim", kim)
    region = fields.pop("region", None)
    before = {key: getattr(kim, key) for key in KIM_FIELDS}
    before["region_id"] = kim.region_id
    if region is not None and region.kode != kim.region_id:
        _check_kim_region(region)
        _require(actor, "create", "network.kim", region_code=region.kode)
        kim.region = region
        kim.set_codes()
        kim.activities.update(
            district_code=kim.district_code, regency_code=kim.regency_code
        )
    _apply_kim_fields(kim, fields)
    _check_kim_name(kim)
    _save(kim)
    changes = _changes(before, kim, private=("phone",))
    if fields.get("decree_file"):
        changes["decree_file"] = ["…", kim.decree_file.name]
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=kim,
            region_code=kim.region_id,
            changes=changes,
        )
    return kim
