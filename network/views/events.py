"""Event pages: the public calendar and event page, the staff lists and forms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can, permitted_user
from accounts.phones import phone_text
from accounts.services import audit_record
from core.forms import add_validation_errors
from core.idempotency import idempotent
from core.links import site_url
from core.viewtools import choice_param, form_status, form_write, or_404
from network import calendar, selectors, services, venue_code
from network.forms import (
    EventForm,
    MaterialForm,
    QuestionForm,
    RegistrationForm,
    SpeakerForm,
    StaffRegistrationForm,
)
from network.importing import (
    export_response,
)
from network.models import (
    Attendance,
    Event,
)
from network.qr import qr_svg
from network.views._common import PER_PAGE, _absolute, _fmt, _user
from regions import provinces
from regions.models import Region


def event_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    kind = choice_param(request, "kind", Event.Kind.values)
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
                    e.get_kind_display(),
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


@idempotent
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    user = request.user
    if event is None:
        draft = selectors.event_get(pk=pk, published_only=False)
        if draft is None or not selectors.can_manage_event(user, draft):
            raise Http404(_("Event not found."))
        event = draft
    form = RegistrationForm(request.POST or None)
    if participant := form_write(
        request,
        form,
        lambda: services.participant_register(
            actor=None, event=event, **form.cleaned_data
        ),
        _(
            "You are registered. Keep this page: it has your QR code for "
            "check-in and, for trainings, your tests and certificate."
        ),
        refused=True,
    ):
        return redirect(participant.get_absolute_url())
    return render(
        request,
        "network/event_detail.html",
        {
            "event": event,
            "form": form,
            "can_register": event.registration == Event.Registration.PUBLIC
            and event.is_published
            and event.registration_open(),
            "registration_closed": not event.registration_open(),
            "can_manage": selectors.can_manage_event(user, event),
            "when": services.event_when_label(event),
            "jsonld": calendar.event_jsonld(
                event, url=request.build_absolute_uri(event.get_absolute_url())
            )
            if event.is_published
            else None,
        },
        status=form_status(form),
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The event for a calendar app (iCalendar, RFC 5545); published events only."""
    event = or_404(selectors.event_get(pk=pk), _("Event not found."))
    body = calendar.event_ics(event, url=site_url(event.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acara-{event.pk}.ics"'
    return response


@login_required
def staff_event_list(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "view", "network.event")
    events = selectors.event_list_for_actor(
        actor=actor, q=request.GET.get("q", "")[:100]
    )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/staff_event_list.html",
        {"page": page, "can_create": can(actor, "create", "network.event")},
    )


def _organiser_default(held_in: Region | None) -> Region:
    """The office of an event created by someone with no region of their own (a
    platform admin): the home province's, or, serving several provinces, that
    of the province it is held in, whose staff are to run it."""
    if held_in is not None and provinces.is_national():
        province = Region.objects.filter(kode=held_in.kode[:2]).first()
        if province is not None:
            return province
    return Region.objects.get(kode=settings.HOME_REGION)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "create", "network.event")
    form = EventForm(request.POST or None, actor=actor)
    if event := form_write(
        request,
        form,
        lambda: services.event_create(
            actor=actor,
            organiser_region=actor.region
            or _organiser_default(form.cleaned_data.get("region")),
            **form.cleaned_data,
        ),
        _("Event saved."),
        refused=True,
    ):
        return redirect("network:event_manage", pk=event.pk)
    return render(request, "network/event_form.html", {"form": form, "event": None})


def _managed_event(actor: User, pk: int) -> Event:
    return or_404(
        selectors.event_list_for_actor(actor=actor).filter(pk=pk).first(),
        _("Event not found."),
    )


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
    if form_write(
        request,
        form,
        lambda: services.event_update(actor=actor, event=event, **form.cleaned_data),
        _("Event saved."),
    ):
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
                phone_text(p.person.phone or p.contact_phone),
                p.person.email,
                p.origin,
                p.kim.name if p.kim else "",
                p.attendance.get_mode_display() if hasattr(p, "attendance") else "",
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
        "walkin": StaffRegistrationForm(prefix="w"),
    }
    if request.method == "POST":
        which = request.POST.get("form", "")
        done = _event_post(request, actor, event, which, forms)
        if done:
            return redirect("network:event_manage", pk=event.pk)
    return render(
        request,
        "network/event_manage.html",
        {
            "event": event,
            "participants": participants,
            "forms": forms,
            "checkin_open": event.checkin_open(),
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
        elif which == "walkin":
            form = forms["walkin"] = StaffRegistrationForm(request.POST, prefix="w")
            if form.is_valid():
                services.participant_walk_in(
                    actor=actor, event=event, **form.cleaned_data
                )
                messages.success(request, _("Walk-in registered and checked in."))
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


@login_required
def event_venue_code(request: HttpRequest, pk: int) -> HttpResponse:
    """For the organiser's screen at the venue: the check-in code of the
    moment, as a QR code and as digits, refreshed by htmx polling."""
    actor = _user(request)
    event = _managed_event(actor, pk)
    now = timezone.now()
    code = venue_code.current_code(event.checkin_token, event.pk, now)
    url = _absolute(
        request, reverse("network:event_checkin", kwargs={"pk": event.pk, "code": code})
    )
    template = (
        "network/_venue_code.html"
        if request.headers.get("HX-Request")
        else "network/venue_code.html"
    )
    return render(
        request,
        template,
        {
            "event": event,
            "code": code,
            "url": url,
            "qr": qr_svg(url, scale=8),
            "checkin_open": event.checkin_open(now),
            "seconds_left": venue_code.seconds_left(now),
            "when": services.event_when_label(event),
        },
    )
