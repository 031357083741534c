"""Health checks that apps add to ``/healthz`` (e.g. the claim-matching model).

An app registers a check in its ``AppConfig.ready``; a check returns a dict with a
``status`` of "ok", "degraded", "down" or "error" and any details.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HealthCheck = Callable[[], dict[str, Any]]
_checks: dict[str, HealthCheck] = {}


def register_check(name: str, check: HealthCheck) -> None:
    _checks[name] = check


def registered_checks() -> dict[str, HealthCheck]:
    return dict(_checks)
