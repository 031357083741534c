"""Events: speakers, materials, participants and attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audited_create
from network import selectors, venue_code
from network.models import (
    Attendance,
    Event,
    EventMaterial,
    Kim,
    Participant,
    Speaker,
)
from network.services._common import _require, _save, clean_phone
from network.services.members import person_for_province
from network.uploads import IMAGE, PDF, check_upload

EVENT_FIELDS = (
    "kind",
    "title",
    "theme",
    "description",
    "region",
    "organiser_region",
    "organiser_forum",
    "organisers",
    "opened_by",
    "venue",
    "address",
    "online_url",
    "starts_at",
    "ends_at",
    "registration",
    "capacity",
    "registration_closes_at",
    "minutes",
    "is_published",
)


def _event_write(
    actor: User | None, event: Event, fields: dict[str, Any], action: str
) -> Event:
    invited = fields.pop("invited_regions", None)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    for key, value in fields.items():
        if value is None and key in (
            "theme",
            "description",
            "organisers",
            "opened_by",
            "venue",
            "address",
            "online_url",
            "minutes",
        ):
            value = ""
        setattr(event, key, value)
    if event.organiser_region_id:
        _require(
            actor, "change", "network.event", region_code=event.organiser_region_id
        )
    _save(event)
    if invited is not None:
        event.invited_regions.set(invited)
    audit_record(
        actor=actor, action=action, obj=event, region_code=event.organiser_region_id
    )
    return event


@transaction.atomic
def event_create(*, actor: User | None, **fields: Any) -> Event:
    """Create an event organised by an office in the actor's scope."""
    fields.setdefault("organiser_region", actor.region if actor else None)
    return _event_write(actor, Event(), fields, AuditEntry.Action.CREATE)


@transaction.atomic
def event_update(*, actor: User | None, event: Event, **fields: Any) -> Event:
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    return _event_write(actor, event, fields, AuditEntry.Action.UPDATE)


@transaction.atomic
def speaker_add(
    *,
    actor: User | None,
    event: Event,
    name: str,
    position: str = "",
    talk_title: str = "",
) -> Speaker:
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    speaker = Speaker(
        event=event,
        name=name.strip(),
        position=position.strip(),
        talk_title=talk_title.strip(),
        order=event.speakers.count(),
    )
    _save(speaker)
    return speaker


@transaction.atomic
def material_add(
    *, actor: User | None, event: Event, title: str, file: Any = None, url: str = ""
) -> EventMaterial:
    """Attach a PDF, a photo or a link to an event."""
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    material = EventMaterial(event=event, title=title.strip(), url=url.strip())
    if file:
        check_upload(file, kinds={PDF, IMAGE}, field="file")
        material.file = file
    elif not material.url:
        raise ValidationError({"file": _("Upload a file or give a link.")})
    audited_create(actor, material, event.organiser_region_id)
    return material


def _locked(event: Event) -> Event:
    """``event`` re-read with its row locked until the transaction ends: the
    registrations of one event queue up, so the capacity check and the insert
    happen for one registration at a time."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _province(event: Event) -> str:
    """The province whose staff run ``event`` (they are scoped by its organiser
    region)."""
    return str(event.organiser_region_id)[:2]


def _by_phone(e164: str) -> Q:
    """Participants signed up with this phone: their person's, or the one they
    gave when it belongs to another province's member (``contact_phone``)."""
    return Q(person__phone=e164) | Q(contact_phone=e164)


def _full_name(full_name: str | None) -> str:
    """The name as typed into a sign-up, its spaces tidied; it must be given."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    return full_name


def _participant_add(
    participant: Participant, *, full_name: str, e164: str | None, email: str = ""
) -> Participant:
    """Save a new ``participant`` with its person: the one found or made for the
    event's province; the phone given stays on the participant where the person
    record could not take it (it belongs to another province's member)."""
    person = person_for_province(
        full_name=full_name,
        phone=e164,
        email=email,
        province=_province(participant.event),
    )
    participant.person = person
    participant.contact_phone = e164 if e164 and person.phone != e164 else ""
    _save(participant)
    return participant


def _check_capacity(event: Event) -> None:
    if event.capacity is not None and event.participants.count() >= event.capacity:
        raise ValidationError({"__all__": _("This event is full.")})


@transaction.atomic
def participant_register(
    *,
    actor: User | None,
    event: Event,
    full_name: str,
    phone: str | None = None,
    email: str = "",
    kim: Kim | None = None,
    origin: str = "",
    invited: bool = False,
    now: datetime | None = None,
) -> Participant:
    """Register someone for an event. Public events take anyone (``actor`` None: the
    person themselves) up to the capacity until registration closes (the
    organiser's deadline, at the latest the end of the event); invited events
    only from staff, who may also add participants afterwards (from records)."""
    if actor is not None:
        _require(
            actor, "change", "network.event", region_code=event.organiser_region_id
        )
    elif event.registration != Event.Registration.PUBLIC or not event.is_published:
        raise PermissionDenied(_("Registration for this event is by invitation."))
    full_name = _full_name(full_name)
    e164 = clean_phone(phone)
    if not e164 and actor is None:
        raise ValidationError(
            {"phone": _("Enter your phone number, e.g. 0812 3456 7890.")}
        )
    event = _locked(event)
    if actor is None and not event.registration_open(now):
        raise ValidationError({"__all__": _("Registration for this event is closed.")})
    _check_capacity(event)
    if e164 and event.participants.filter(_by_phone(e164)).exists():
        raise ValidationError(
            {"phone": _("This person is already registered for this event.")}
        )
    return _participant_add(
        Participant(event=event, kim=kim, origin=origin.strip(), invited=invited),
        full_name=full_name,
        e164=e164,
        email=email,
    )


@transaction.atomic
def participant_walk_in(
    *,
    actor: User,
    event: Event,
    full_name: str,
    phone: str | None = None,
    email: str = "",
    kim: Kim | None = None,
    origin: str = "",
    now: datetime | None = None,
) -> Participant:
    """Someone turns up at the door: the organiser registers them and checks
    them in at once, during the event's check-in window, for any event (an
    invitation-only one, or one whose registration has closed).

    Capacity is the venue's: at the door it counts the people checked in on
    site, not those registered, so no-shows free their seats; a walk-in is
    refused only when as many people as the capacity are already there. Someone
    already registered (same phone) is checked in, not registered twice."""
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    full_name = _full_name(full_name)
    e164 = clean_phone(phone)
    event = _locked(event)
    _check_window(event, now)
    participant = event.participants.filter(_by_phone(e164)).first() if e164 else None
    if participant is None:
        present = Attendance.objects.filter(
            event=event, mode=Attendance.Mode.ONSITE
        ).count()
        if event.capacity is not None and present >= event.capacity:
            raise ValidationError(
                {"__all__": _("The venue is full: no seat is left for a walk-in.")}
            )
        participant = _participant_add(
            Participant(event=event, kim=kim, origin=origin.strip() or _("walk-in")),
            full_name=full_name,
            e164=e164,
            email=email,
        )
    attendance_record(
        participant=participant,
        mode=Attendance.Mode.ONSITE,
        method=Attendance.Method.ORGANISER,
        actor=actor,
        now=now,
    )
    return participant


def _check_window(event: Event, now: datetime | None) -> None:
    if event.checkin_open(now):
        return
    raise ValidationError(
        {
            "__all__": _(
                "Attendance is recorded only during the event, from %(start)s "
                "to %(end)s WITA."
            )
            % {
                "start": date_format(
                    timezone.localtime(event.checkin_opens_at), "j F Y H.i"
                ),
                "end": date_format(timezone.localtime(event.end), "j F Y H.i"),
            }
        }
    )


@transaction.atomic
def attendance_record(
    *,
    participant: Participant,
    mode: str,
    method: str,
    actor: User | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Check a participant in, on site or online (idempotent: a second check-in
    keeps the first). ``actor`` is the organiser who checks them in, if any.

    Only during the event (``Event.checkin_open``), except attendance copied
    from the records (``Method.RECORD``, by the organiser's office)."""
    if method == Attendance.Method.ORGANISER and not (
        actor is not None and selectors.can_check_in(actor, participant.event)
    ):
        raise PermissionDenied(_("You may not do this here."))
    if method == Attendance.Method.RECORD and actor is not None:
        _require(
            actor,
            "change",
            "network.event",
            region_code=participant.event.organiser_region_id,
        )
    existing = Attendance.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    if method != Attendance.Method.RECORD:
        _check_window(participant.event, now)
    attendance = Attendance(
        participant=participant,
        event=participant.event,
        mode=mode,
        method=method,
        checked_in_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _save(attendance, validate_unique=False)
    return attendance


def attendance_by_venue_code(
    *, participant: Participant, code: str, now: datetime | None = None
) -> Attendance:
    """The participant checks in on their own ticket page with the code shown
    at the venue (``network.venue_code``): proof they are there."""
    now = now or timezone.now()
    event = participant.event
    if not venue_code.code_valid(event.checkin_token, event.pk, code, now):
        raise ValidationError(
            {
                "code": _(
                    "This code is not valid (any more). Enter the code now on "
                    "the screen."
                )
            }
        )
    return attendance_record(
        participant=participant,
        mode=Attendance.Mode.ONSITE,
        method=Attendance.Method.QR,
        now=now,
    )


def attendance_online(
    *, participant: Participant, now: datetime | None = None
) -> Attendance | None:
    """The participant opened their online-session link: attendance online if
    the event is on (None otherwise, or if the event has no online session)."""
    event = participant.event
    if not event.online_url or not event.checkin_open(now):
        return None
    return attendance_record(
        participant=participant,
        mode=Attendance.Mode.ONLINE,
        method=Attendance.Method.LINK,
        now=now,
    )


def event_checkin_by_event_code(
    *,
    event: Event,
    code: str,
    full_name: str,
    phone: str,
    now: datetime | None = None,
) -> Attendance:
    """Check in with the event's venue code (shown at the venue as a QR code):
    the person's registration is found by phone, or made now for a public
    event (a walk-in, within the capacity)."""
    now = now or timezone.now()
    if not venue_code.code_valid(event.checkin_token, event.pk, code, now):
        raise PermissionDenied
    e164 = clean_phone(phone)
    if not e164:
        raise ValidationError(
            {"phone": _("Enter your phone number, e.g. 0812 3456 7890.")}
        )
    _check_window(event, now)
    with transaction.atomic():
        event = _locked(event)
        participant = event.participants.filter(_by_phone(e164)).first()
        if participant is None:
            _check_capacity(event)
            participant = _participant_add(
                Participant(event=event), full_name=full_name, e164=e164
            )
        return attendance_record(
            participant=participant,
            mode=Attendance.Mode.ONSITE,
            method=Attendance.Method.QR,
            now=now,
        )


def event_when_label(event: Event) -> str:
    """``Selasa, 12 Juli 2022 09.00 WITA``-style label in the active language."""
    local = timezone.localtime(event.starts_at)
    return f"{date_format(local, 'l, j F Y H.i')} WITA"
