from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy
        from ninja.throttling import SimpleRateThrottle

        # django-ninja's throttles count in the default cache (the database's
        # by default); they share the rate-limit cache with django-ratelimit
        # (RATELIMIT_USE_CACHE) instead, for every API built on them.
        proxy: Any = ConnectionProxy(caches, "ratelimit")  # a BaseCache per thread
        SimpleRateThrottle.cache = proxy

        # Every app plugs in through its own hooks.py, found the same way for all
        # (core imports no app by name).
        from core.hooks import discover

        discover()
