from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from network import selectors


class _NetworkSitemap(Sitemap):
    """KIM and event pages: many, changing now and then."""

    changefreq = "weekly"
    priority = 0.5
    limit = 5000


class KimSitemap(_NetworkSitemap):
    def items(self) -> Any:
        return selectors.kim_list()


class EventSitemap(_NetworkSitemap):
    def items(self) -> Any:
        return selectors.event_list()


SITEMAPS = {"kim": KimSitemap, "acara": EventSitemap}
