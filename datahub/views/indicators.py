"""Indicator charts on region pages and the dashboard, and their refresh."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import can, permitted_user
from datahub import selectors, vulnerability_selectors
from datahub.models import (
    Dataset,
)
from regions.models import Region

# Chart geometry in SVG units.  The chart is drawn 400 wide so that on a phone
# (about 340 px for the figure) its 12-unit labels stay about 10 px high.
CHART_WIDTH = 400
LABEL_SPACE = 150  # names of the regions, left
BAR_SPACE = 200  # the bars; their values are written after them
# Parts of stacked bars, in the order of the indicator's segments (Tableau 10).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "#").replace(".", ",").replace("#", ".")


def _segments(
    chart: selectors.IndicatorChart, code: str, y: int
) -> list[dict[str, Any]]:
    """The parts of one stacked bar, left to right."""
    result = []
    x = float(LABEL_SPACE)
    for i, value in enumerate(chart.parts.get(code, [])):
        if value <= 0:
            continue
        width = value / chart.maximum * BAR_SPACE
        result.append(
            {
                "x": round(x, 1),
                "y": y,
                "width": round(width, 1),
                "fill": PALETTE[i % len(PALETTE)],
                "title": f"{chart.segments[i][1]}: {_number(value)}",
            }
        )
        x += width
    return result


def _chart(chart: selectors.IndicatorChart) -> dict[str, Any]:
    rows = []
    # Only the areas with a value are drawn (and the highlighted one): a column
    # of zeros says less than one line under the chart.
    bars = [b for b in chart.bars if b[2] or b[0] == chart.highlight]
    for i, (code, name, value) in enumerate(bars):
        width = round(value / chart.maximum * BAR_SPACE, 1) if chart.maximum else 0
        label = name.removeprefix("Kabupaten ").removeprefix("Kecamatan ")
        y = i * 22 + 4
        rows.append(
            {
                "y": y,
                "label": label if len(label) <= 22 else label[:21] + "…",
                "width": max(width, 1),
                "end": LABEL_SPACE + max(width, 1) + 4,
                "value_text": _number(value),
                "highlight": code == chart.highlight,
                "segments": _segments(chart, code, y) if chart.segments else [],
            }
        )
    height = len(rows) * 22 + 8
    # The legend of a stacked chart: the parts that occur, two per line.
    legend = []
    used = [
        i
        for i in range(len(chart.segments))
        if any(len(p) > i and p[i] > 0 for p in chart.parts.values())
    ]
    for k, i in enumerate(used):
        legend.append(
            {
                "x": (k % 2) * (CHART_WIDTH // 2),
                "y": height + 4 + (k // 2) * 18,
                "fill": PALETTE[i % len(PALETTE)],
                "label": chart.segments[i][1],
            }
        )
    if legend:
        height += 8 + ((len(legend) + 1) // 2) * 18
    return {
        "dataset": chart.dataset,
        "title": chart.title,
        "without_value": len(chart.bars) - len(bars),
        "unit": chart.unit,
        "rows": rows,
        "legend": legend,
        "height": height,
        "width": CHART_WIDTH,
        "label_space": LABEL_SPACE,
    }


def region_indicators_section(request: HttpRequest, region: Region) -> str:
    """Charts of the built-in indicators on a region's page."""
    charts = selectors.indicator_charts(region=region)
    if not charts:
        return ""
    return render_to_string(
        "datahub/_region_section.html",
        {"charts": [_chart(c) for c in charts], "region": region},
        request=request,
    )


def dashboard_panel(request: HttpRequest) -> str:
    user = request.user
    if not isinstance(user, User) or not can(user, "view", "datahub.dataset"):
        return ""
    datasets = selectors.datasets_for_staff(actor=user).filter(
        kind=Dataset.Kind.UPLOADED
    )
    open_requests = list(
        selectors.info_requests_for_staff(actor=user, status="open")[:5]
    )
    for item in open_requests:
        item.days_left = selectors.working_days_left(due=item.due_on)  # type: ignore[attr-defined]
        item.overdue = -item.days_left  # type: ignore[attr-defined]
    # The published count is the public catalogue's, for the actor's region, by
    # the catalogue's own selector: the panel links to that list and both agree.
    region = user.region_id or ""
    return render_to_string(
        "datahub/_panel.html",
        {
            "drafts": datasets.filter(status=Dataset.Status.DRAFT).count(),
            "published": selectors.dataset_search(region=region).count(),
            "catalogue_query": f"?wilayah={region}" if region else "",
            "open_requests": open_requests,
            "open_count": selectors.info_requests_for_staff(
                actor=user, status="open"
            ).count(),
            "formation_tasks": vulnerability_selectors.kim_formation_tasks(
                region_code=region
            ),
        },
        request=request,
    )


@login_required
@require_POST
def staff_indicators_refresh(request: HttpRequest) -> HttpResponse:
    permitted_user(request, "refresh", "datahub.dataset")
    from datahub.tasks import indicators_refresh_task

    transaction.on_commit(lambda: indicators_refresh_task.enqueue())
    messages.success(request, _("The indicators will be recomputed in a moment."))
    return redirect("datahub:staff_datasets")
