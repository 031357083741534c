"""What the newsroom adds to other apps' pages (registered in ``apps.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.permissions import can
from newsroom import cache, selectors
from regions import provinces
from regions.models import Region


def region_section(request: HttpRequest, region: Region) -> str:
    """The latest stories of the region on its public page."""

    def build() -> str:
        articles = list(selectors.article_list_public(region_code=region.kode)[:4])
        return render_to_string(
            "newsroom/_region_section.html", {"region": region, "articles": articles}
        )

    return cache.cached("region-section", (region.kode,), build)


def potential_section(request: HttpRequest, region: Region) -> str:
    """The region's local potential (the newest four) and a link to its
    directory, on the region's public page and the home page."""

    def build() -> str:
        potentials = list(selectors.potential_list_public(region_code=region.kode)[:4])
        return render_to_string(
            "newsroom/_potential_section.html",
            {
                "region": region,
                "potentials": potentials,
                "HOME_REGION": provinces.root_region(),
            },
        )

    return cache.cached("potential-section", (region.kode,), build)


def dashboard_panel(request: HttpRequest) -> str:
    """The staff dashboard's newsroom panel: own articles, reviews waiting."""
    user = request.user
    if not (
        can(user, "view", "newsroom.article") or selectors.kims_of_user(user).exists()
    ):
        return ""
    articles = selectors.articles_for_actor(actor=user)
    return render_to_string(
        "newsroom/_dashboard_panel.html",
        {
            "recent": list(articles[:5]),
            "reviews": selectors.review_queue(actor=user).count(),
            "comments": selectors.comments_for_moderation(actor=user).count(),
            "can_reach": can(user, "view", "newsroom.reach"),
        },
        request=request,
    )
