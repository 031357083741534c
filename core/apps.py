from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Every app plugs in through its own hooks.py, found the same way for all
        # (core imports no app by name).
        from core.hooks import discover

        discover()
