from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap

from datahub import selectors
from datahub.models import Dataset


class DatasetSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self) -> Any:
        return selectors.published_datasets().order_by("slug")

    def lastmod(self, item: Dataset) -> datetime:
        return item.updated_at


SITEMAPS = {"data": DatasetSitemap}
