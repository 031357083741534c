from __future__ import annotations

from django_tasks import task

from datahub import services, vulnerability_services


@task()
def indicators_refresh_task(region_codes: list[str] | None = None) -> int:
    """Recompute the built-in indicators (idempotent: unchanged tables stay)."""
    return services.indicators_refresh(region_codes=region_codes)


@task()
def info_request_notify_task(request_id: int, event: str) -> bool:
    """Email a requester about their request (sent once per event)."""
    return services.info_request_notify(request_id=request_id, event=event)


@task()
def vulnerability_recompute_task(scope: str = "") -> int:
    """Recompute the Indeks Kerawanan Informasi under ``scope`` (idempotent)."""
    return vulnerability_services.vulnerability_recompute(scope=scope)
