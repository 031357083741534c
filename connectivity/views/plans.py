"""The site planner: plans, their map and adoption, and the elevation (DEM) upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import can, permitted_user
from connectivity import selectors, services
from connectivity.forms import (
    DemForm,
    PlanForm,
)
from connectivity.models import SitingPlan
from connectivity.views._common import (
    _editable_region,
    _region_or_404,
    _user,
    _wilayah,
)
from core.viewtools import form_write, or_404


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "add", "connectivity.plan")
    default = _wilayah(request, own_first=True)
    map_region = _region_or_404(default) if default else None
    form = PlanForm(request.POST or None, initial={"region": default or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = _editable_region(user, data["region"])
        if region is None:
            form.add_error("region", _("Unknown region or outside your area."))
        elif plan := form_write(
            request,
            form,
            lambda: services.plan_create(
                actor=user,
                region=region,
                budget=data["budget"],
                objective=data["objective"],
                radius_km=data["radius_km"],
                grid_km=data["grid_km"],
                time_limit=data["time_limit"],
                extra_points=data["points"],
                site_cost=_money(data["site_cost"]),
                money_budget=_money(data["money_budget"]),
            ),
        ):
            return redirect(plan)
    plans = selectors.plans_list(actor=user)[:30]
    return render(
        request,
        "connectivity/plan_list.html",
        {
            "form": form,
            "plans": plans,
            "map_region": map_region,
        },
    )


def _plan_verdict(result: dict[str, Any]) -> str:
    """How good the plan is, in words: never the solver's method or status."""
    if not result.get("sites") and not result.get("n_selected"):
        return ""
    if result.get("status") == "optimal":
        return _("The best possible plan.")
    gap = result.get("gap")
    if isinstance(gap, int | float) and 0 < gap < 1:
        return _(
            "A good plan, not necessarily the best: at most %(gap)s%% from the best."
        ) % {"gap": number_format(max(100 * gap, 0.1), 1)}
    return _("A good plan, not necessarily the best.")


def _plan(request: HttpRequest, pk: int) -> tuple[User, SitingPlan]:
    user = _user(request)
    assert user is not None
    plan = or_404(selectors.plan_get(actor=user, pk=pk))
    return user, plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _plan(request, pk)
    template = "connectivity/plan_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        if plan.status not in ("pending", "running"):
            # Finished while the page was polling: reload it whole, with the map.
            return HttpResponse(headers={"HX-Refresh": "true"})
        template = "connectivity/_plan_result.html"
    return render(
        request,
        template,
        {
            "plan": plan,
            "result": plan.result or {},
            "verdict": _plan_verdict(plan.result or {}),
            "sites": selectors.plan_sites(plan=plan) if plan.result else [],
            "site_cost": plan.instance.get("site_cost"),
            "money_budget": plan.instance.get("money_budget"),
            "may_adopt": can(
                user, "change", "connectivity.tower", region_code=plan.region_id
            ),
            "may_programme": can(
                user, "change", "connectivity.programme", region_code=plan.region_id
            ),
        },
    )


@login_required
def plan_map(request: HttpRequest, pk: int) -> JsonResponse:
    plan = _plan(request, pk)[1]
    result = plan.result or {}
    uncovered = set(result.get("uncovered", []))
    unreachable = set(result.get("unreachable", []))
    demand = [
        {
            "id": d["id"],
            "lat": d["lat"],
            "lng": d["lng"],
            "weight": d["weight"],
            "covered": d["id"] not in uncovered and d["id"] not in unreachable,
        }
        for d in plan.instance.get("demand", [])
    ]
    return JsonResponse(
        {
            "sites": selectors.plan_features(plan=plan),
            "existing": plan.instance.get("existing", []),
            "demand": demand,
        }
    )


@login_required
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _plan(request, pk)
    try:
        towers = services.plan_adopt(actor=user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(n)s proposed towers created.") % {"n": len(towers)}
        )
    return redirect(plan)


@login_required
def dem_upload(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "change", "connectivity.dem")
    form = DemForm(request.POST or None, request.FILES or None)
    if form_write(
        request,
        form,
        lambda: services.dem_import(
            actor=user,
            name=form.cleaned_data["name"],
            upload=form.cleaned_data["file"],
        ),
        _("Elevation model imported and in use."),
    ):
        return redirect("connectivity:dem")
    from connectivity.models import Dem

    return render(
        request,
        "connectivity/dem.html",
        {"form": form, "dems": Dem.objects.all()[:20]},
    )
