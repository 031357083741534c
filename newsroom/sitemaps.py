from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from newsroom.models import Article, Kind
from regions.models import Region


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self) -> Any:
        return (
            Article.objects.filter(status=Article.Status.PUBLISHED)
            .only("slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class PortalSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        regions = Region.objects.filter(
            level__in=[
                Region.Level.PROVINCE,
                Region.Level.REGENCY,
                Region.Level.DISTRICT,
            ]
        ).values_list("kode", flat=True)
        # Potensi Daerah: the directory of the province and of each regency
        # (districts and villages are reached from there).
        regencies = [c for c in regions if c.count(".") == 1]
        return (
            [reverse("newsroom:home"), reverse("newsroom:potential")]
            + [
                reverse("newsroom:potential_region", kwargs={"kode": c})
                for c in regencies
            ]
            + [reverse("newsroom:kind", kwargs={"kind": k}) for k in Kind.values]
            + [reverse("newsroom:region", kwargs={"kode": c}) for c in regions]
        )

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"kabar": ArticleSitemap, "portal": PortalSitemap}
