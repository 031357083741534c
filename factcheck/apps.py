from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = _("Fact-checks")

    def ready(self) -> None:
        from factcheck import signals

        signals.connect()
