"""Tower-siting plans: build the planner's instance, solve, adopt."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from connectivity import conf
from connectivity.geo import (
    geometry_bbox,
    geometry_contains,
    validate_point,
)
from connectivity.models import (
    Place,
    SitingPlan,
    Tower,
)
from connectivity.services._common import _audit, _require, usable
from connectivity.services.coverage import tower_range_km
from connectivity.services.observations import village_for_point
from connectivity.services.offices import village_offices_ensure
from connectivity.services.towers import tower_create
from regions.models import Region, RegionBoundary
from regions.selectors import subtree_q

log = logging.getLogger(__name__)


def _region_places(region: Region) -> list[Place]:
    return list(Place.objects.filter(subtree_q(region.kode)).order_by("pk"))


def _grid_candidates(region: Region, grid_km: float) -> list[dict[str, Any]]:
    geometry = (
        RegionBoundary.objects.filter(region=region)
        .values_list("geometry", flat=True)
        .first()
    )
    box = geometry_bbox(geometry)
    if box is None and (region.rep_lat is None or region.rep_lng is None):
        # Neither a boundary nor a point (outside Kaltim): no grid to lay out.
        return []
    if box is None:
        assert region.rep_lat is not None and region.rep_lng is not None
        pad = 0.2
        box = (
            region.rep_lat - pad,
            region.rep_lat + pad,
            region.rep_lng - pad,
            region.rep_lng + pad,
        )
    lat_min, lat_max, lng_min, lng_max = box
    dlat = grid_km / 111.195
    dlng = dlat / max(math.cos(math.radians((lat_min + lat_max) / 2)), 0.1)
    out: list[dict[str, Any]] = []
    i = 0
    lat = lat_min + dlat / 2
    while lat < lat_max:
        lng = lng_min + dlng / 2
        while lng < lng_max:
            if geometry is None or geometry_contains(geometry, lat, lng):
                out.append(
                    {"id": f"grid:{i}", "lat": round(lat, 5), "lng": round(lng, 5)}
                )
                i += 1
            lng += dlng
        lat += dlat
    return out


def plan_instance_build(
    *,
    region: Region,
    budget: int | None,
    radius_km: float,
    grid_km: float = conf.DEFAULT_GRID_KM,
    extra_points: Sequence[tuple[float, float]] = (),
    use_grid: bool = True,
    use_offices: bool = True,
    use_towers: bool = True,
    site_cost: float | None = None,
    money_budget: float | None = None,
) -> dict[str, Any]:
    """The planner's instance for a region from the stored data.

    Demand: every priority place of the region (offices are created where
    missing) with its weight. Candidates: a grid over the region, village-government
    land (the office sites), towers not yet on air, towers on air below a usable
    technology (to upgrade), and points drawn by the user. Existing: towers on air
    with a usable technology, with their predicted range.
    """
    village_offices_ensure(region=region)
    places = _region_places(region)
    demand = [
        {"id": f"place:{p.pk}", "lat": p.lat, "lng": p.lng, "weight": p.weight}
        for p in places
    ]
    candidates: list[dict[str, Any]] = []
    if use_grid:
        candidates += _grid_candidates(region, grid_km)
    if use_offices:
        candidates += [
            {"id": f"land:{p.pk}", "lat": p.lat, "lng": p.lng}
            for p in places
            if p.kind == Place.Kind.OFFICE
        ]
    existing: list[dict[str, Any]] = []
    if places:
        lats = [p.lat for p in places]
        lngs = [p.lng for p in places]
        towers = Tower.objects.filter(
            lat__range=(min(lats) - 1, max(lats) + 1),
            lng__range=(min(lngs) - 1, max(lngs) + 1),
        )
        for t in towers:
            radius = t.predicted_range_km or radius_km
            if t.is_on_air and usable(t.technology):
                existing.append(
                    {
                        "id": f"tower:{t.pk}",
                        "lat": t.lat,
                        "lng": t.lng,
                        "radius_km": radius,
                    }
                )
            elif use_towers and t.region_id.startswith(region.kode):
                prefix = "upgrade" if t.is_on_air else "tower"
                candidates.append(
                    {"id": f"{prefix}:{t.pk}", "lat": t.lat, "lng": t.lng}
                )
    for n, (lat, lng) in enumerate(extra_points):
        validate_point(lat, lng, "points")
        candidates.append({"id": f"user:{n + 1}", "lat": lat, "lng": lng})
    if site_cost is not None:
        for c in candidates:
            c["cost"] = site_cost
    return {
        "demand": demand,
        "candidates": candidates,
        "existing": existing,
        "budget": budget,
        "radius_km": radius_km,
        # Kept for the page: the cost of one new site and the money available.
        "site_cost": site_cost,
        "money_budget": money_budget,
    }


@transaction.atomic
def plan_create(
    *,
    actor: User | None,
    region: Region,
    budget: int | None,
    objective: str = SitingPlan.Objective.MAX_COVER,
    radius_km: float | None = None,
    grid_km: float = conf.DEFAULT_GRID_KM,
    time_limit: float = 10.0,
    extra_points: Sequence[tuple[float, float]] = (),
    name: str = "",
    run_inline: bool | None = None,
    site_cost: float | None = None,
    money_budget: float | None = None,
) -> SitingPlan:
    """Store a plan's inputs and solve it: inline when small, else in the worker."""
    _require(actor, "add", "connectivity.plan", region.kode)
    if region.level == Region.Level.VILLAGE:
        raise ValidationError({"region": _("Plan for a kecamatan or a regency.")})
    if money_budget is not None and not site_cost:
        raise ValidationError(
            {"site_cost": _("Give the cost of one site to plan within a money budget.")}
        )
    if objective == SitingPlan.Objective.MAX_COVER and not budget and not money_budget:
        raise ValidationError({"budget": _("Give a budget of at least one tower.")})
    if radius_km is None:
        radius_km = round(
            # Without a DEM the range depends on the tower's kind, not its place.
            tower_range_km(Tower(lat=region.map_lat or 0.0, lng=region.map_lng or 0.0))[
                0
            ],
            2,
        )
    plan = SitingPlan(
        region=region,
        name=name.strip()[:150],
        objective=objective,
        budget=budget,
        radius_km=radius_km,
        grid_km=grid_km,
        time_limit=min(max(time_limit, 1.0), 300.0),
        created_by=actor,
    )
    plan.full_clean(exclude=["instance"])
    plan.instance = plan_instance_build(
        region=region,
        budget=budget,
        radius_km=radius_km,
        grid_km=grid_km,
        extra_points=extra_points,
        site_cost=site_cost,
        money_budget=money_budget,
    )
    plan.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        plan,
        region.kode,
        {"budget": budget, "objective": objective},
    )
    pairs = len(plan.instance["demand"]) * len(plan.instance["candidates"])
    inline = run_inline if run_inline is not None else pairs <= conf.inline_plan_pairs()
    if inline:
        plan_run(plan=plan)
    else:
        from connectivity.tasks import plan_run_task

        plan_id = plan.pk
        transaction.on_commit(lambda: plan_run_task.enqueue(plan_id=plan_id))
    return plan


def plan_run(*, plan: SitingPlan) -> SitingPlan:
    """Solve a stored plan (idempotent: a finished plan is left as it is). A plan
    that cannot be solved ends "failed" with the reason, whatever went wrong."""
    from connectivity.siting import InvalidInstance
    from connectivity.siting import plan as solve

    if plan.status == SitingPlan.Status.DONE:
        return plan
    plan.started_at = timezone.now()
    SitingPlan.objects.filter(pk=plan.pk).update(
        status=SitingPlan.Status.RUNNING, started_at=plan.started_at
    )
    try:
        result = solve(
            plan.instance,
            time_limit=plan.time_limit,
            method="exact" if plan.method == "exact" else "greedy",
            objective=plan.objective,  # type: ignore[arg-type]
        )
        total = result["total_weight"]
        before = result["existing_covered_weight"] / total if total else 0.0
        after = result["covered_share"]
        if not all(math.isfinite(x) for x in (total, before, after)):
            raise ValueError(_("The weights add up to no finite number."))
    except InvalidInstance as exc:
        plan.status = SitingPlan.Status.FAILED
        plan.error = "; ".join(exc.problems)
    except Exception as exc:
        # The solver, numpy or HiGHS may fail in ways no one listed; the plan must
        # still end, never stay "running".
        log.exception("siting plan %s failed", plan.pk)
        plan.status = SitingPlan.Status.FAILED
        plan.error = str(
            _("The planner failed: %(error)s")
            % {"error": str(exc)[:500] or type(exc).__name__}
        )
    else:
        plan.result = result
        plan.status = SitingPlan.Status.DONE
        plan.covered_share_before = before
        plan.covered_share_after = after
        plan.error = result.get("reason", "")
    plan.finished_at = timezone.now()
    plan.save()
    return plan


#: A plan still "running" this long after its time limit was left behind by a
#: worker that stopped (killed, out of memory, redeployed).
PLAN_STALE_AFTER = dt.timedelta(minutes=15)


def plans_stale_fail(*, now: dt.datetime | None = None) -> int:
    """Mark "failed" the plans left running (or never started) by a worker that
    went away; returns how many."""
    now = now or timezone.now()
    failed = 0
    stale = SitingPlan.objects.filter(
        status__in=[SitingPlan.Status.RUNNING, SitingPlan.Status.PENDING]
    )
    for plan in stale:
        since = plan.started_at or plan.created_at
        limit = dt.timedelta(seconds=plan.time_limit) + PLAN_STALE_AFTER
        if plan.status == SitingPlan.Status.PENDING:
            limit += dt.timedelta(hours=1)  # waiting in the queue behind others
        if now - since <= limit:
            continue
        failed += SitingPlan.objects.filter(pk=plan.pk, status=plan.status).update(
            status=SitingPlan.Status.FAILED,
            error=str(
                _("The planner stopped without an answer (the worker was interrupted).")
            ),
            finished_at=now,
        )
    return failed


@transaction.atomic
def plan_adopt(
    *, actor: User | None, plan: SitingPlan, owner: str = Tower.Owner.BAKTI
) -> list[Tower]:
    """Turn a plan's new sites into proposed towers (once)."""
    _require(actor, "change", "connectivity.tower", plan.region_id)
    if plan.status != SitingPlan.Status.DONE or not plan.result:
        raise ValidationError(_("The plan has no result yet."))
    if plan.towers.exists():
        return list(plan.towers.order_by("pk"))
    towers: list[Tower] = []
    for n, site in enumerate(plan.result.get("sites", []), start=1):
        sid = str(site["id"])
        if sid.startswith("tower:"):
            continue  # already a planned tower
        village = village_for_point(lat=site["lat"], lng=site["lng"]) or plan.region
        towers.append(
            tower_create(
                actor=actor,
                region=village,
                name=_("Planned site %(n)s (%(plan)s)") % {"n": n, "plan": plan},
                lat=site["lat"],
                lng=site["lng"],
                owner=owner,
                status=Tower.Status.PROPOSED,
                plan=plan,
                source=f"plan {plan.pk}: {sid}",
            )
        )
    return towers
