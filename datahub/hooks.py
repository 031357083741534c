"""What the datahub app plugs into the house (called by ``core.hooks``)."""

from __future__ import annotations

from datetime import timedelta


def register() -> None:
    from accounts.dashboard import register_panel
    from accounts.models import Role
    from accounts.permissions import STAFF_ROLES, register_rules
    from core.demo import register_demo
    from core.schedule import register_periodic
    from datahub import demo, views
    from datahub.tasks import indicators_refresh_task, vulnerability_recompute_task
    from regions.pages import register_section

    # Staff publish and answer within their region; the public reads what is
    # published (selectors filter on status, no rule needed).
    register_rules("datahub.office", {"create": STAFF_ROLES, "change": STAFF_ROLES})
    register_rules(
        "datahub.dataset",
        {
            "view": STAFF_ROLES,
            "create": STAFF_ROLES,
            "change": STAFF_ROLES,
            "publish": STAFF_ROLES,
            "refresh": STAFF_ROLES,
        },
    )
    register_rules(
        "datahub.request",
        {"view": STAFF_ROLES, "answer": STAFF_ROLES, "report": STAFF_ROLES},
    )
    # The index's weights are the province's choice.
    # ...and any staff member turns a suggestion in their area into a draft
    # (the owning app's own rule is checked again when the record is made).
    register_rules(
        "datahub.vulnerability",
        {"change": {Role.PROVINCE_ADMIN}, "act": STAFF_ROLES},
    )
    # The charts live on the region's data page, not on the home or region page.
    register_section(
        "datahub.indicators", views.region_indicators_section, order=50, page="data"
    )
    register_section(
        "datahub.vulnerability", views.region_vulnerability_section, order=55
    )
    register_panel("datahub", views.dashboard_panel, order=50)
    register_periodic(
        "datahub.indicators_refresh",
        indicators_refresh_task,
        every=timedelta(hours=6),
    )
    register_periodic(
        "datahub.vulnerability_recompute",
        vulnerability_recompute_task,
        every=timedelta(hours=6),
    )
    register_demo("datahub", demo.load, order=90)
