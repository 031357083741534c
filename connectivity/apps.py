from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectivityConfig(AppConfig):
    name = "connectivity"
    verbose_name = _("Connectivity (blankspots)")
