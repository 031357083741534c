"""Citizens' signal reports (the offline-ready form) and the staff queue that
reviews them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.permissions import in_scope, permitted_user
from connectivity import conf, selectors, services
from connectivity.forms import (
    ReportForm,
)
from connectivity.views._common import (
    _user,
)
from core.forms import add_validation_errors
from regions import provinces
from regions.models import Region
from regions.selectors import subtree_q, village_from_text


def _report_rate(group: str, request: HttpRequest) -> str:
    return conf.report_rate()


@ratelimit(key="ip", rate=_report_rate, method="POST", block=True)
def report(request: HttpRequest) -> HttpResponse:
    """The phone page for "no signal here". With JavaScript the report goes to the
    API (and waits in the phone while offline); without, it posts here."""
    form = ReportForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = None
        if data["region"]:
            try:
                region = village_from_text(text=data["region"])
            except ValidationError as exc:
                add_validation_errors(form, exc)
        if not form.errors:
            try:
                done, _created = services.report_submit(
                    actor=_user(request),
                    idempotency_key=data["idempotency_key"],
                    region=region,
                    lat=data.get("lat"),
                    lng=data.get("lng"),
                    technology=data["technology"],
                    operator=data.get("operator") or "",
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
    return render(
        request,
        "connectivity/report.html",
        {"form": form, "done": done, "villages": _village_suggestions(request)},
    )


def _village_suggestions(request: HttpRequest) -> QuerySet[Region]:
    """The villages the report form suggests, kept with the page for offline use:
    those of the provinces served (about a thousand for Kaltim). A deployment
    serving every province suggests those of the signed-in person's province
    only (the country's 83,000 would weigh megabytes); typed names still
    resolve on the server."""
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if provinces.serves_all():
        own = getattr(request.user, "region_id", None)
        if not own:
            return villages.none()
        villages = villages.filter(subtree_q(own.split(".")[0], "kode"))
    return villages.filter(provinces.served_q("kode")).select_related("parent")


@login_required
def report_queue(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "confirm", "connectivity.observation")
    reports = selectors.reports_pending(actor=user)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(request, "connectivity/report_queue.html", {"page": page})


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(pk=pk)
    user = _user(request)
    if obs is None or user is None or not in_scope(user, obs.region_id):
        raise Http404
    services.observation_review(
        actor=user, observation=obs, confirm=request.POST.get("decision") == "confirm"
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "connectivity/_report_row.html", {"obs": obs})
    return redirect("connectivity:report_queue")
