from __future__ import annotations

from django_tasks import task

from connectivity import services
from connectivity.models import SitingPlan
from regions.models import Region


@task()
def plan_run_task(plan_id: int) -> str:
    """Solve a stored siting plan (idempotent: a finished plan is left alone)."""
    plan = SitingPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return "missing"
    return services.plan_run(plan=plan).status


@task()
def plans_stale_fail_task() -> int:
    """Plans a stopped worker left "running" end "failed" (periodic)."""
    return services.plans_stale_fail()


@task()
def coverage_refresh_task(region_kode: str) -> int:
    """Recompute predicted coverage of the places under a region (idempotent)."""
    region = Region.objects.filter(kode=region_kode).first()
    if region is None:
        return 0
    return services.coverage_refresh(region=region)


@task()
def progress_snapshots_task() -> int:
    """Today's progress figures of every region (one row per region and day)."""
    return services.progress_snapshots_take()
