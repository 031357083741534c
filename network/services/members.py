"""People and their membership of KIMs."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audited_create
from network.models import (
    Kim,
    Membership,
    Participant,
    Person,
)
from network.selectors.members import records_of_phone
from network.services._common import (
    _changes,
    _check_not_future,
    _require_kim,
    _save,
    clean_phone,
)
from regions.selectors import subtree_q


def person_find_or_create(
    *, full_name: str, phone: str | None, email: str = "", public_contact: bool = False
) -> tuple[Person, bool]:
    """The person with this phone number, or a new person (phones identify people;
    without a phone a new record is made)."""
    e164 = clean_phone(phone)
    if e164:
        person = Person.objects.filter(phone=e164).first()
        if person is not None:
            return person, False
    person = Person(
        full_name=" ".join(full_name.split()),
        phone=e164,
        email=(email or "").strip().lower(),
        public_contact=public_contact,
    )
    _save(person, validate_unique=False)
    return person, True


def person_for_province(
    *, full_name: str, phone: str | None, email: str = "", province: str
) -> Person:
    """The person who signs up for something of ``province`` (an event): the
    person with this phone, unless that person belongs to another province's
    KIMs only; then a new person of this province, with the name and email as
    given but no phone (one phone is one person record).

    Linking would show this province's staff the other province's record of
    the person (name, email, memberships) to anyone who types a known phone,
    and let their check-ins and certificates be issued in that record's name.
    Refusing would turn away a real person who simply lives elsewhere, so the
    sign-up is kept on a record of its own."""
    e164 = clean_phone(phone)
    existing = Person.objects.filter(phone=e164).first() if e164 else None
    if existing is None or not _only_in_other_provinces(existing, province):
        return person_find_or_create(full_name=full_name, phone=e164, email=email)[0]
    person = Person(
        full_name=" ".join(full_name.split()),
        phone=None,
        email=(email or "").strip().lower(),
    )
    _save(person, validate_unique=False)
    return person


def _only_in_other_provinces(person: Person, province: str) -> bool:
    """Whether ``person`` is a KIM member somewhere, and nowhere in ``province``
    (the rule of the spreadsheet import: someone in both provinces is one
    person in each)."""
    provinces = {
        code[:2]
        for code in person.memberships.values_list("kim__regency_code", flat=True)
    }
    return bool(provinces) and province not in provinces


def _in_another_province(person: Person, kim: Kim) -> bool:
    """Whether ``person`` is a member of a KIM outside ``kim``'s province. One
    phone is one person across the deployment, but each province's staff keep
    their own members' details: another province's staff must neither read
    (by typing a known phone) nor change them."""
    province = kim.regency_code.split(".")[0]
    return person.memberships.exclude(subtree_q(province, "kim__regency_code")).exists()


OTHER_PROVINCE = gettext_lazy(
    "This phone number belongs to a KIM member in another province; that "
    "province's staff keep their details."
)


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    kim: Kim,
    full_name: str,
    phone: str | None = None,
    email: str = "",
    role: str = Membership.Role.ANGGOTA,
    joined_on: date | None = None,
    is_coordinator: bool = False,
    public_contact: bool = False,
) -> Membership:
    """Add a member to a KIM. The same person (same phone) cannot be added twice,
    nor can a name without phone that the KIM already has."""
    _require_kim(actor, "change", "network.member", kim)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter the member's name.")})
    _check_not_future(joined_on, "joined_on")
    e164 = clean_phone(phone)
    if e164 and kim.memberships.filter(person__phone=e164).exists():
        raise ValidationError(
            {"phone": _("This person is already a member of this KIM.")}
        )
    if (
        not e164
        and kim.memberships.filter(person__full_name__iexact=full_name).exists()
    ):
        raise ValidationError(
            {"full_name": _("A member with this name is already in this KIM.")}
        )
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    existing = Person.objects.filter(phone=e164).first() if e164 else None
    if existing is not None and _in_another_province(existing, kim):
        raise ValidationError({"phone": OTHER_PROVINCE})
    if (
        role == Membership.Role.KETUA
        and kim.memberships.filter(role=role, left_on__isnull=True).exists()
    ):
        raise ValidationError({"role": _("This KIM already has a chair.")})
    person, created = person_find_or_create(
        full_name=full_name, phone=e164, email=email, public_contact=public_contact
    )
    if not created:
        changed = False
        if email and not person.email:
            person.email = email.strip().lower()
            changed = True
        if public_contact and not person.public_contact:
            person.public_contact = True
            changed = True
        if changed:
            _save(person, validate_unique=False)
    membership = Membership(
        kim=kim,
        person=person,
        role=role,
        joined_on=joined_on,
        is_coordinator=is_coordinator,
    )
    audited_create(
        actor,
        membership,
        kim.region_id,
        {"role": role},
        object_repr=f"{kim.name}: {membership.get_role_display()}",
    )
    return membership


@transaction.atomic
def member_update(
    *,
    actor: User | None,
    membership: Membership,
    full_name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    role: str | None = None,
    joined_on: date | None = None,
    left_on: date | None = None,
    is_coordinator: bool | None = None,
    public_contact: bool | None = None,
) -> Membership:
    """Change a membership and the person's contact details (``phone=""`` clears
    the phone; ``None`` keeps it)."""
    kim = membership.kim
    _require_kim(actor, "change", "network.member", kim)
    person = membership.person
    before_m = {
        "role": membership.role,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        "is_coordinator": membership.is_coordinator,
    }
    before_p = {
        "full_name": person.full_name,
        "phone": person.phone,
        "email": person.email,
        "public_contact": person.public_contact,
    }
    if full_name is not None:
        person.full_name = " ".join(full_name.split())
    if phone is not None:
        e164 = clean_phone(phone)
        if e164 and Person.objects.filter(phone=e164).exclude(pk=person.pk).exists():
            raise ValidationError(
                {"phone": _("Another person already has this phone number.")}
            )
        person.phone = e164
    if email is not None:
        person.email = email.strip().lower()
    if public_contact is not None:
        person.public_contact = public_contact
    if role is not None:
        membership.role = role
    if joined_on is not None:
        _check_not_future(joined_on, "joined_on")
        membership.joined_on = joined_on
    if left_on is not None:
        _check_not_future(left_on, "left_on")
        membership.left_on = left_on
    if is_coordinator is not None:
        membership.is_coordinator = is_coordinator
    if any(
        before_p[name] != getattr(person, name) for name in before_p
    ) and _in_another_province(person, kim):
        raise ValidationError({"full_name": OTHER_PROVINCE})
    if (
        membership.role == Membership.Role.KETUA
        and membership.left_on is None
        and kim.memberships.filter(role=Membership.Role.KETUA, left_on__isnull=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": _("This KIM already has a chair.")})
    _save(person)
    _save(membership)
    changes = _changes(before_m, membership)
    changes.update(_changes(before_p, person, private=("phone", "email", "full_name")))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=membership,
            object_repr=f"{kim.name}: {membership.get_role_display()}",
            region_code=kim.region_id,
            changes=changes,
        )
    return membership


@transaction.atomic
def person_link_user(
    *, actor: User | None, person: Person, user: User | None
) -> Person:
    """Link a person to a sign-in account (a coordinator's account), or unlink."""
    person.user = user
    _save(person)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=person,
        object_repr=_("person #%(pk)s") % {"pk": person.pk},
        changes={"user": user.pk if user else None},
    )
    return person


# --- a phone number's own requests (channels' DATA and HAPUS) ----------------------
PHONE_CHANNELS = ("whatsapp", "sms")


def phone_data_summary(*, channel: str, address: str) -> list[str]:
    """What the KIM network keeps under this number (answer to "DATA")."""
    if channel not in PHONE_CHANNELS:
        return []
    records = records_of_phone(phone=address)
    lines = []
    if records.kims:
        lines.append(_("KIM member: %(kims)s") % {"kims": ", ".join(records.kims)})
    if records.forums:
        lines.append(
            _("Forum KIM board: %(forums)s") % {"forums": ", ".join(records.forums)}
        )
    if records.sign_ups:
        lines.append(_("Event sign-ups: %(count)d") % {"count": records.sign_ups})
    return lines


@transaction.atomic
def phone_erase(*, channel: str, address: str) -> int:
    """Erase a phone number from the network (after "HAPUS"; channels calls this
    as network's eraser): the number leaves the person's record and every
    sign-up that kept it. The memberships and attendance stay, held by the KIM
    and the organisers, without the number. Returns the number of rows changed."""
    if channel not in PHONE_CHANNELS or not address:
        return 0
    erased = 0
    # One person at most (phones are unique). Updated without validating the
    # whole record: an old record's other field must never block an erasure.
    person = Person.objects.filter(phone=address).first()
    if person is not None:
        Person.objects.filter(pk=person.pk).update(phone=None)
        audit_record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=person,
            object_repr=_("person #%(pk)s") % {"pk": person.pk},
            changes={"phone": ["…", "…"]},
        )
        erased = 1
    return erased + Participant.objects.filter(contact_phone=address).update(
        contact_phone=""
    )
