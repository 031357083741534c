"""The participant's pages: registration home, QR check-in, tests, certificate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import add_validation_errors
from core.idempotency import idempotent
from core.viewtools import form_status, form_write, or_404
from network import selectors, services, venue_code
from network.certificates import certificate_pdf
from network.forms import (
    CheckinForm,
    TestForm,
    VenueCodeForm,
)
from network.models import (
    Attendance,
    Certificate,
    Participant,
    QuizAttempt,
)
from network.qr import qr_svg
from network.views._common import _absolute


def _participant(token: str) -> Participant:
    return or_404(
        selectors.participant_by_token(token=token), _("This link is not valid.")
    )


@idempotent
def participant_home(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own page (their ticket): the QR code the organiser
    scans, the box for the code shown at the venue, the online-session link,
    tests, certificate."""
    participant = _participant(token)
    event = participant.event
    code_form = VenueCodeForm(request.POST or None)
    if form_write(
        request,
        code_form,
        lambda: services.attendance_by_venue_code(
            participant=participant, code=code_form.cleaned_data["code"]
        ),
        _("Attendance recorded. Welcome!"),
    ):
        return redirect(participant.get_absolute_url())
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
            "checkin_open": event.checkin_open(),
            "code_form": code_form,
            "qr": qr_svg(checkin_url),
            "eligible": eligible,
            "reason": reason,
            "has_questions": event.is_training and event.questions.exists(),
        },
        status=form_status(code_form),
    )


@idempotent
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The URL in a participant's QR code, scanned by the organiser at the
    venue: the organiser confirms (POST) and the attendance is recorded. Anyone
    else (the participant at home) is told how check-in works; nothing counts."""
    participant = _participant(token)
    event = participant.event
    user = request.user
    # The organisers, and coordinators of KIMs where it is held, at the door.
    organiser = user.is_authenticated and selectors.can_check_in(user, event)
    if request.method == "POST":
        if not organiser:
            raise PermissionDenied
        try:
            services.attendance_record(
                participant=participant,
                mode=Attendance.Mode.ONSITE,
                method=Attendance.Method.ORGANISER,
                actor=user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance recorded. Welcome!"))
        return redirect("network:checkin", token=token)
    return render(
        request,
        "network/checkin.html",
        {
            "participant": participant,
            "event": event,
            "when": services.event_when_label(event),
            "organiser": organiser,
            "checkin_open": event.checkin_open(),
            "attendance": Attendance.objects.filter(participant=participant).first(),
        },
    )


def online_join(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own link to the online session: opened during the
    event it records their online attendance; it always leads to the meeting."""
    participant = _participant(token)
    event = participant.event
    if not event.online_url:
        raise Http404(_("This event has no online session."))
    # Outside the event's time nothing is recorded (joining early to test the
    # link is not attending).
    services.attendance_online(participant=participant)
    return redirect(event.online_url)


@idempotent
def event_checkin(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The venue code's QR (shown on the organiser's screen, changing every few
    minutes): participants check in by name and phone number (registered ones
    are recognised by phone)."""
    event = or_404(
        selectors.event_get(pk=pk, published_only=False),
        _("This link is not valid."),
    )
    if not venue_code.code_valid(event.checkin_token, event.pk, code, timezone.now()):
        return render(
            request, "network/event_checkin.html", {"event": event}, status=410
        )
    form = CheckinForm(request.POST or None)
    if attendance := form_write(
        request,
        form,
        lambda: services.event_checkin_by_event_code(
            event=event, code=code, **form.cleaned_data
        ),
        _("Attendance recorded. Welcome!"),
    ):
        return redirect(attendance.participant.get_absolute_url())
    return render(
        request,
        "network/event_checkin.html",
        {"event": event, "form": form},
        status=form_status(form),
    )


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
