from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from network import selectors


class KimSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self) -> Any:
        return selectors.kim_list()


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self) -> Any:
        return selectors.event_list()


SITEMAPS = {"kim": KimSitemap, "acara": EventSitemap}
