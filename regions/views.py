from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from core.viewtools import or_404
from regions import provinces
from regions.forms import region_label
from regions.models import Region
from regions.pages import (
    Page,
    province_tallies,
    render_sections,
    tally_labels,
    tally_names,
)
from regions.selectors import (
    children_with_counts,
    region_ancestors,
    region_children_features,
    region_feature,
    region_get,
    region_list,
    region_summary,
)

PROVINCE_CODE = settings.HOME_REGION
TEMPLATES: dict[Page, str] = {
    "home": "regions/home.html",
    "region": "regions/detail.html",
    "data": "regions/data.html",
}


def _region_or_404(kode: str, *, served: bool = True) -> Region:
    """The region ``kode`` names; a 404 for an unknown code and, unless
    ``served`` is False, for a region of a province the deployment does not
    serve (as the other apps' pages)."""
    found = region_get(kode=kode) if not served or provinces.is_served(kode) else None
    return or_404(found, _("No region has the code %(kode)s.") % {"kode": kode})


def _person_region(request: HttpRequest, province: Region) -> Region:
    """The region a person's home page speaks of: their account's, when it lies
    in this deployment's province; else the province."""
    own = getattr(request.user, "region", None)
    if isinstance(own, Region) and province.contains_code(own.kode):
        return own
    return province


def home(request: HttpRequest) -> HttpResponse:
    """The public home, for people first: check a hoax, report no signal, find a
    KIM, the next events, the latest verdicts and news of the person's region.
    The indicator charts live on the region's data page.  A deployment serving
    several provinces opens on the national home instead."""
    if provinces.is_national():
        return national_home(request)
    # The home region, whatever SIMPUL_PROVINCES says (as before the check).
    return _province_home(request, _region_or_404(PROVINCE_CODE, served=False))


NATIONAL_TALLIES_SECONDS = 300


def national_home(request: HttpRequest) -> HttpResponse:
    """The provinces served, each with its figures and a link to its home."""
    served = list(provinces.served_provinces())
    codes = [p.kode for p in served]
    # Grouped counts over every province's KIMs, members, fact-checks and
    # articles: 0.7 s at national scale, so shared for a few minutes.
    key = "regions:national-tallies:" + ",".join(codes)
    cached = cache.get(key)
    if cached is None:
        labels, figures = province_tallies(codes)
        cache.set(key, figures, NATIONAL_TALLIES_SECONDS)
    else:
        labels, figures = tally_labels(), cached
    rows = [(p, figures[p.kode]) for p in served]
    totals = [sum(col) for col in zip(*figures.values(), strict=True)] or [
        0 for _ in labels
    ]
    return render(
        request,
        "regions/national_home.html",
        {
            "rows": rows,
            "labels": labels,
            "totals": totals,
            "tally_names": tally_names(),
        },
    )


def province_home(request: HttpRequest, kode: str) -> HttpResponse:
    """One served province's home, as a single-province deployment's home."""
    province = _region_or_404(kode, served=False)
    if not province.is_province or not provinces.is_served(province.kode):
        raise Http404(_("This deployment does not serve that province."))
    return _province_home(request, province)


def _province_home(request: HttpRequest, province: Region) -> HttpResponse:
    region = _person_region(request, province)
    return render(
        request,
        TEMPLATES["home"],
        {
            "region": region,
            "province": province,
            "children": children_with_counts(region=province),
            "sections": render_sections(request, region, page="home"),
        },
    )


def _region_page(request: HttpRequest, kode: str, page: Page) -> HttpResponse:
    region = _region_or_404(kode)
    context = {
        "region": region,
        "ancestors": region_ancestors(region=region),
        "sections": render_sections(request, region, page=page),
    }
    if page == "region":
        context["summary"] = region_summary(region=region)
        context["children"] = children_with_counts(region=region)
    return render(request, TEMPLATES[page], context)


def region_detail(request: HttpRequest, kode: str) -> HttpResponse:
    """A region's page: its areas (a list, then a map) and what apps add."""
    return _region_page(request, kode, "region")


def region_data(request: HttpRequest, kode: str) -> HttpResponse:
    """A region's data page: the indicator charts and figures the apps add."""
    return _region_page(request, kode, "data")


def region_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    # The regions of the provinces served: the others' pages do not exist here.
    results = list(region_list(q=q, served=True)[:20]) if len(q) >= 2 else []
    return render(request, "regions/_search_results.html", {"results": results, "q": q})


def region_pick(request: HttpRequest) -> JsonResponse:
    """Suggestions for the region picker (regions.forms.RegionInput): labels the
    field resolves back, of the levels asked for."""
    q = request.GET.get("q", "").strip()[:100]
    levels = [lv for lv in request.GET.get("levels", "").split(",") if lv]
    # Of the provinces served only: another's region takes no record here.
    results = region_list(q=q, served=True) if len(q) >= 2 else Region.objects.none()
    # A retired code takes no new record.
    results = results.filter(retired_at__isnull=True)
    if levels:
        results = results.filter(level__in=levels)
    return JsonResponse({"results": [region_label(r) for r in results[:15]]})


# Zoom levels a map may ask boundaries for (``?z=``); outside them, the nearest.
MAP_ZOOMS = range(4, 15)
MAP_CACHE_SECONDS = 6 * 3600


@cache_control(max_age=3600, public=True)
def region_map_data(request: HttpRequest, kode: str) -> JsonResponse:
    """Boundary of a region and of its children, for the page's map, simplified
    for the zoom level the map shows (``?z=``, else the region's own) and kept
    in the cache: the simplification walks every point."""
    region = _region_or_404(kode)
    try:
        zoom = int(request.GET.get("z", region.map_zoom))
    except ValueError:
        zoom = region.map_zoom
    zoom = min(max(zoom, MAP_ZOOMS.start), MAP_ZOOMS.stop - 1)
    key = f"regions:map:{region.kode}:{zoom}"
    data = cache.get(key)
    if data is None:
        data = {
            "region": region_feature(region=region, zoom=zoom),
            "children": region_children_features(region=region, zoom=zoom),
        }
        cache.set(key, data, MAP_CACHE_SECONDS)
    return JsonResponse(data)
