"""What the channels app plugs into the house (``register`` is called by
``core.hooks``)."""

from __future__ import annotations

from datetime import timedelta


def register() -> None:
    from channels.social.owners import register_defaults
    from channels.social.tasks import social_insights_task, social_tokens_refresh_task
    from channels.tasks import outbox_due_task
    from core.schedule import register_periodic

    register_periodic(
        "channels.outbox_due", outbox_due_task, every=timedelta(minutes=1)
    )
    register_periodic(
        "channels.social_tokens_refresh",
        social_tokens_refresh_task,
        every=timedelta(days=1),
    )
    register_periodic(
        "channels.social_insights", social_insights_task, every=timedelta(hours=6)
    )
    register_defaults()
    _register_loadgen()


def _register_loadgen() -> None:
    from channels import loadgen
    from core.loadgen import register_generator

    register_generator("channels", loadgen.generate, models=loadgen.MODELS, order=40)
