"""What the network app plugs into the house (called by ``core.hooks``)."""

from __future__ import annotations


def register() -> None:
    from datetime import timedelta

    from django.utils.translation import gettext_lazy as _

    from accounts.dashboard import register_panel
    from accounts.permissions import register_rules
    from channels.routes import register_data_provider
    from core.demo import register_demo
    from core.schedule import register_periodic
    from network import rules
    from network.demo import load_demo
    from network.panels import dashboard_panel, home_section, region_section
    from network.selectors.kims import kims_by_province, members_by_province
    from network.services import phone_data_summary, phone_erase
    from network.social import register as register_social_owner
    from network.tasks import maturity_recompute_task
    from regions.pages import register_section, register_tally

    for resource, resource_rules in rules.RULES.items():
        register_rules(resource, resource_rules)
    register_demo("network", load_demo, order=30)
    register_data_provider("network", summary=phone_data_summary, erase=phone_erase)
    register_periodic(
        "network.maturity_recompute",
        maturity_recompute_task,
        every=timedelta(days=1),
    )
    register_section("network", region_section, order=20)
    register_section("network.home", home_section, order=10, page="home")
    register_tally("network.kims", _("KIMs"), kims_by_province, order=10)
    register_tally("network.members", _("Members"), members_by_province, order=20)
    register_panel("network", dashboard_panel, order=20)
    register_social_owner()
    _register_loadgen()


def _register_loadgen() -> None:
    from core.loadgen import register_generator
    from network import loadgen

    register_generator(
        "network",
        loadgen.generate,
        models=loadgen.MODELS,
        order=10,
        check=loadgen.check,
    )
