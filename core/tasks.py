from __future__ import annotations

from django_tasks import task

from core.idempotency import prune


@task()
def idempotency_prune_task() -> int:
    """Forget outbox keys no phone can still be sending (idempotent)."""
    return prune()
