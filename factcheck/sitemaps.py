from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap

from factcheck import selectors
from factcheck.models import FactCheck


class FactCheckSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7
    limit = 5000

    def items(self) -> Any:
        return selectors.factcheck_public_list().only("pk", "updated_at")

    def lastmod(self, item: FactCheck) -> datetime:
        return item.updated_at


SITEMAPS = {"cek-fakta": FactCheckSitemap}
