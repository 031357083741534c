"""The site's sitemap index: one section per kind of public page, each app
listing its own."""

from typing import Any

from datahub.sitemaps import SITEMAPS as DATAHUB
from factcheck.sitemaps import SITEMAPS as FACTCHECK
from network.sitemaps import SITEMAPS as NETWORK
from newsroom.sitemaps import SITEMAPS as NEWSROOM
from regions.sitemaps import SITEMAPS as REGIONS

SITEMAPS: dict[str, Any] = {
    **NEWSROOM,
    **FACTCHECK,
    **DATAHUB,
    **NETWORK,
    **REGIONS,
}
