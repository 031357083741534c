"""Pages of the KIM network: the public directory, map, KIM/forum/event pages and
dashboards; the participant's pages (QR check-in, tests, certificate); the staff
pages to manage KIMs, members, activities, events, imports and exports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AuditEntry, Role, User
from accounts.permissions import can
from accounts.services import audit_record
from core.forms import add_validation_errors
from network import calendar, selectors, services
from network.certificates import certificate_pdf
from network.forms import (
    ActivityForm,
    BoardMemberForm,
    CheckinForm,
    DirectoryFilterForm,
    EventForm,
    ForumForm,
    ImportForm,
    KimForm,
    MaterialForm,
    MemberForm,
    QuestionForm,
    RegistrationForm,
    ReviewForm,
    SpeakerForm,
    StaffRegistrationForm,
    TestForm,
)
from network.importing import (
    FORMATS,
    KIM_HEADERS,
    MEMBER_HEADERS,
    TEMPLATE_COLUMNS,
    SheetError,
    export_response,
    kim_import,
    kim_rows,
    member_rows,
    template_rows,
)
from network.models import (
    Activity,
    Attendance,
    Certificate,
    Event,
    Forum,
    Kim,
    Membership,
    Participant,
    QuizAttempt,
)
from network.qr import qr_svg
from network.uploads import MAX_UPLOAD_BYTES
from regions.models import Region
from regions.selectors import region_ancestors, region_get

PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- public: directory, map, KIM page ------------------------------------------------
def kim_directory(request: HttpRequest) -> HttpResponse:
    """Public directory and map of KIMs, filtered by regency, district, status and
    level; ``?format=csv|xlsx`` downloads the list (public fields only)."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    kims = selectors.kim_list(**filters)
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="kim", headers=KIM_HEADERS, rows=kim_rows(kims), fmt=fmt
        )
    page = Paginator(kims, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    map_query = query.copy()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "map_src": reverse("network:kim_map_data") + "?" + map_query.urlencode(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "network/_kim_results.html", context)
    return render(request, "network/directory.html", context)


def kim_map_data(request: HttpRequest) -> JsonResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    points = selectors.kim_map_points(**filters)
    for point in points:
        point["url"] = reverse("network:kim_detail", kwargs={"pk": point["id"]})
    return JsonResponse({"kims": points})


def kim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A KIM's public page. Members are listed only for staff in scope and the
    KIM's coordinator; the public sees the chair's contact if they agreed."""
    kim = selectors.kim_get(pk=pk)
    if kim is None:
        raise Http404(_("KIM not found."))
    user = request.user
    can_manage = user.is_authenticated and can(
        user,
        "change",
        "network.kim",
        region_code=kim.region_id,
        is_own=selectors.is_kim_coordinator(user, kim),
    )
    activities = selectors.activity_list(kim_id=kim.pk).prefetch_related("photos")[:10]
    return render(
        request,
        "network/kim_detail.html",
        {
            "kim": kim,
            "ancestors": [*region_ancestors(region=kim.region), kim.region],
            "contacts": selectors.kim_public_contacts(kim=kim),
            "member_count": selectors.kim_member_count(kim=kim),
            "activities": activities,
            "forums": kim.forums.all(),
            "can_manage": can_manage,
        },
    )


def dashboard(request: HttpRequest, kode: str = settings.HOME_REGION) -> HttpResponse:
    """Figures of the KIM network of a region (public: aggregates only)."""
    region = region_get(kode=kode)
    if region is None or region.level == Region.Level.VILLAGE:
        raise Http404(_("No region has the code %(kode)s.") % {"kode": kode})
    data = selectors.region_dashboard(region=region)
    max_month = max((n for _m, n in data.activities_by_month), default=0) or 1
    max_child = max((c["kims"] for c in data.by_child), default=0) or 1
    return render(
        request,
        "network/dashboard.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "data": data,
            "max_month": max_month,
            "max_child": max_child,
            "kinds": [
                (label, data.activities_by_kind.get(value, 0))
                for value, label in Activity.Kind.choices
            ],
            "levels": [
                (label, data.by_level.get(value, 0))
                for value, label in Kim.Level.choices
            ],
            "statuses": [
                (label, data.by_status.get(value, 0))
                for value, label in Kim.Status.choices
            ],
            "literacy_region": data.literacy[0] if data.literacy else None,
            "literacy_children": [f for f in data.literacy[1:] if f.trainings],
        },
    )


# --- public: forums -------------------------------------------------------------------
def forum_list(request: HttpRequest) -> HttpResponse:
    forums = selectors.forum_list(q=request.GET.get("q", "")[:100])
    return render(request, "network/forum_list.html", {"forums": forums})


def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_get(pk=pk)
    if forum is None:
        raise Http404(_("Forum not found."))
    return render(
        request,
        "network/forum_detail.html",
        {
            "forum": forum,
            "board": forum.board.select_related("person", "kim"),
            "kims": forum.kims.select_related("region").order_by("name"),
            "regency_forums": (
                selectors.forum_list().filter(region__parent=forum.region)
                if forum.region.level == Region.Level.PROVINCE
                else []
            ),
            "can_manage": request.user.is_authenticated
            and can(
                request.user, "change", "network.forum", region_code=forum.region_id
            ),
        },
    )


# --- public: events and participants --------------------------------------------------
def event_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    events = selectors.event_list(
        q=q, kind=kind, region_code=request.GET.get("wilayah", "")[:13]
    )
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="acara",
            headers=[
                "id",
                "judul",
                "jenis",
                "mulai",
                "tempat",
                "kode_wilayah",
                "hadir_luring",
                "hadir_daring",
            ],
            rows=(
                [
                    e.pk,
                    e.title,
                    e.kind,
                    e.starts_at,
                    e.venue,
                    e.region_id,
                    e.onsite_count,  # type: ignore[attr-defined]
                    e.online_count,  # type: ignore[attr-defined]
                ]
                for e in events
            ),
            fmt=fmt,
        )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/event_list.html",
        {"page": page, "q": q, "kind": kind, "kinds": Event.Kind.choices},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    user = request.user
    if event is None:
        draft = selectors.event_get(pk=pk, published_only=False)
        if draft is None or not selectors.can_manage_event(user, draft):
            raise Http404(_("Event not found."))
        event = draft
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_register(
                actor=None, event=event, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "You are registered. Keep this page: it has your QR code for "
                    "check-in and, for trainings, your tests and certificate."
                ),
            )
            return redirect(participant.get_absolute_url())
    return render(
        request,
        "network/event_detail.html",
        {
            "event": event,
            "form": form,
            "can_register": event.registration == Event.Registration.PUBLIC
            and event.is_published,
            "can_manage": selectors.can_manage_event(user, event),
            "when": services.event_when_label(event),
            "jsonld": calendar.event_jsonld(
                event, url=request.build_absolute_uri(event.get_absolute_url())
            )
            if event.is_published
            else None,
        },
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The event for a calendar app (iCalendar, RFC 5545); published events only."""
    event = selectors.event_get(pk=pk)
    if event is None:
        raise Http404(_("Event not found."))
    body = calendar.event_ics(
        event, url=request.build_absolute_uri(event.get_absolute_url())
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acara-{event.pk}.ics"'
    return response


def _participant(token: str) -> Participant:
    participant = selectors.participant_by_token(token=token)
    if participant is None:
        raise Http404(_("This link is not valid."))
    return participant


def participant_home(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own page: QR check-in code, tests, certificate."""
    participant = _participant(token)
    event = participant.event
    attempts = {a.phase: a for a in participant.attempts.all()}
    attendance = Attendance.objects.filter(participant=participant).first()
    eligible, reason = services.certificate_eligible(participant)
    checkin_url = _absolute(
        request, reverse("network:checkin", kwargs={"token": token})
    )
    return render(
        request,
        "network/participant_home.html",
        {
            "participant": participant,
            "event": event,
            "when": services.event_when_label(event),
            "attempts": attempts,
            "gain": (
                attempts["post"].score - attempts["pre"].score
                if "pre" in attempts and "post" in attempts
                else None
            ),
            "attendance": attendance,
            "checkin_url": checkin_url,
            "qr": qr_svg(checkin_url),
            "eligible": eligible,
            "reason": reason,
            "has_questions": event.is_training and event.questions.exists(),
        },
    )


def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The URL in a participant's QR code: opened by the participant's or the
    organiser's phone, it asks to confirm and records the attendance (POST)."""
    participant = _participant(token)
    event = participant.event
    if request.method == "POST":
        mode = request.POST.get("mode", Attendance.Mode.ONSITE)
        if mode not in Attendance.Mode.values:
            mode = Attendance.Mode.ONSITE
        user = request.user
        organiser = user.is_authenticated and selectors.can_manage_event(user, event)
        services.attendance_record(
            participant=participant,
            mode=mode,
            method=Attendance.Method.ORGANISER
            if organiser
            else (
                Attendance.Method.QR
                if mode == Attendance.Mode.ONSITE
                else Attendance.Method.LINK
            ),
            actor=user if organiser else None,  # type: ignore[arg-type]
        )
        messages.success(request, _("Attendance recorded. Welcome!"))
        return redirect("network:checkin", token=token)
    return render(
        request,
        "network/checkin.html",
        {
            "participant": participant,
            "event": event,
            "when": services.event_when_label(event),
            "attendance": Attendance.objects.filter(participant=participant).first(),
        },
    )


def event_checkin(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The event's own QR code, shown at the venue: participants check in by
    name and phone number (registered ones are recognised by phone)."""
    event = selectors.event_get(pk=pk, published_only=False)
    if event is None or code != event.checkin_token:
        raise Http404(_("This link is not valid."))
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.event_checkin_by_event_code(
                event=event, code=code, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Attendance recorded. Welcome!"))
            return redirect(attendance.participant.get_absolute_url())
    return render(request, "network/event_checkin.html", {"event": event, "form": form})


def participant_qr(request: HttpRequest, token: str) -> HttpResponse:
    _participant(token)
    url = _absolute(request, reverse("network:checkin", kwargs={"token": token}))
    return HttpResponse(qr_svg(url, scale=8), content_type="image/svg+xml")


def take_test(request: HttpRequest, token: str, phase: str) -> HttpResponse:
    participant = _participant(token)
    event = participant.event
    if phase not in QuizAttempt.Phase.values or not event.is_training:
        raise Http404
    questions = list(event.questions.prefetch_related("choices"))
    done = participant.attempts.filter(phase=phase).first()
    form = TestForm(request.POST or None, questions=questions)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            attempt = services.test_submit(
                participant=participant, phase=phase, answers=form.answers()
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Test submitted: %(correct)s of %(total)s correct (score %(score)s).")
                % {
                    "correct": attempt.correct,
                    "total": attempt.total,
                    "score": attempt.score,
                },
            )
            return redirect(participant.get_absolute_url())
    return render(
        request,
        "network/take_test.html",
        {
            "participant": participant,
            "event": event,
            "phase": phase,
            "phase_label": QuizAttempt.Phase(phase).label,
            "form": form,
            "done": done,
        },
    )


def certificate_download(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    try:
        certificate = services.certificate_issue(participant=participant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(participant.get_absolute_url())
    verify = _absolute(request, certificate.get_absolute_url())
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    )
    return response


def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Anyone can check a certificate's code: the holder, the event and the date."""
    code = request.GET.get("kode", "").strip().upper()[:20]
    certificate = None
    if code:
        certificate = (
            Certificate.objects.select_related(
                "participant__person", "participant__event"
            )
            .filter(code=code)
            .first()
        )
    return render(
        request,
        "network/certificate_verify.html",
        {"code": code, "certificate": certificate},
    )


# --- staff: KIMs and members --------------------------------------------------------
@login_required
def staff_kim_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    q = request.GET.get("q", "").strip()[:100]
    kims = selectors.kim_list_for_actor(actor=actor, q=q)
    if not kims.exists() and not can(actor, "view", "network.kim"):
        raise PermissionDenied
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="kim", headers=KIM_HEADERS, rows=kim_rows(kims), fmt=fmt
        )
    page = Paginator(kims, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/staff_kim_list.html",
        {
            "page": page,
            "q": q,
            "can_create": can(actor, "create", "network.kim"),
            "can_import": can(actor, "import", "network.kim"),
            "can_export_members": can(actor, "export", "network.member"),
        },
    )


@login_required
def staff_member_export(request: HttpRequest) -> HttpResponse:
    """All members of the KIMs the actor manages (personal data: logged)."""
    actor = _user(request)
    fmt = _fmt(request) or "csv"
    kims = selectors.kim_list_for_actor(actor=actor)
    if not can(actor, "export", "network.member") and not kims.exists():
        raise PermissionDenied
    members = (
        Membership.objects.filter(kim__in=kims.values("pk"))
        .select_related("kim", "person")
        .order_by("kim__regency_code", "kim__name", "role", "person__full_name")
    )
    return _member_export(actor, members, fmt, "anggota-kim", actor.region_id or "")


def _member_export(
    actor: User, members: QuerySet[Membership], fmt: str, name: str, region: str
) -> HttpResponse:
    rows = list(member_rows(members))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="network.membership",
        object_repr=f"{name}.{fmt}",
        region_code=region,
        changes={"rows": len(rows), "format": fmt},
    )
    return export_response(filename=name, headers=MEMBER_HEADERS, rows=rows, fmt=fmt)


@login_required
def kim_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "create", "network.kim"):
        raise PermissionDenied
    form = KimForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            kim = services.kim_create(actor=actor, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("KIM registered."))
            return redirect("network:kim_manage", pk=kim.pk)
    return render(request, "network/kim_form.html", {"form": form, "kim": None})


def _managed_kim(actor: User, pk: int) -> Kim:
    kim = selectors.kim_get_for_actor(actor=actor, pk=pk)
    if kim is None:
        raise Http404(_("KIM not found."))
    return kim


@login_required
def kim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    kim = _managed_kim(actor, pk)
    initial = {
        name: getattr(kim, name)
        for name in KimForm.base_fields
        if name not in ("decree_file", "region")
    }
    initial["region"] = kim.region_id
    form = KimForm(
        request.POST or None, request.FILES or None, actor=actor, initial=initial
    )
    if actor.role == Role.KIM_COORDINATOR and not actor.is_superuser:
        # A coordinator keeps their KIM where it is.
        form.fields["region"].disabled = True
        form.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            kode=kim.region_id
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("decree_file"):
            data.pop("decree_file", None)
        try:
            services.kim_update(actor=actor, kim=kim, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("network:kim_manage", pk=kim.pk)
    return render(request, "network/kim_form.html", {"form": form, "kim": kim})


@login_required
def kim_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff/coordinator page of a KIM: members with personal data, activities."""
    actor = _user(request)
    kim = _managed_kim(actor, pk)
    fmt = _fmt(request)
    members = selectors.kim_members(actor=actor, kim=kim, include_former=True)
    if fmt:
        return _member_export(
            actor,
            members.select_related("kim"),
            fmt,
            f"anggota-kim-{kim.pk}",
            kim.region_id,
        )
    form = MemberForm(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=actor, kim=kim, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Member added."))
            return redirect("network:kim_manage", pk=kim.pk)
    return render(
        request,
        "network/kim_manage.html",
        {
            "kim": kim,
            "members": members,
            "form": form,
            "activities": selectors.activity_list_for_actor(
                actor=actor, kim_id=kim.pk
            ).prefetch_related("photos")[:20],
            "scores": kim.scores.order_by("-month")[:6],
        },
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    membership = (
        Membership.objects.select_related("kim", "person").filter(pk=pk).first()
    )
    if (
        membership is None
        or not selectors.kim_list_for_actor(actor=actor)
        .filter(pk=membership.kim_id)
        .exists()
    ):
        raise Http404(_("Member not found."))
    person = membership.person
    initial = {
        "full_name": person.full_name,
        "phone": person.phone or "",
        "email": person.email,
        "role": membership.role,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        "is_coordinator": membership.is_coordinator,
        "public_contact": person.public_contact,
    }
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                actor=actor, membership=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("network:kim_manage", pk=membership.kim_id)
    return render(
        request, "network/member_form.html", {"form": form, "membership": membership}
    )


# --- staff: activities -------------------------------------------------------------
@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    kim = _managed_kim(actor, pk)
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["links"] = data.get("links", "").split()
        try:
            services.activity_create(actor=actor, kim=kim, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity reported. Staff will review it."))
            return redirect("network:kim_manage", pk=kim.pk)
    return render(
        request,
        "network/activity_form.html",
        {"form": form, "kim": kim, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


@login_required
def activity_review_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    status = request.GET.get("status", Activity.Status.SUBMITTED)
    status = status if status in Activity.Status.values else ""
    activities = selectors.activity_list_for_actor(
        actor=actor, status=status or None, q=request.GET.get("q", "")[:100]
    ).prefetch_related("photos")
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="kegiatan-kim",
            headers=[
                "id",
                "kim",
                "kode_wilayah",
                "jenis",
                "judul",
                "tanggal",
                "tempat",
                "peserta",
                "status",
            ],
            rows=(
                [
                    a.pk,
                    a.kim.name,
                    a.kim.region_id,
                    a.kind,
                    a.title,
                    a.date,
                    a.place,
                    a.participants,
                    a.status,
                ]
                for a in activities
            ),
            fmt=fmt,
        )
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/activity_review.html",
        {
            "page": page,
            "status": status,
            "statuses": Activity.Status.choices,
            "can_review": can(actor, "review", "network.activity"),
        },
    )


@login_required
@require_POST
def activity_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    activity = selectors.activity_list_for_actor(actor=actor).filter(pk=pk).first()
    if activity is None:
        raise Http404(_("Activity not found."))
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.activity_review(
            actor=actor,
            activity=activity,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Review saved."))
    return redirect(request.POST.get("next") or reverse("network:activity_review_list"))


# --- staff: import -----------------------------------------------------------------
@login_required
def kim_import_view(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "import", "network.kim"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                result = kim_import(
                    actor=actor, data=upload.read(), filename=upload.name
                )
            except SheetError as exc:
                form.add_error("file", str(exc))
    return render(
        request,
        "network/import.html",
        {"form": form, "result": result, "columns": TEMPLATE_COLUMNS},
    )


@login_required
def kim_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return export_response(
        filename="templat-impor-kim",
        headers=[c[0] for c in TEMPLATE_COLUMNS],
        rows=template_rows(),
        fmt=fmt,
    )


# --- staff: forums -----------------------------------------------------------------
@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "create", "network.forum"):
        raise PermissionDenied
    form = ForumForm(request.POST or None, actor=actor, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Forum saved."))
            return redirect(forum.get_absolute_url())
    return render(request, "network/forum_form.html", {"form": form, "forum": None})


@login_required
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    forum = Forum.objects.filter(pk=pk).first()
    if forum is None or not can(
        actor, "change", "network.forum", region_code=forum.region_id
    ):
        raise Http404(_("Forum not found."))
    initial: dict[str, Any] = {
        name: getattr(forum, name)
        for name in ForumForm.base_fields
        if name not in ("region", "kims")
    }
    initial["kims"] = list(forum.kims.values_list("pk", flat=True))
    form = ForumForm(request.POST or None, actor=actor, initial=initial)
    board_form = BoardMemberForm(request.POST or None, prefix="b")
    if request.method == "POST":
        if "b-full_name" in request.POST:
            if board_form.is_valid():
                try:
                    services.board_member_add(
                        actor=actor,
                        forum=forum,
                        order=forum.board.count(),
                        **board_form.cleaned_data,
                    )
                except ValidationError as exc:
                    add_validation_errors(board_form, exc)
                else:
                    messages.success(request, _("Board member added."))
                    return redirect("network:forum_edit", pk=forum.pk)
            form = ForumForm(actor=actor, initial=initial)
        elif form.is_valid():
            try:
                services.forum_update(actor=actor, forum=forum, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, _("Forum saved."))
                return redirect(forum.get_absolute_url())
            board_form = BoardMemberForm(prefix="b")
        else:
            board_form = BoardMemberForm(prefix="b")
    return render(
        request,
        "network/forum_form.html",
        {
            "form": form,
            "forum": forum,
            "board_form": board_form,
            "board": forum.board.select_related("person"),
        },
    )


# --- staff: events -----------------------------------------------------------------
@login_required
def staff_event_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "view", "network.event"):
        raise PermissionDenied
    events = selectors.event_list_for_actor(
        actor=actor, q=request.GET.get("q", "")[:100]
    )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/staff_event_list.html",
        {"page": page, "can_create": can(actor, "create", "network.event")},
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "create", "network.event"):
        raise PermissionDenied
    form = EventForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=actor,
                organiser_region=actor.region
                or Region.objects.get(kode=settings.HOME_REGION),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Event saved."))
            return redirect("network:event_manage", pk=event.pk)
    return render(request, "network/event_form.html", {"form": form, "event": None})


def _managed_event(actor: User, pk: int) -> Event:
    event = selectors.event_list_for_actor(actor=actor).filter(pk=pk).first()
    if event is None:
        raise Http404(_("Event not found."))
    return event


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    event = _managed_event(actor, pk)
    initial: dict[str, Any] = {
        name: getattr(event, name)
        for name in EventForm.base_fields
        if name not in ("invited_regions",)
    }
    initial["region"] = event.region_id
    initial["invited_regions"] = list(
        event.invited_regions.values_list("kode", flat=True)
    )
    form = EventForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=actor, event=event, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect("network:event_manage", pk=event.pk)
    return render(request, "network/event_form.html", {"form": form, "event": event})


@login_required
def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's page: participants and check-in, speakers, materials,
    questions of the tests, the event's QR code for the venue."""
    actor = _user(request)
    event = _managed_event(actor, pk)
    participants = selectors.event_participants(actor=actor, event=event)
    fmt = _fmt(request)
    if fmt:
        rows = [
            [
                p.person.full_name,
                p.person.phone or "",
                p.person.email,
                p.origin,
                p.kim.name if p.kim else "",
                p.attendance.mode if hasattr(p, "attendance") else "",
                next((a.score for a in p.attempts.all() if a.phase == "pre"), None),
                next((a.score for a in p.attempts.all() if a.phase == "post"), None),
            ]
            for p in participants
        ]
        audit_record(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=event,
            region_code=event.organiser_region_id,
            changes={"rows": len(rows), "format": fmt, "list": "participants"},
        )
        return export_response(
            filename=f"peserta-acara-{event.pk}",
            headers=[
                "nama",
                "telepon",
                "email",
                "asal",
                "kim",
                "kehadiran",
                "pre_test",
                "post_test",
            ],
            rows=rows,
            fmt=fmt,
        )
    forms: dict[str, Any] = {
        "speaker": SpeakerForm(prefix="s"),
        "material": MaterialForm(prefix="mat"),
        "question": QuestionForm(prefix="q"),
        "participant": StaffRegistrationForm(prefix="p"),
    }
    if request.method == "POST":
        which = request.POST.get("form", "")
        done = _event_post(request, actor, event, which, forms)
        if done:
            return redirect("network:event_manage", pk=event.pk)
    checkin_url = _absolute(
        request,
        reverse(
            "network:event_checkin",
            kwargs={"pk": event.pk, "code": event.checkin_token},
        ),
    )
    return render(
        request,
        "network/event_manage.html",
        {
            "event": event,
            "participants": participants,
            "forms": forms,
            "checkin_url": checkin_url,
            "qr": qr_svg(checkin_url),
            "questions": event.questions.prefetch_related("choices"),
            "training": selectors.training_result(event=event)
            if event.is_training
            else None,
            "when": services.event_when_label(event),
        },
    )


def _event_post(
    request: HttpRequest, actor: User, event: Event, which: str, forms: dict
) -> bool:
    form: Any
    try:
        if which == "speaker":
            form = forms["speaker"] = SpeakerForm(request.POST, prefix="s")
            if form.is_valid():
                services.speaker_add(actor=actor, event=event, **form.cleaned_data)
                messages.success(request, _("Speaker added."))
                return True
        elif which == "material":
            form = forms["material"] = MaterialForm(
                request.POST, request.FILES, prefix="mat"
            )
            if form.is_valid():
                services.material_add(actor=actor, event=event, **form.cleaned_data)
                messages.success(request, _("Material added."))
                return True
        elif which == "question":
            form = forms["question"] = QuestionForm(request.POST, prefix="q")
            if form.is_valid():
                data = form.cleaned_data
                services.question_add(
                    actor=actor,
                    event=event,
                    text=data["text"],
                    choices=[data[f"choice_{i}"] for i in range(1, 5)],
                    correct=data["correct"],
                )
                messages.success(request, _("Question added."))
                return True
        elif which == "participant":
            form = forms["participant"] = StaffRegistrationForm(
                request.POST, prefix="p"
            )
            if form.is_valid():
                services.participant_register(
                    actor=actor, event=event, invited=True, **form.cleaned_data
                )
                messages.success(request, _("Participant added."))
                return True
        elif which == "checkin":
            participant = event.participants.filter(
                pk=request.POST.get("participant") or 0
            ).first()
            mode = request.POST.get("mode", Attendance.Mode.ONSITE)
            if participant is not None and mode in Attendance.Mode.values:
                services.attendance_record(
                    participant=participant,
                    mode=mode,
                    method=Attendance.Method.ORGANISER,
                    actor=actor,
                )
                messages.success(request, _("Attendance recorded."))
                return True
    except ValidationError as exc:
        target = forms.get(which)
        if target is not None:
            add_validation_errors(target, exc)
        else:
            messages.error(request, " ".join(exc.messages))
    return False
