from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectivityConfig(AppConfig):
    name = "connectivity"
    verbose_name = _("Connectivity (blankspots)")

    def ready(self) -> None:
        from datetime import timedelta

        from accounts.dashboard import register_panel
        from accounts.models import Role
        from accounts.permissions import STAFF_ROLES, register_rules
        from connectivity import hooks
        from connectivity.tasks import plans_stale_fail_task, progress_snapshots_task
        from core.demo import register_demo
        from core.schedule import register_periodic
        from regions.pages import register_section

        kim = {Role.KIM_COORDINATOR, Role.KIM_MEMBER}
        # Regency admins and district operators edit in their area; KIM members add
        # and correct places and file reports in theirs; the public only reports.
        register_rules(
            "connectivity.place",
            {
                "add": STAFF_ROLES | kim,
                "change": STAFF_ROLES | kim,
                "delete": STAFF_ROLES,
            },
        )
        register_rules(
            "connectivity.observation",
            {"add": STAFF_ROLES | kim, "confirm": STAFF_ROLES},
        )
        register_rules("connectivity.tower", {"change": STAFF_ROLES})
        register_rules("connectivity.plan", {"add": STAFF_ROLES, "view": STAFF_ROLES})
        register_rules(
            "connectivity.programme",
            {"change": {Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN}},
        )
        register_rules("connectivity.dem", {"change": {Role.PROVINCE_ADMIN}})

        register_section("connectivity", hooks.region_section, order=40)
        register_panel("connectivity", hooks.dashboard_panel, order=40)
        register_demo("connectivity", hooks.demo, order=40)
        register_periodic(
            "connectivity.progress_snapshots",
            progress_snapshots_task,
            every=timedelta(days=1),
        )
        register_periodic(
            "connectivity.plans_stale",
            plans_stale_fail_task,
            every=timedelta(minutes=5),
        )
