"""Reads of KIM members and coordinators: personal data, behind the permission
layer or for trusted back-end code (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from accounts.permissions import can
from network.models import Kim, Membership, Participant, Person
from network.selectors._common import region_q
from network.selectors.kims import is_kim_coordinator
from regions.models import Region

if TYPE_CHECKING:
    from network.selectors._common import AnyUser


def can_see_members(actor: AnyUser, kim: Kim) -> bool:
    """Staff in scope and the KIM's coordinator see members' personal data."""
    return can(
        actor,
        "view",
        "network.member",
        region_code=kim.region_id,
        is_own=is_kim_coordinator(actor, kim),
    )


def kim_members(
    *, actor: AnyUser, kim: Kim, include_former: bool = False
) -> QuerySet[Membership]:
    """Members of a KIM with their personal data, if ``actor`` may see them;
    otherwise an empty queryset."""
    if not can_see_members(actor, kim):
        return Membership.objects.none()
    members = kim.memberships.select_related("person")
    if not include_former:
        members = members.filter(left_on__isnull=True)
    return members.order_by("role", "person__full_name")


def kim_member_count(*, kim: Kim) -> int:
    return kim.memberships.filter(left_on__isnull=True).count()


@dataclass(frozen=True)
class CoordinatorContact:
    kim_id: int
    kim_name: str
    region_code: str
    name: str
    role: str
    phone: str | None
    email: str
    user_id: int | None
    public: bool


def kim_public_contacts(*, kim: Kim) -> list[CoordinatorContact]:
    """The chair's/coordinators' contacts that they agreed to show publicly."""
    return kim_coordinators_contacts(kim_ids=[kim.pk], public_only=True)


def kim_coordinators_contacts(
    *,
    region_codes: Iterable[str] = (),
    kim_ids: Iterable[int] | None = None,
    public_only: bool = False,
    active_kims_only: bool = False,
) -> list[CoordinatorContact]:
    """Contacts (personal data) of the chairs and coordinators of the KIMs in
    ``region_codes`` (or of ``kim_ids``). ``public_only`` keeps those who agreed to
    a public contact. For trusted back-end use (e.g. dissemination tasks)."""
    members = Membership.objects.filter(
        Q(role=Membership.Role.KETUA) | Q(is_coordinator=True),
        left_on__isnull=True,
    ).select_related("person", "kim")
    codes = [c for c in region_codes if c]
    if codes:
        match = Q()
        for code in codes:
            match |= region_q(code, "kim__region_id", kim_prefix="kim__")
        members = members.filter(match)
    if kim_ids is not None:
        members = members.filter(kim_id__in=list(kim_ids))
    elif not codes:
        return []
    if public_only:
        members = members.filter(person__public_contact=True)
    if active_kims_only:
        members = members.filter(kim__status=Kim.Status.ACTIVE)
    return [
        CoordinatorContact(
            kim_id=m.kim_id,
            kim_name=m.kim.name,
            region_code=m.kim.region_id,
            name=m.person.full_name,
            role=m.role,
            phone=m.person.phone,
            email=m.person.email,
            user_id=m.person.user_id,
            public=m.person.public_contact,
        )
        for m in members.order_by("kim__name", "role", "pk")
    ]


def kim_members_for_regions(
    *,
    region_codes: Iterable[str],
    roles: Iterable[str] | None = None,
    active_kims_only: bool = True,
) -> QuerySet[Membership]:
    """Active memberships (with ``person`` and ``kim`` loaded: personal data) of
    the KIMs in ``region_codes``, optionally limited to ``roles``. For trusted
    back-end use, e.g. sending a verdict or an article to the KIMs of a regency."""
    match = Q()
    codes = [c for c in region_codes if c]
    if not codes:
        return Membership.objects.none()
    for code in codes:
        match |= region_q(code, "kim__region_id", kim_prefix="kim__")
    members = Membership.objects.filter(match, left_on__isnull=True).select_related(
        "person", "kim"
    )
    if roles is not None:
        members = members.filter(role__in=list(roles))
    if active_kims_only:
        members = members.filter(kim__status=Kim.Status.ACTIVE)
    return members.order_by("kim_id", "role", "pk")


def member_region_by_phone(*, phone: str) -> Region | None:
    """The village (or other region) of the KIM that the person with this
    phone number (E.164) is a current member of; ``None`` when they are not a
    member.  For the fact-check tipline: a member's tip counts for their KIM's
    region.  With several memberships, the oldest counts."""
    if not phone:
        return None
    membership = (
        Membership.objects.filter(
            person__phone=phone, left_on__isnull=True, kim__region__isnull=False
        )
        .select_related("kim__region")
        .order_by(F("joined_on").asc(nulls_last=True), "pk")
        .first()
    )
    return membership.kim.region if membership is not None else None


def member_provinces_by_phone(phones: Iterable[str]) -> dict[str, set[str]]:
    """``{phone: codes of the provinces whose KIMs it is a member of}``."""
    found: dict[str, set[str]] = {}
    wanted = sorted(set(phones))
    for start in range(0, len(wanted), 500):
        for phone, regency in Membership.objects.filter(
            person__phone__in=wanted[start : start + 500]
        ).values_list("person__phone", "kim__regency_code"):
            if phone:
                found.setdefault(phone, set()).add(regency[:2])
    return found


@dataclass(frozen=True)
class PhoneRecords:
    """What the network keeps under one phone number."""

    kims: list[str]
    forums: list[str]
    sign_ups: int


def records_of_phone(*, phone: str) -> PhoneRecords:
    """For the person's own "DATA" request, which channels answers to that
    number only (trusted back-end code: no permission check)."""
    person = Person.objects.filter(phone=phone).first() if phone else None
    sign_ups = Participant.objects.filter(contact_phone=phone).count() if phone else 0
    if person is None:
        return PhoneRecords(kims=[], forums=[], sign_ups=sign_ups)
    return PhoneRecords(
        kims=list(
            person.memberships.filter(left_on__isnull=True)
            .order_by("kim__name")
            .values_list("kim__name", flat=True)
        ),
        forums=list(
            person.board_seats.order_by("forum__name").values_list(
                "forum__name", flat=True
            )
        ),
        sign_ups=sign_ups + person.participations.count(),
    )
