"""Local potential ("Potensi Daerah"): the public directory per region and
category, and the staff page that writes a local-potential story (its review
and publication are the article pages')."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.viewtools import choice_param, form_write
from newsroom import cache, selectors, services
from newsroom.forms import PotentialForm
from newsroom.models import Article, Potential, PotentialCategory
from newsroom.views.common import PROVINCE, _page, _user
from newsroom.views.staff import draft_new
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors, region_get

#: The length of a child's code under a region of each level (64 → 64.02 →
#: 64.02.06 → 64.02.06.1001).
_CHILD_CODE_LENGTH: dict[str, int] = {
    Region.Level.PROVINCE.value: 5,
    Region.Level.REGENCY.value: 8,
    Region.Level.DISTRICT.value: 13,
}


def _children_with_counts(region: Region, potentials: Any) -> list[tuple[Region, int]]:
    """The region's child regions that have stories, with how many (one
    query for the counts), so the visitor drills down only where there is
    something to find."""
    length = _CHILD_CODE_LENGTH.get(region.level)
    if length is None:
        return []
    counts = dict(
        potentials.order_by()
        .annotate(code=Substr("place_id", 1, length))
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    children = Region.objects.filter(kode__in=counts).order_by("name")
    return [(child, counts[child.kode]) for child in children]


def potential_directory(request: HttpRequest, kode: str = "") -> HttpResponse:
    """Published local-potential stories of a region (the province by default),
    of one category or all; regions beneath it with stories to drill into."""
    category = choice_param(request, "kategori", PotentialCategory.values)
    number = _page(request)

    def build() -> dict[str, Any]:
        if not kode and provinces.is_national():
            return _national_potentials(category, number)
        region = region_get(kode=(kode or PROVINCE)[:13])
        if region is None or not provinces.is_served(region.kode):
            return {"missing": True}
        potentials = selectors.potential_list_public(
            region_code=region.kode, category=category
        )
        page = Paginator(potentials, selectors.PAGE_SIZE).get_page(number)
        feed = (
            reverse("newsroom:potential_region", kwargs={"kode": region.kode})
            if kode
            else reverse("newsroom:potential")
        )
        return _potential_parts(
            title=_("Local potential of %(region)s") % {"region": region.name},
            feed=feed,
            region=region,
            ancestors=region_ancestors(region=region),
            children=_children_with_counts(region, potentials),
            category=category,
            page=page,
        )

    parts = cache.cached("potential", (kode, category, number), build)
    if parts.get("missing"):
        raise Http404(_("Not found."))
    return render(request, "newsroom/page.html", parts)


def _national_potentials(category: str, number: int | str) -> dict[str, Any]:
    """The national directory (a deployment serving several provinces): the
    stories of every province served, and the provinces to drill into."""
    potentials = selectors.potential_list_public(category=category).filter(
        provinces.served_q("place__kode")
    )
    counts = dict(
        potentials.order_by()
        .annotate(code=Substr("place_id", 1, 2))
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    children = [
        (p, counts[p.kode]) for p in provinces.served_provinces() if p.kode in counts
    ]
    return _potential_parts(
        title=_("Local potential of the provinces served"),
        feed=reverse("newsroom:potential"),
        region=None,
        ancestors=[],
        children=children,
        category=category,
        page=Paginator(potentials, selectors.PAGE_SIZE).get_page(number),
    )


def _potential_parts(*, title: str, feed: str, **context: Any) -> dict[str, Any]:
    """The directory's page parts (cached whole): its listing and its feeds."""
    context.update(
        title=title,
        feed=feed,
        categories=PotentialCategory.choices,
        HOME_REGION=provinces.root_region(),
    )
    return {
        "title": title,
        "main": render_to_string("newsroom/potential_list.html", context),
        "feeds": [(title, feed + "rss/", "rss"), (title, feed + "atom/", "atom")],
    }


def _potential_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in PotentialForm.SERVICE_FIELDS}


@login_required
def potential_new(request: HttpRequest) -> HttpResponse:
    return draft_new(
        request,
        PotentialForm,
        services.potential_create,
        _potential_fields,
        potential_form=True,
    )


def potential_initial(potential: Potential) -> dict[str, Any]:
    """The facts as the form shows them again."""
    return {
        "category": potential.category,
        "name": potential.name,
        "place": potential.place,
        "lat": potential.lat,
        "lng": potential.lng,
        "address": potential.address,
        "phone": potential.phone,
        "price_range": potential.price_range,
        "opening_hours": potential.opening_hours,
        "starts_on": potential.starts_on,
        "ends_on": potential.ends_on,
    }


def potential_save(
    request: HttpRequest, form: PotentialForm, article: Article
) -> Article | None:
    user = _user(request)
    return form_write(
        request,
        form,
        lambda: services.potential_update(
            actor=user, article=article, **_potential_fields(form.cleaned_data)
        ),
        _("Changes saved."),
    )
