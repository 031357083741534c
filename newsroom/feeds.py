"""RSS 2.0 and Atom feeds: everything, per region, per KIM, per kind."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.viewtools import or_404
from network import selectors as network
from newsroom import selectors
from newsroom.models import Article, Kind
from regions import provinces
from regions.selectors import region_get

FEED_SIZE = 30


def article_tag_uri(pk: int) -> str:
    """An article's entry id: a tag: URI (RFC 4151), an IRI as Atom requires,
    that stays the same when the title, slug or address of the page changes."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},2026:kabar/{pk}"


class _ArticleFeed(Feed):
    def items(self, obj: Any) -> list[Article]:
        return list(self.articles(obj)[:FEED_SIZE])

    def articles(self, obj: Any) -> Any:
        return selectors.article_list_public()

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_kind_display())]

    def item_guid(self, item: Article) -> str:
        return article_tag_uri(item.pk)

    item_guid_is_permalink = False


class LatestFeed(_ArticleFeed):
    def title(self, obj: Any) -> str:
        if provinces.is_national():
            return str(_("News of the provinces served"))
        home = region_get(kode=settings.HOME_REGION)
        return _("Simpul news: %(region)s") % {"region": home.name if home else ""}

    def link(self, obj: Any) -> str:
        return reverse("newsroom:home")

    def description(self, obj: Any) -> str:
        return _("Public information and local potential from KIMs and Diskominfo.")


class RegionFeed(_ArticleFeed):
    def get_object(self, request: HttpRequest, kode: str) -> Any:
        # As the region's page: a province not served has no news here.
        if not provinces.is_served(kode):
            raise Http404
        return or_404(region_get(kode=kode))

    def title(self, obj: Any) -> str:
        return _("Simpul news: %(region)s") % {"region": obj.name}

    def link(self, obj: Any) -> str:
        return reverse("newsroom:region", kwargs={"kode": obj.kode})

    def description(self, obj: Any) -> str:
        return _("News of %(region)s") % {"region": obj.name}

    def articles(self, obj: Any) -> Any:
        return selectors.article_list_public(region_code=obj.kode)


class KimFeed(_ArticleFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Any:
        return or_404(network.kim_get(pk=pk))

    def title(self, obj: Any) -> str:
        return _("Simpul news: %(kim)s") % {"kim": obj.name}

    def link(self, obj: Any) -> str:
        return reverse("newsroom:kim", kwargs={"pk": obj.pk})

    def description(self, obj: Any) -> str:
        return _("Stories of %(kim)s") % {"kim": obj.name}

    def articles(self, obj: Any) -> Any:
        return selectors.article_list_public(kim_id=obj.pk)


class KindFeed(_ArticleFeed):
    def get_object(self, request: HttpRequest, kind: str) -> Any:
        if kind not in Kind.values:
            raise Http404
        return kind

    def title(self, obj: Any) -> str:
        return _("Simpul news: %(kind)s") % {"kind": Kind(obj).label}

    def link(self, obj: Any) -> str:
        return reverse("newsroom:kind", kwargs={"kind": obj})

    def description(self, obj: Any) -> str:
        return str(Kind(obj).label)

    def articles(self, obj: Any) -> Any:
        return selectors.article_list_public(kind=obj)


class PotentialFeed(_ArticleFeed):
    """Published local-potential stories of a region (the province at
    ``/kabar/potensi/``; every province served when several are), newest
    first. A region the deployment does not serve has no feed."""

    def get_object(self, request: HttpRequest, kode: str = "") -> Any:
        if not kode and provinces.is_national():
            return None
        region = or_404(region_get(kode=kode or settings.HOME_REGION))
        if not provinces.is_served(region.kode):
            raise Http404
        return region

    def title(self, obj: Any) -> str:
        if obj is None:
            return str(_("Local potential of the provinces served"))
        return _("Local potential of %(region)s") % {"region": obj.name}

    def link(self, obj: Any) -> str:
        if obj is None or obj.kode == settings.HOME_REGION:
            return reverse("newsroom:potential")
        return reverse("newsroom:potential_region", kwargs={"kode": obj.kode})

    def description(self, obj: Any) -> str:
        if obj is None:
            return str(_("Local products, tourism and culture of the provinces served"))
        return _("Local products, tourism and culture of %(region)s") % {
            "region": obj.name
        }

    def items(self, obj: Any) -> list[Article]:
        if obj is None:
            found = selectors.potential_list_public().filter(
                provinces.served_q("place__kode")
            )
        else:
            found = selectors.potential_list_public(region_code=obj.kode)
        return [p.article for p in found[:FEED_SIZE]]

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_kind_display()), item.potential.place.name]


def atom(feed: type[Feed]) -> type[Feed]:
    return type(
        f"Atom{feed.__name__}",
        (feed,),
        {"feed_type": Atom1Feed, "subtitle": feed.description},
    )
