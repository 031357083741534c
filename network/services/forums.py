"""Forums of KIMs (province and regency level) and their boards."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audited_create
from network.models import (
    BoardMember,
    Forum,
    Kim,
)
from network.services._common import (
    _check_not_future,
    _require,
    _save,
)
from network.services.members import person_find_or_create
from network.uploads import PDF, check_upload
from regions.models import Region

FORUM_LEVELS = frozenset({Region.Level.PROVINCE, Region.Level.REGENCY})


FORUM_FIELDS = (
    "name",
    "description",
    "founded_on",
    "decree_number",
    "decree_date",
    "decree_issuer",
    "inaugurated_on",
    "inauguration_place",
    "inaugurated_by",
    "inauguration_decree",
    "inauguration_event",
    "email",
    "instagram",
    "facebook",
)


@transaction.atomic
def forum_create(
    *, actor: User | None, region: Region, name: str, **fields: Any
) -> Forum:
    """Found the Forum KIM of a kabupaten/kota or of the province."""
    if region.level not in FORUM_LEVELS:
        raise ValidationError(
            {"region": _("A Forum KIM belongs to a regency/city or the province.")}
        )
    _require(actor, "create", "network.forum", region_code=region.kode)
    if Forum.objects.filter(region=region).exists():
        raise ValidationError({"region": _("This region already has a Forum KIM.")})
    forum = Forum(region=region, name=name.strip())
    return _forum_write(actor, forum, fields, AuditEntry.Action.CREATE)


@transaction.atomic
def forum_update(*, actor: User | None, forum: Forum, **fields: Any) -> Forum:
    _require(actor, "change", "network.forum", region_code=forum.region_id)
    return _forum_write(actor, forum, fields, AuditEntry.Action.UPDATE)


def _forum_write(actor: User | None, forum: Forum, fields: dict, action: str) -> Forum:
    kims = fields.pop("kims", None)
    decree = fields.pop("decree_file", None)
    unknown = set(fields) - set(FORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown forum fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(
            forum,
            key,
            ""
            if value is None
            and key
            in (
                "description",
                "decree_number",
                "decree_issuer",
                "inauguration_place",
                "inaugurated_by",
                "inauguration_decree",
                "email",
                "instagram",
                "facebook",
            )
            else value,
        )
    for key in ("founded_on", "decree_date", "inaugurated_on"):
        _check_not_future(getattr(forum, key), key)
    if decree:
        check_upload(decree, kinds={PDF}, field="decree_file")
        forum.decree_file = decree
    _save(forum)
    if kims is not None:
        kims = list(kims)
        outside = [k for k in kims if not forum.region.contains_code(k.region_id)]
        if outside:
            raise ValidationError(
                {
                    "kims": _("%(name)s is outside this forum's region.")
                    % {"name": outside[0].name}
                }
            )
        forum.kims.set(kims)
    audit_record(actor=actor, action=action, obj=forum, region_code=forum.region_id)
    return forum


@transaction.atomic
def board_member_add(
    *,
    actor: User | None,
    forum: Forum,
    full_name: str,
    position: str,
    phone: str | None = None,
    email: str = "",
    title: str = "",
    kim: Kim | None = None,
    order: int = 0,
) -> BoardMember:
    _require(actor, "change", "network.forum", region_code=forum.region_id)
    person, _created = person_find_or_create(
        full_name=full_name, phone=phone, email=email
    )
    if forum.board.filter(person=person).exists():
        raise ValidationError(
            {"full_name": _("This person already sits on the board.")}
        )
    seat = BoardMember(
        forum=forum,
        person=person,
        position=position,
        title=title.strip(),
        kim=kim,
        order=order,
    )
    audited_create(actor, seat, forum.region_id, {"position": position})
    return seat
