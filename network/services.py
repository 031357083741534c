"""Writes of the KIM network. Each service checks the actor's permission (``actor``
None means the system: demo data, tasks), validates (``full_clean``) and writes in
one transaction, and records changes of private records in the audit log."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can
from accounts.phones import InvalidPhoneNumber, normalize_phone
from accounts.services import audit_record
from network import scoring
from network.models import (
    SOCIAL_NETWORKS,
    Activity,
    ActivityPhoto,
    Attendance,
    BoardMember,
    Certificate,
    Choice,
    Event,
    EventMaterial,
    FocusArea,
    Forum,
    Kim,
    Membership,
    MonthlyScore,
    Participant,
    Person,
    Question,
    QuizAttempt,
    Speaker,
)
from network.selectors import is_kim_coordinator
from network.uploads import IMAGE, PDF, check_upload
from regions.models import Region

KIM_LEVELS = frozenset({Region.Level.VILLAGE, Region.Level.DISTRICT})
FORUM_LEVELS = frozenset({Region.Level.PROVINCE, Region.Level.REGENCY})
MAX_PHOTOS = 10


# --- helpers ----------------------------------------------------------------------
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


# --- KIMs ---------------------------------------------------------------------------
KIM_FIELDS = (
    "name",
    "address",
    "lat",
    "lng",
    "status",
    "level",
    "focus_areas",
    "description",
    "founded_on",
    "decree_number",
    "decree_date",
    "decree_issuer",
    "email",
    "phone",
    "website",
    *SOCIAL_NETWORKS,
)


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
    _save(kim)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=kim,
        region_code=kim.region_id,
        changes={"name": kim.name, "region": kim.region_id},
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


# --- People and members -------------------------------------------------------------
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
    _save(membership)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=membership,
        object_repr=f"{kim.name}: {membership.get_role_display()}",
        region_code=kim.region_id,
        changes={"role": role},
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


# --- Forums -------------------------------------------------------------------------
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
    _save(seat)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=seat,
        region_code=forum.region_id,
        changes={"position": position},
    )
    return seat


# --- Activities ---------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    kim: Kim,
    kind: str,
    title: str,
    date: date,
    place: str = "",
    participants: int = 0,
    description: str = "",
    focus: str = "",
    links: Sequence[str] = (),
    photos: Sequence[Any] = (),
) -> Activity:
    """Report what a KIM did (its coordinator, or staff in scope). Photos are checked
    by content (JPEG/PNG/WebP, ≤ 10 MB each); a bad one stores nothing."""
    _require_kim(actor, "create", "network.activity", kim)
    _check_not_future(date, "date")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}}
        )
    for photo in photos:
        check_upload(photo, kinds={IMAGE}, field="photos")
    activity = Activity(
        kim=kim,
        kind=kind,
        focus=focus or "",
        title=(title or "").strip(),
        date=date,
        place=(place or "").strip(),
        participants=participants or 0,
        description=description or "",
        links=_check_links(links),
        reported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _save(activity)
    for photo in photos:
        ActivityPhoto.objects.create(activity=activity, image=photo)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=activity,
        region_code=kim.region_id,
        changes={"kind": kind, "date": str(date), "photos": len(photos)},
    )
    return activity


@transaction.atomic
def activity_review(
    *, actor: User | None, activity: Activity, approve: bool, note: str = ""
) -> Activity:
    """Approve or reject a report (regency/district staff in scope); the KIM's
    monthly score is recomputed after the commit."""
    _require(actor, "review", "network.activity", region_code=activity.kim.region_id)
    activity.status = Activity.Status.APPROVED if approve else Activity.Status.REJECTED
    activity.review_note = (note or "").strip()[:500]
    activity.reviewed_by = actor
    activity.reviewed_at = timezone.now()
    _save(activity)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=activity,
        region_code=activity.kim.region_id,
        changes={"status": activity.status},
    )
    kim_id = activity.kim_id

    def _enqueue() -> None:
        from network.tasks import kim_score_task

        kim_score_task.enqueue(kim_id)

    transaction.on_commit(_enqueue)
    return activity


def _month(d: date) -> date:
    return d.replace(day=1)


@transaction.atomic
def kim_scores_recompute(
    *, kim_ids: Iterable[int] | None = None, today: date | None = None
) -> int:
    """Recompute monthly scores and maturity levels (all KIMs, or ``kim_ids``);
    idempotent. Returns the number of KIMs whose level changed. See
    ``network.scoring`` for the rules."""
    today = today or timezone.localdate()
    window = scoring.window_months(today)
    start = window[0]
    approved = Activity.objects.filter(status=Activity.Status.APPROVED)
    kims = Kim.objects.all()
    if kim_ids is not None:
        ids = list(kim_ids)
        approved = approved.filter(kim_id__in=ids)
        kims = kims.filter(pk__in=ids)
    rows = (
        approved.annotate(m=TruncMonth("date"))
        .values("kim_id", "m", "kind")
        .annotate(n=Count("pk"))
    )
    per_month: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    for row in rows:
        month = row["m"].date() if isinstance(row["m"], datetime) else row["m"]
        per_month[(row["kim_id"], month)][row["kind"]] += row["n"]
    # Monthly scores: replace the stored ones for these KIMs.
    scores = MonthlyScore.objects.all()
    if kim_ids is not None:
        scores = scores.filter(kim_id__in=ids)
    scores.delete()
    MonthlyScore.objects.bulk_create(
        [
            MonthlyScore(
                kim_id=kim_id,
                month=month,
                activities=sum(counts.values()),
                score=scoring.month_score(counts),
            )
            for (kim_id, month), counts in per_month.items()
        ],
        batch_size=1000,
    )
    # Levels from the window.
    window_scores: dict[int, list[int]] = defaultdict(list)
    kinds_used: dict[int, set[str]] = defaultdict(set)
    for (kim_id, month), counts in per_month.items():
        if start <= month < _month(today):
            window_scores[kim_id].append(scoring.month_score(counts))
            kinds_used[kim_id].update(k for k, n in counts.items() if n)
    changed = []
    now = timezone.now()
    for kim in kims.only("pk", "level", "level_updated_at", "region_id"):
        result = scoring.maturity(
            window_scores.get(kim.pk, []), len(kinds_used.get(kim.pk, ()))
        )
        if result.level is None:
            continue
        if result.level != kim.level:
            kim.level = result.level
            changed.append(kim)
        kim.level_updated_at = now
        Kim.objects.filter(pk=kim.pk).update(level=kim.level, level_updated_at=now)
    return len(changed)


# --- Events -------------------------------------------------------------------------
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
    _save(material)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=material,
        region_code=event.organiser_region_id,
    )
    return material


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
) -> Participant:
    """Register someone for an event. Public events take anyone (``actor`` None: the
    person themselves) up to the capacity; invited events only from staff."""
    if actor is not None:
        _require(
            actor, "change", "network.event", region_code=event.organiser_region_id
        )
    elif event.registration != Event.Registration.PUBLIC or not event.is_published:
        raise PermissionDenied(_("Registration for this event is by invitation."))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    e164 = clean_phone(phone)
    if not e164 and actor is None:
        raise ValidationError(
            {"phone": _("Enter your phone number, e.g. 0812 3456 7890.")}
        )
    if event.capacity is not None and event.participants.count() >= event.capacity:
        raise ValidationError({"__all__": _("This event is full.")})
    if e164 and event.participants.filter(person__phone=e164).exists():
        raise ValidationError(
            {"phone": _("This person is already registered for this event.")}
        )
    person, _created = person_find_or_create(
        full_name=full_name, phone=e164, email=email
    )
    participant = Participant(
        event=event, person=person, kim=kim, origin=origin.strip(), invited=invited
    )
    _save(participant)
    return participant


@transaction.atomic
def attendance_record(
    *,
    participant: Participant,
    mode: str,
    method: str,
    actor: User | None = None,
) -> Attendance:
    """Check a participant in, on site or online (idempotent: a second check-in
    keeps the first). ``actor`` is the organiser who checks them in, if any."""
    if method == Attendance.Method.ORGANISER:
        _require(
            actor,
            "change",
            "network.event",
            region_code=participant.event.organiser_region_id,
        )
    existing = Attendance.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    attendance = Attendance(
        participant=participant,
        event=participant.event,
        mode=mode,
        method=method,
        checked_in_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _save(attendance, validate_unique=False)
    return attendance


def event_checkin_by_event_code(
    *, event: Event, code: str, full_name: str, phone: str
) -> Attendance:
    """Check in with the event's own QR code (shown at the venue): the person's
    registration is found by phone, or made now for a public event."""
    import secrets

    if not secrets.compare_digest(code, event.checkin_token):
        raise PermissionDenied
    e164 = clean_phone(phone)
    if not e164:
        raise ValidationError(
            {"phone": _("Enter your phone number, e.g. 0812 3456 7890.")}
        )
    with transaction.atomic():
        participant = event.participants.filter(person__phone=e164).first()
        if participant is None:
            person, _created = person_find_or_create(full_name=full_name, phone=e164)
            participant = Participant(event=event, person=person)
            _save(participant)
        return attendance_record(
            participant=participant,
            mode=Attendance.Mode.ONSITE,
            method=Attendance.Method.QR,
        )


# --- Trainings: tests and certificates ----------------------------------------------
@transaction.atomic
def question_add(
    *,
    actor: User | None,
    event: Event,
    text: str,
    choices: Sequence[str],
    correct: int,
) -> Question:
    """Add a multiple-choice question to a training's pre/post-test: 2 to 6
    answers, ``correct`` the index of the right one."""
    _require(actor, "change", "network.event", region_code=event.organiser_region_id)
    if not event.is_training:
        raise ValidationError({"event": _("Only trainings have tests.")})
    answers = [c.strip() for c in choices if c and c.strip()]
    if not 2 <= len(answers) <= 6:
        raise ValidationError({"choices": _("Give between 2 and 6 answers.")})
    if not 0 <= correct < len(answers):
        raise ValidationError({"correct": _("Mark the correct answer.")})
    if QuizAttempt.objects.filter(participant__event=event).exists():
        raise ValidationError(
            {"text": _("Participants have already taken the test; it is frozen.")}
        )
    question = Question(event=event, text=text.strip(), order=event.questions.count())
    _save(question)
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=answer, is_correct=(i == correct))
            for i, answer in enumerate(answers)
        ]
    )
    return question


@transaction.atomic
def test_submit(
    *, participant: Participant, phase: str, answers: dict[int, int]
) -> QuizAttempt:
    """Score a participant's pre- or post-test (each once; the post-test after the
    pre-test). ``answers`` maps question id → chosen choice id."""
    event = participant.event
    if not event.is_training:
        raise ValidationError({"phase": _("This event has no test.")})
    if phase not in QuizAttempt.Phase.values:
        raise ValidationError({"phase": _("Unknown test.")})
    if participant.attempts.filter(phase=phase).exists():
        raise ValidationError({"phase": _("You have already taken this test.")})
    if (
        phase == QuizAttempt.Phase.POST
        and not participant.attempts.filter(phase=QuizAttempt.Phase.PRE).exists()
    ):
        raise ValidationError({"phase": _("Take the pre-test first.")})
    questions = list(event.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError({"phase": _("This training has no questions yet.")})
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise ValidationError(
            {"answers": _("Answer every question (%(n)s left).") % {"n": len(missing)}}
        )
    correct = 0
    for q in questions:
        valid = {c.pk: c.is_correct for c in q.choices.all()}
        chosen = answers[q.pk]
        if chosen not in valid:
            raise ValidationError({"answers": _("Choose one of the answers given.")})
        correct += int(valid[chosen])
    attempt = QuizAttempt(
        participant=participant,
        phase=phase,
        correct=correct,
        total=len(questions),
        score=round(100 * correct / len(questions)),
        answers={str(k): v for k, v in answers.items()},
    )
    _save(attempt)
    return attempt


def certificate_eligible(participant: Participant) -> tuple[bool, str]:
    """Whether a certificate can be issued, and why not: the participant attended
    and, for a training, took the post-test."""
    if not Attendance.objects.filter(participant=participant).exists():
        return False, _("Your attendance has not been recorded.")
    if (
        participant.event.is_training
        and not participant.attempts.filter(phase=QuizAttempt.Phase.POST).exists()
    ):
        return False, _("Take the post-test first.")
    return True, ""


@transaction.atomic
def certificate_issue(*, participant: Participant) -> Certificate:
    """The participant's certificate of attendance (issued once, then reused)."""
    existing = Certificate.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    ok, reason = certificate_eligible(participant)
    if not ok:
        raise ValidationError({"__all__": reason})
    for _attempt in range(5):
        certificate = Certificate(participant=participant)
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:  # a code collision: draw again
            continue
        return certificate
    raise RuntimeError("could not draw a unique certificate code")


def event_when_label(event: Event) -> str:
    """``Selasa, 12 Juli 2022 09.00 WITA``-style label in the active language."""
    from django.utils.formats import date_format

    local = timezone.localtime(event.starts_at)
    return f"{date_format(local, 'l, j F Y H.i')} WITA"
