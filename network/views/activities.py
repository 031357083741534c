"""Staff pages for KIM activities and their review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from core.idempotency import idempotent
from core.viewtools import choice_param, form_status, form_write, or_404
from network import selectors, services
from network.forms import (
    ActivityForm,
    ReviewForm,
)
from network.importing import (
    export_response,
)
from network.models import (
    Activity,
)
from network.uploads import MAX_UPLOAD_BYTES
from network.views._common import PER_PAGE, _fmt, _user


@login_required
@idempotent
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    # Members report for their own KIM too (issue 15), not only those who manage it.
    kim = or_404(
        selectors.kims_reporting_for(actor).filter(pk=pk).first(), _("KIM not found.")
    )
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["links"] = data.get("links", "").split()
        if form_write(
            request,
            form,
            lambda: services.activity_create(actor=actor, kim=kim, **data),
            _("Activity reported. Staff will review it."),
            refused=True,
        ):
            if selectors.kim_get_for_actor(actor=actor, pk=kim.pk) is None:
                return redirect("accounts:dashboard")  # a member: back home
            return redirect("network:kim_manage", pk=kim.pk)
    return render(
        request,
        "network/activity_form.html",
        {"form": form, "kim": kim, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=form_status(form),
    )


@login_required
def activity_review_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    # No filter asked for: the reviewer's queue; an empty or unknown one: all.
    status = (
        choice_param(request, "status", Activity.Status.values)
        if "status" in request.GET
        else Activity.Status.SUBMITTED
    )
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
                    a.get_kind_display(),
                    a.title,
                    a.date,
                    a.place,
                    a.participants,
                    a.get_status_display(),
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
    activity = or_404(
        selectors.activity_list_for_actor(actor=actor).filter(pk=pk).first(),
        _("Activity not found."),
    )
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
