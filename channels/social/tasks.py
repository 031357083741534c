"""Periodic work of social accounts (registered in ``channels.hooks``)."""

from __future__ import annotations

from django_tasks import task

from channels.social import services


@task()
def social_tokens_refresh_task() -> int:
    """Daily: renew tokens before they expire."""
    return services.tokens_refresh()


@task()
def social_insights_task() -> dict[str, int]:
    """Every few hours: read each recent post's insights."""
    return services.insights_refresh()
