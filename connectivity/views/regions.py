"""The public pages of a region and a village: signal status, history, map
data and exports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control

from connectivity import exports, selectors, services
from connectivity.forms import (
    ObservationForm,
    PlaceForm,
)
from connectivity.models import Programme
from connectivity.views._common import (
    _may,
    _region_or_404,
    _user,
)
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors


def index(request: HttpRequest) -> HttpResponse:
    """The home province's connectivity; where the deployment serves several
    provinces, a chooser of them with each one's blankspot count."""
    if not provinces.is_national():
        return region_page(request, settings.HOME_REGION)
    rows = [selectors.progress(region=p) for p in provinces.served_provinces()]
    return render(request, "connectivity/provinces.html", {"rows": rows})


def region_page(request: HttpRequest, kode: str) -> HttpResponse:
    """A region's blankspots, towers and progress, with the map and charts."""
    region = _region_or_404(kode)
    if region.level == Region.Level.VILLAGE:
        return redirect("connectivity:village", kode=kode)
    progress = selectors.progress(region=region)
    children = selectors.progress_children(region=region)
    history = selectors.progress_history(region=region)
    blankspots = selectors.village_statuses(region=region, status="blankspot")
    return render(
        request,
        "connectivity/region.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "progress": progress,
            "children": children,
            "history": history,
            "chart": _history_chart(history),
            "blankspots": blankspots[:200],
            "programmes": selectors.programmes_list(region=region),
            "may_plan": _may(request, "add", "connectivity.plan", region.kode),
        },
    )


def _history_chart(history: list[Any]) -> dict[str, str] | None:
    """Polylines (SVG points) of the shares with signal over the snapshots."""
    if len(history) < 2:
        return None
    n = len(history) - 1

    def line(part: str, whole: str) -> str:
        pts = []
        for i, s in enumerate(history):
            share = getattr(s, part) / getattr(s, whole) if getattr(s, whole) else 0
            pts.append(f"{20 + 295 * i / n:.1f},{110 - 100 * share:.1f}")
        return " ".join(pts)

    return {
        "villages": line("villages_signal", "villages_known"),
        "offices": line("offices_signal", "offices_known"),
        "first": history[0].day.isoformat(),
        "last": history[-1].day.isoformat(),
    }


def village_page(request: HttpRequest, kode: str) -> HttpResponse:
    region = _region_or_404(kode)
    if region.level != Region.Level.VILLAGE:
        return redirect("connectivity:region", kode=kode)
    status = selectors.village_status_get(region=region)
    if status is None:
        status = services.village_status_refresh(region=region)
    user = _user(request)
    may_add_place = _may(request, "add", "connectivity.place", kode)
    may_observe = _may(request, "add", "connectivity.observation", kode)
    may_confirm = _may(request, "confirm", "connectivity.observation", kode)
    observations = selectors.observations_list(
        region=region, include_unconfirmed=may_confirm
    )
    return render(
        request,
        "connectivity/village.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "status": status,
            "places": selectors.places_list(region=region),
            "observations": observations[:50],
            "towers": selectors.towers_list(region=region),
            "place_form": PlaceForm(
                initial={"lat": region.rep_lat, "lng": region.rep_lng}
            )
            if may_add_place
            else None,
            "observation_form": ObservationForm(region=region) if may_observe else None,
            "may_confirm": may_confirm,
            "programmes": Programme.objects.filter(villages=region),
            "signed_in": user is not None,
        },
    )


@cache_control(max_age=60)
def map_data(request: HttpRequest, kode: str) -> JsonResponse:
    region = _region_or_404(kode)
    # The province map shows villages and towers; places from a regency down.
    places = region.level != Region.Level.PROVINCE
    return JsonResponse(selectors.map_layers(region=region, places=places))


def export_villages_csv(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.villages_csv_response(region=_region_or_404(kode))


def export_places_csv(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.places_csv_response(region=_region_or_404(kode))


def export_geojson(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.geojson_response(region=_region_or_404(kode))


def export_pdf(request: HttpRequest, kode: str) -> HttpResponse:
    region = _region_or_404(kode)
    response = HttpResponse(
        exports.pdf_report(region=region), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sinyal-{region.kode}.pdf"'
    return response
