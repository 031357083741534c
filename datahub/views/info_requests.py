"""Information requests (PPID): the public pages and the staff's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from accounts.permissions import can, permitted_user
from core import exports
from core.idempotency import idempotent
from core.inputs import parse_year
from core.viewtools import form_status, form_write, or_404
from datahub import selectors, services
from datahub.forms import (
    AnswerForm,
    ExtendForm,
    InfoRequestForm,
    ObjectionForm,
    ObjectionResponseForm,
    RefuseForm,
)
from datahub.models import (
    InfoRequest,
    Objection,
)
from datahub.views._common import _user


def ppid_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "datahub/ppid_home.html",
        {"offices": selectors.office_list()},
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
@idempotent
def request_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if office_slug := request.GET.get("kantor"):
        office = selectors.office_get(slug_or_id=office_slug)
        if office is not None:
            initial["office"] = office
    form = InfoRequestForm(request.POST or None, initial=initial)
    if filed := form_write(
        request, form, lambda: services.info_request_file(**form.cleaned_data)
    ):
        return redirect(filed.get_absolute_url() + "?baru=1")
    return render(
        request, "datahub/ppid_form.html", {"form": form}, status=form_status(form)
    )


def request_track(request: HttpRequest) -> HttpResponse:
    """Status by tracking number alone (no answer, no personal data)."""
    number = request.GET.get("nomor", "").strip()[:40]
    found = selectors.info_request_get_public(number=number) if number else None
    days_left = (
        selectors.working_days_left(due=found.due_on)
        if found and found.is_open
        else None
    )
    return render(
        request,
        "datahub/ppid_track.html",
        {
            "number": number,
            "found": found,
            "days_left": days_left,
            "overdue": -(days_left or 0),
        },
    )


def _tracked(number: str, key: str) -> InfoRequest:
    return or_404(
        selectors.info_request_get_public(number=number, key=key),
        _("No request has this tracking number and key."),
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def request_track_detail(request: HttpRequest, number: str, key: str) -> HttpResponse:
    """The requester's page (link in the receipt): answer, documents, objections."""
    found = _tracked(number, key)
    form = ObjectionForm(request.POST or None)
    if form_write(
        request,
        form,
        lambda: services.objection_file(request=found, **form.cleaned_data),
        _("Your objection was received."),
    ):
        return redirect(found.get_absolute_url())
    days_left = selectors.working_days_left(due=found.due_on) if found.is_open else None
    return render(
        request,
        "datahub/ppid_detail.html",
        {
            "req": found,
            "new": request.GET.get("baru") == "1",
            "days_left": days_left,
            "overdue": -(days_left or 0),
            "form": form,
            "can_object": not found.objections.filter(
                status=Objection.Status.RECEIVED
            ).exists(),
        },
    )


def request_document(
    request: HttpRequest, number: str, key: str, document: int
) -> FileResponse:
    found = _tracked(number, key)
    doc = or_404(found.documents.filter(pk=document).first())
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


@login_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    """The queue: open requests first, by due date, with working days left."""
    actor = permitted_user(request, "view", "datahub.request")
    status = request.GET.get("status", "open")
    requests = selectors.info_requests_for_staff(actor=actor, status=status)
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.days_left = (  # type: ignore[attr-defined]
            selectors.working_days_left(due=item.due_on) if item.is_open else None
        )
        item.overdue = -(item.days_left or 0)  # type: ignore[attr-defined]
        item.show_contact = selectors.can_see_contact(actor, item)  # type: ignore[attr-defined]
    return render(
        request,
        "datahub/staff_requests.html",
        {"page": page, "status": status, "statuses": InfoRequest.Status.choices},
    )


@login_required
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    found = or_404(
        selectors.info_request_get_for_staff(actor=actor, pk=pk),
        _("Request not found."),
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    forms: dict[str, Any] = {
        "answer": AnswerForm(
            bound if action == "answer" else None,
            request.FILES if action == "answer" else None,
            actor=actor,
        ),
        "extend": ExtendForm(bound if action == "extend" else None),
        "refuse": RefuseForm(bound if action == "refuse" else None),
        "respond": ObjectionResponseForm(bound if action == "respond" else None),
    }
    form: Any = forms.get(action)

    def respond() -> Objection:
        objection = found.objections.filter(pk=request.POST.get("objection") or 0)
        return services.objection_respond(
            actor=actor,
            objection=or_404(objection.first()),
            response=form.cleaned_data["response"],
        )

    # Each form's service call, run on the form's cleaned data, and what it says.
    writes: dict[str, tuple[Callable[[], Model], str]] = {
        "answer": (
            lambda: services.info_request_answer(
                actor=actor, request=found, **form.cleaned_data
            ),
            _("The answer was recorded."),
        ),
        "extend": (
            lambda: services.info_request_extend(
                actor=actor, request=found, **form.cleaned_data
            ),
            _("The deadline was extended."),
        ),
        "refuse": (
            lambda: services.info_request_refuse(
                actor=actor,
                request=found,
                reason=form.cleaned_data["refusal_reason"],
                explanation=form.cleaned_data["explanation"],
            ),
            _("The refusal was recorded."),
        ),
        "respond": (respond, _("The response was recorded.")),
    }
    if form is not None and form_write(request, form, *writes[action], refused=True):
        return redirect("datahub:staff_request", pk=found.pk)
    days_left = selectors.working_days_left(due=found.due_on) if found.is_open else None
    return render(
        request,
        "datahub/staff_request.html",
        {
            "req": found,
            "forms": forms,
            "show_contact": selectors.can_see_contact(actor, found),
            "days_left": days_left,
            "overdue": -(days_left or 0),
            "can_answer": can(
                actor, "answer", "datahub.request", region_code=found.office.region_id
            ),
        },
    )


@login_required
def staff_report(request: HttpRequest) -> HttpResponse:
    """The yearly PPID report per office (``?format=csv`` to download)."""
    actor = permitted_user(request, "report", "datahub.request")
    this_year = timezone.localdate().year
    status = 200
    try:
        year = parse_year(request.GET.get("tahun"), default=this_year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        year, status = this_year, 400
    reports = selectors.ppid_report(actor=actor, year=year)
    if request.GET.get("format") == "csv" and status == 200:
        return exports.table_response(
            filename=f"laporan-ppid-{year}",
            headers=[
                "kantor",
                "kode_wilayah",
                "diterima",
                "dijawab",
                "ditolak",
                "dalam_proses",
                "diperpanjang",
                "terlambat",
                "keberatan",
                "rata_rata_hari_kerja",
            ],
            rows=(
                [
                    r.office.name,
                    r.office.region_id,
                    r.received,
                    r.answered,
                    r.refused,
                    r.open,
                    r.extended,
                    r.late,
                    r.objections,
                    r.average_days,
                ]
                for r in reports
            ),
        )
    refusal_labels = dict(InfoRequest.Refusal.choices)
    return render(
        request,
        "datahub/staff_report.html",
        {
            "year": year,
            "years": range(
                timezone.localdate().year, timezone.localdate().year - 5, -1
            ),
            "reports": reports,
            "refusal_labels": refusal_labels,
        },
        status=status,
    )
