from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from core.viewtools import or_404
from regions.models import Region
from regions.pages import render_sections
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


def _region_or_404(kode: str) -> Region:
    return or_404(
        region_get(kode=kode), _("No region has the code %(kode)s.") % {"kode": kode}
    )


def home(request: HttpRequest) -> HttpResponse:
    """The public home of the province."""
    return region_detail(request, PROVINCE_CODE, template="regions/home.html")


def region_detail(
    request: HttpRequest, kode: str, template: str = "regions/detail.html"
) -> HttpResponse:
    region = _region_or_404(kode)
    return render(
        request,
        template,
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "summary": region_summary(region=region),
            "children": children_with_counts(region=region),
            "sections": render_sections(request, region),
        },
    )


def region_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    results = list(region_list(q=q)[:20]) if len(q) >= 2 else []
    return render(request, "regions/_search_results.html", {"results": results, "q": q})


@cache_control(max_age=3600, public=True)
def region_map_data(request: HttpRequest, kode: str) -> JsonResponse:
    """Boundary of a region and of its children, for the page's map."""
    region = _region_or_404(kode)
    return JsonResponse(
        {
            "region": region_feature(region=region),
            "children": region_children_features(region=region),
        }
    )
