from __future__ import annotations

from django_tasks import task

from network.services import kim_scores_recompute


@task()
def kim_score_task(kim_id: int) -> int:
    """Recompute one KIM's monthly scores and level (idempotent)."""
    return kim_scores_recompute(kim_ids=[kim_id])


@task()
def maturity_recompute_task() -> int:
    """Recompute every KIM's monthly scores and maturity level (idempotent)."""
    return kim_scores_recompute()
