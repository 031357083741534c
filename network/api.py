"""/api/v1/ endpoints of the KIM network.

Reads of public data (KIMs, forums, events, approved activities) need no
authentication; members' personal data and all writes need a token or a session
and are limited to the caller's scope (a coordinator: their own KIM). Every item
carries its region's Kemendagri code (``region_code``).
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from accounts.api_auth import api_user, token_or_session
from accounts.models import AuditEntry
from accounts.services import audit_record
from core.api import found_or_404
from core.pagination import PAGE_SIZE_MAX, paged
from network import selectors, services
from network.models import Activity, Event, Forum, Kim, Membership
from regions.api import Point
from regions.models import Region

router = Router(tags=["network"])

KODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
StatusName = Literal["active", "dormant", "dissolved"]
LevelName = Literal["pemula", "madya", "utama"]


class ListFilters(Schema):
    q: str = Field("", max_length=100, description="Text search")
    region: str | None = Field(
        None, pattern=KODE_PATTERN, description="Kemendagri code; includes below"
    )


class KimFilters(ListFilters):
    status: StatusName | None = None
    level: LevelName | None = None


class EventFilters(ListFilters):
    kind: (
        Literal["fgd", "training", "workshop", "inauguration", "festival", "other"]
        | None
    ) = None


class ActivityFilters(ListFilters):
    kim: int | None = None
    kind: (
        Literal[
            "akses", "diskusi", "implementasi", "networking", "diseminasi", "aspirasi"
        ]
        | None
    ) = None


class PlacedOut(Schema):
    """What the API says of every KIM, forum and event: its id, its region (code and
    name) and its page on the site."""

    id: int
    region_code: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")
    url: str = Field(alias="get_absolute_url")


class KimOut(PlacedOut):
    name: str
    district_code: str
    regency_code: str
    status: str
    level: str
    focus_areas: list[str]
    # The KIM's own point, else its region's; None where neither is known.
    point: Point | None
    member_count: int
    social: dict[str, str]

    @staticmethod
    def resolve_point(obj: Kim) -> dict[str, float] | None:
        if obj.lat is not None and obj.lng is not None:
            return {"lat": obj.lat, "lng": obj.lng}
        if obj.region.rep_lat is None or obj.region.rep_lng is None:
            return None
        return {"lat": obj.region.rep_lat, "lng": obj.region.rep_lng}

    @staticmethod
    def resolve_member_count(obj: Kim) -> int:
        return getattr(obj, "member_count", 0)

    @staticmethod
    def resolve_social(obj: Kim) -> dict[str, str]:
        return {label.lower(): url for label, url in obj.social_links()}


class ContactOut(Schema):
    name: str
    role: str
    phone: str | None
    email: str


class KimDetail(KimOut):
    description: str
    founded_on: Date | None
    decree_number: str
    decree_date: Date | None
    decree_issuer: str
    email: str
    phone: str
    website: str
    public_contacts: list[ContactOut]

    @staticmethod
    def resolve_public_contacts(obj: Kim) -> list[Any]:
        return selectors.kim_public_contacts(kim=obj)


class KimIn(Schema):
    name: str = Field(..., min_length=2, max_length=150)
    region_code: str = Field(..., pattern=KODE_PATTERN)
    status: StatusName = "active"
    focus_areas: list[str] = []
    description: str = ""
    founded_on: Date | None = None
    decree_number: str = ""
    decree_date: Date | None = None
    decree_issuer: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    facebook: str = ""
    instagram: str = ""
    tiktok: str = ""
    youtube: str = ""
    x: str = ""
    whatsapp_channel: str = ""


class KimPatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=150)
    status: StatusName | None = None
    focus_areas: list[str] | None = None
    description: str | None = None
    founded_on: Date | None = None
    decree_number: str | None = None
    decree_date: Date | None = None
    decree_issuer: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    facebook: str | None = None
    instagram: str | None = None
    tiktok: str | None = None
    youtube: str | None = None
    x: str | None = None
    whatsapp_channel: str | None = None


class MemberOut(Schema):
    id: int
    kim_id: int
    full_name: str = Field(alias="person.full_name")
    role: str
    phone: str | None = Field(alias="person.phone")
    email: str = Field(alias="person.email")
    joined_on: Date | None
    left_on: Date | None
    is_coordinator: bool
    public_contact: bool = Field(alias="person.public_contact")


class MemberIn(Schema):
    full_name: str = Field(..., min_length=2, max_length=150)
    phone: str = ""
    email: str = ""
    role: Literal["ketua", "sekretaris", "bendahara", "anggota"] = "anggota"
    joined_on: Date | None = None
    is_coordinator: bool = False
    public_contact: bool = False


def _kims(filters: KimFilters) -> QuerySet[Kim]:
    return selectors.kim_list(
        q=filters.q,
        region_code=filters.region or "",
        status=filters.status or "",
        level=filters.level or "",
    ).annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )


def _kim(kim_id: int) -> Kim:
    return found_or_404(
        (
            Kim.objects.select_related("region")
            .annotate(
                member_count=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True)
                )
            )
            .filter(pk=kim_id)
            .first()
        ),
        "KIM tidak ditemukan.",
    )


def _region(code: str) -> Region:
    if not re.match(KODE_PATTERN, code):
        raise HttpError(400, f"'{code}' bukan kode wilayah Kemendagri.")
    return found_or_404(
        Region.objects.filter(kode=code).first(),
        f"Wilayah dengan kode {code} tidak ditemukan.",
    )


@router.get("/kims", response=list[KimOut])
@paged(50)
def list_kims(request: HttpRequest, filters: Query[KimFilters]) -> QuerySet[Kim]:
    """KIMs searched by name or village (``q``), filtered by region code, status
    and maturity level; paginated."""
    return _kims(filters)


@router.get("/kims/{kim_id}", response=KimDetail)
def get_kim(request: HttpRequest, kim_id: int) -> Kim:
    return _kim(kim_id)


@router.post("/kims", response={201: KimDetail}, auth=token_or_session)
def create_kim(request: HttpRequest, payload: KimIn) -> tuple[int, Kim]:
    """Register a KIM (staff, within their region)."""
    actor = api_user(request)
    data = payload.dict()
    region = _region(data.pop("region_code"))
    kim = services.kim_create(actor=actor, region=region, **data)
    return 201, _kim(kim.pk)


def _managed(request: HttpRequest, kim_id: int) -> Kim:
    actor = api_user(request)
    return found_or_404(
        selectors.kim_get_for_actor(actor=actor, pk=kim_id), "KIM tidak ditemukan."
    )


@router.patch("/kims/{kim_id}", response=KimDetail, auth=token_or_session)
def patch_kim(request: HttpRequest, kim_id: int, payload: KimPatch) -> Kim:
    """Change a KIM (staff in scope, or its coordinator)."""
    kim = _managed(request, kim_id)
    fields = payload.dict(exclude_unset=True)
    services.kim_update(actor=api_user(request), kim=kim, **fields)
    return _kim(kim.pk)


@router.get("/kims/{kim_id}/members", response=list[MemberOut], auth=token_or_session)
@paged(PAGE_SIZE_MAX)
def list_members(request: HttpRequest, kim_id: int) -> list[Membership]:
    """Members with personal data: staff in scope and the KIM's coordinator
    (the read is written to the audit log)."""
    actor = api_user(request)
    kim = _managed(request, kim_id)
    if not selectors.can_see_members(actor, kim):
        raise HttpError(403, "Anda tidak berwenang melihat data anggota.")
    members = list(selectors.kim_members(actor=actor, kim=kim, include_former=True))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="network.membership",
        object_repr=f"API: {kim.name}",
        region_code=kim.region_id,
        changes={"rows": len(members), "format": "api"},
    )
    return members


@router.post("/kims/{kim_id}/members", response={201: MemberOut}, auth=token_or_session)
def add_member(
    request: HttpRequest, kim_id: int, payload: MemberIn
) -> tuple[int, Membership]:
    kim = _managed(request, kim_id)
    membership = services.member_add(actor=api_user(request), kim=kim, **payload.dict())
    return 201, membership


# --- Forums -------------------------------------------------------------------------
class BoardOut(Schema):
    name: str
    position: str
    title: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.person.full_name)


class ForumOut(PlacedOut):
    name: str
    level: str = Field(alias="region.level")
    kim_count: int
    founded_on: Date | None
    inaugurated_on: Date | None
    inauguration_place: str
    inaugurated_by: str


class ForumDetail(ForumOut):
    board: list[BoardOut]
    kim_ids: list[int]

    @staticmethod
    def resolve_board(obj: Forum) -> list[Any]:
        return list(obj.board.select_related("person"))

    @staticmethod
    def resolve_kim_ids(obj: Forum) -> list[int]:
        return list(obj.kims.values_list("pk", flat=True))


@router.get("/forums", response=list[ForumOut])
@paged(50)
def list_forums(request: HttpRequest, filters: Query[ListFilters]) -> QuerySet[Forum]:
    return selectors.forum_list(region_code=filters.region or "", q=filters.q)


@router.get("/forums/{forum_id}", response=ForumDetail)
def get_forum(request: HttpRequest, forum_id: int) -> Forum:
    return found_or_404(selectors.forum_get(pk=forum_id), "Forum tidak ditemukan.")


# --- Events -------------------------------------------------------------------------
class SpeakerOut(Schema):
    name: str
    position: str
    talk_title: str


class EventOut(PlacedOut):
    kind: str
    title: str
    theme: str
    organiser_region_code: str = Field(alias="organiser_region_id")
    organisers: str
    venue: str
    address: str
    online: bool
    starts_at: datetime
    ends_at: datetime | None
    registration: str
    capacity: int | None
    onsite_count: int
    online_count: int

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        return bool(obj.online_url)


class EventDetail(EventOut):
    # No online meeting link here: it is for registered participants only, on
    # their own participant page (``online`` says whether there is one).
    description: str
    opened_by: str
    minutes: str
    speakers: list[SpeakerOut]
    invited_region_codes: list[str]

    @staticmethod
    def resolve_speakers(obj: Event) -> list[Any]:
        return list(obj.speakers.all())

    @staticmethod
    def resolve_invited_region_codes(obj: Event) -> list[str]:
        return [r.kode for r in obj.invited_regions.all()]


@router.get("/events", response=list[EventOut])
@paged(50)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[Event]:
    """Published events held in (or organised by) a region, with their on-site
    and online attendance counts."""
    events = selectors.event_list(
        q=filters.q, region_code=filters.region or "", kind=filters.kind or ""
    )
    return events


@router.get("/events/{event_id}", response=EventDetail)
def get_event(request: HttpRequest, event_id: int) -> Event:
    return found_or_404(selectors.event_get(pk=event_id), "Acara tidak ditemukan.")


# --- Activities ---------------------------------------------------------------------
class ActivityOut(Schema):
    id: int
    kim_id: int
    kim_name: str = Field(alias="kim.name")
    region_code: str = Field(alias="kim.region_id")
    kind: str
    focus: str
    title: str
    description: str
    date: Date
    place: str
    participants: int
    links: list[str]
    status: str
    photo_urls: list[str]

    @staticmethod
    def resolve_photo_urls(obj: Activity) -> list[str]:
        return [p.image.url for p in obj.photos.all()]


class ActivityIn(Schema):
    kim_id: int
    kind: Literal[
        "akses", "diskusi", "implementasi", "networking", "diseminasi", "aspirasi"
    ]
    title: str = Field(..., min_length=3, max_length=200)
    date: Date
    place: str = ""
    participants: int = Field(0, ge=0, le=100_000)
    description: str = ""
    focus: str = ""
    links: list[str] = []


class ActivityReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


@router.get("/activities", response=list[ActivityOut])
@paged(50)
def list_activities(
    request: HttpRequest, filters: Query[ActivityFilters]
) -> QuerySet[Activity]:
    """Approved activities, by region code, KIM and ADINDA kind; paginated."""
    activities = selectors.activity_list(
        q=filters.q,
        region_code=filters.region or "",
        kim_id=filters.kim,
        kind=filters.kind or "",
    ).prefetch_related("photos")
    return activities


@router.post("/activities", response={201: ActivityOut}, auth=token_or_session)
def create_activity(request: HttpRequest, payload: ActivityIn) -> tuple[int, Activity]:
    """Report an activity (the KIM's coordinator or staff in scope); photos are
    added on the web page."""
    kim = _managed(request, payload.kim_id)
    data = payload.dict()
    data.pop("kim_id")
    activity = services.activity_create(actor=api_user(request), kim=kim, **data)
    return 201, activity


@router.post(
    "/activities/{activity_id}/review", response=ActivityOut, auth=token_or_session
)
def review_activity(
    request: HttpRequest, activity_id: int, payload: ActivityReviewIn
) -> Activity:
    actor = api_user(request)
    activity = get_object_or_404(
        selectors.activity_list_for_actor(actor=actor), pk=activity_id
    )
    return services.activity_review(
        actor=actor, activity=activity, approve=payload.approve, note=payload.note
    )
