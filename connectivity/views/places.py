"""Priority places and staff observations of a village, and the places import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can, permitted_user
from connectivity import exports, selectors, services
from connectivity.forms import (
    ImportForm,
    ObservationForm,
    PlaceForm,
)
from connectivity.models import Observation
from connectivity.views._common import (
    _editor,
    _region_or_404,
    _user,
)
from core.forms import add_validation_errors
from core.viewtools import form_write
from regions.models import Region


def _village_for_edit(
    request: HttpRequest, kode: str, action: str, resource: str
) -> Region:
    region = _region_or_404(kode)
    _editor(request, region.kode, action, resource)
    return region


@login_required
@require_POST
def place_add(request: HttpRequest, kode: str) -> HttpResponse:
    region = _village_for_edit(request, kode, "add", "connectivity.place")
    form = PlaceForm(request.POST)
    if form_write(
        request,
        form,
        lambda: services.place_create(
            actor=_user(request), region=region, **form.cleaned_data
        ),
        _("Place added."),
    ):
        return redirect("connectivity:village", kode=kode)
    return render(
        request,
        "connectivity/place_form.html",
        {"form": form, "region": region, "place": None},
        status=400,
    )


@login_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get(pk=pk)
    user = _editor(
        request, place.region_id if place else None, "change", "connectivity.place"
    )
    assert place is not None
    initial = {f: getattr(place, f) for f in PlaceForm.base_fields}
    if not place.weight_is_custom:
        initial["weight"] = None
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("delete") and can(
            user, "delete", "connectivity.place", region_code=place.region_id
        ):
            services.place_delete(actor=user, place=place)
            messages.success(request, _("Place deleted."))
            return redirect("connectivity:village", kode=place.region_id)
        if form_write(
            request,
            form,
            lambda: services.place_update(actor=user, place=place, **data),
            _("Place saved."),
        ):
            return redirect("connectivity:village", kode=place.region_id)
    return render(
        request,
        "connectivity/place_form.html",
        {"form": form, "region": place.region, "place": place},
    )


@login_required
@require_POST
def observation_add(request: HttpRequest, kode: str) -> HttpResponse:
    region = _village_for_edit(request, kode, "add", "connectivity.observation")
    form = ObservationForm(request.POST, region=region)
    if form.is_valid():
        data = form.cleaned_data
        try:
            obs = services.observation_create(
                actor=_user(request),
                region=region,
                place=data["place"],
                technology=data["technology"],
                operator=data["operator"] or "",
                service=data["service"],
                method=data["method"],
                observed_at=data["observed_at"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Observation recorded.")
                if obs.status == Observation.Status.CONFIRMED
                else _("Report recorded; staff will confirm it."),
            )
            return redirect("connectivity:village", kode=kode)
    messages.error(
        request,
        "; ".join(
            f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()
        ),
    )
    return redirect("connectivity:village", kode=kode)


@login_required
def places_import(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "add", "connectivity.place")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = exports.parse_places(upload.read(), upload.name)
        except exports.ImportFormatError as exc:
            form.add_error("file", str(exc))
        else:
            result = services.places_import(
                actor=user, rows=rows, source=upload.name[:100]
            )
    return render(
        request, "connectivity/places_import.html", {"form": form, "result": result}
    )
