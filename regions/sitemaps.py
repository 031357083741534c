from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from regions import provinces
from regions.models import Region


class RegionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 5000

    def items(self) -> Any:
        # The provinces served: the others' region pages are a 404 here.
        return (
            Region.objects.filter(provinces.served_q("kode"))
            .only("kode")
            .order_by("kode")
        )


SITEMAPS = {"wilayah": RegionSitemap}
