"""What the newsroom app plugs into the house (called by ``core.hooks``)."""

from __future__ import annotations


def register() -> None:
    from datetime import timedelta

    from accounts.dashboard import register_panel
    from accounts.permissions import register_rules
    from core.demo import register_demo
    from core.schedule import register_periodic
    from newsroom import rules
    from newsroom.demo import load_demo
    from newsroom.panels import dashboard_panel, region_section
    from newsroom.tasks import articles_publish_due_task, deliveries_due_task
    from regions.pages import register_section

    for resource, resource_rules in rules.RULES.items():
        register_rules(resource, resource_rules)
    register_periodic(
        "newsroom.publish_due",
        articles_publish_due_task,
        every=timedelta(minutes=1),
    )
    register_periodic(
        "newsroom.deliveries_due", deliveries_due_task, every=timedelta(minutes=1)
    )
    register_demo("newsroom", load_demo, order=60)
    register_section("newsroom", region_section, order=30)
    register_panel("newsroom", dashboard_panel, order=25)
