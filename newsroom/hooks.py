"""What the newsroom app plugs into the house (called by ``core.hooks``)."""

from __future__ import annotations


def register() -> None:
    from datetime import timedelta

    from django.utils.translation import gettext_lazy as _

    from accounts.dashboard import register_panel
    from accounts.permissions import register_rules
    from channels.routes import (
        register_data_provider,
        register_route,
        register_status_handler,
    )
    from core.demo import register_demo
    from core.schedule import register_periodic
    from newsroom import rules
    from newsroom.demo import load_demo
    from newsroom.panels import dashboard_panel, potential_section, region_section
    from newsroom.selectors import articles_by_province
    from newsroom.services import (
        delivery_status_mirror,
        subscribe_command,
        subscriber_data_summary,
        subscriber_erase_address,
    )
    from newsroom.tasks import articles_publish_due_task, disseminations_stalled_task
    from regions.pages import register_section, register_tally

    for resource, resource_rules in rules.RULES.items():
        register_rules(resource, resource_rules)
    register_periodic(
        "newsroom.publish_due",
        articles_publish_due_task,
        every=timedelta(minutes=1),
    )
    register_periodic(
        "newsroom.fanout_resume",
        disseminations_stalled_task,
        every=timedelta(minutes=1),
    )
    # Messages go out through channels: their status comes back to the
    # deliveries, and the bot's /langganan subscribes (/berhenti is channels').
    register_status_handler(origin="newsroom", handler=delivery_status_mirror)
    register_route(
        kind="command", match="langganan", handler=subscribe_command, order=50
    )
    register_data_provider(
        "newsroom", summary=subscriber_data_summary, erase=subscriber_erase_address
    )
    register_demo("newsroom", load_demo, order=60)
    register_section("newsroom", region_section, order=30)
    register_section("newsroom.home", region_section, order=30, page="home")
    register_tally("newsroom.articles", _("Articles"), articles_by_province, order=40)
    register_section("newsroom.potential", potential_section, order=32)
    register_section(
        "newsroom.potential.home", potential_section, order=32, page="home"
    )
    register_panel("newsroom", dashboard_panel, order=25)
    _register_loadgen()


def _register_loadgen() -> None:
    from core.loadgen import register_generator
    from newsroom import loadgen

    # After the network's: articles are written by its KIMs.
    register_generator(
        "newsroom",
        loadgen.generate,
        models=loadgen.MODELS,
        order=30,
        check=loadgen.check,
    )
