from __future__ import annotations

from django.conf import settings
from django_tasks import task

from accounts.services import audit_prune


@task()
def audit_prune_task() -> int:
    """Delete audit entries past the retention period (idempotent)."""
    return audit_prune(older_than_days=settings.AUDIT_RETENTION_DAYS)
