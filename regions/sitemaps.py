from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from regions.models import Region


class RegionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 5000

    def items(self) -> Any:
        return Region.objects.only("kode").order_by("kode")


SITEMAPS = {"wilayah": RegionSitemap}
