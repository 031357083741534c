"""What the network adds to other apps' pages (registered in ``apps.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.permissions import can
from network import selectors
from regions.models import Region


def region_section(request: HttpRequest, region: Region) -> str:
    """KIM counts and links on each region's public page."""
    counts = selectors.kim_counts_for_region(region=region)
    forum = None
    if region.level in (Region.Level.PROVINCE, Region.Level.REGENCY):
        forum = selectors.forum_list().filter(region=region).first()
    return render_to_string(
        "network/_region_section.html",
        {"region": region, "counts": counts, "forum": forum},
        request=request,
    )


def home_section(request: HttpRequest, region: Region) -> str:
    """The next events of the person's region (else the province's) on the home
    page."""
    upcoming = selectors.event_list(upcoming=True).order_by("starts_at", "pk")
    events = list(upcoming.filter(selectors.region_q(region.kode))[:3]) or list(
        upcoming[:3]
    )
    return render_to_string(
        "network/_home_section.html",
        {"region": region, "events": events},
        request=request,
    )


def dashboard_panel(request: HttpRequest) -> str:
    """The staff dashboard's KIM panel: own KIMs, reviews waiting, links."""
    user = request.user
    kims = selectors.kim_list_for_actor(actor=user)
    coordinated = selectors.kims_coordinated_by(user)
    # The KIMs a member belongs to (not coordinates): where they report activities.
    member_of = list(
        selectors.kims_reporting_for(user).exclude(pk__in=kims.values("pk"))[:5]
    )
    if not kims.exists() and not member_of and not can(user, "create", "network.kim"):
        return ""
    return render_to_string(
        "network/_dashboard_panel.html",
        {
            "kim_count": kims.count(),
            "own_kims": list(coordinated[:5]),
            "member_of": member_of,
            "pending": selectors.pending_reviews_for_actor(actor=user),
            "can_create": can(user, "create", "network.kim"),
            "can_events": can(user, "view", "network.event"),
            "region": getattr(user, "region", None),
        },
        request=request,
    )
