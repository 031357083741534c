"""``/api/v1/articles`` (public read, token write), feeds and disseminations.

The old delivery callbacks (``/api/v1/callbacks/whatsapp|sms|telegram``) are now
aliases of channels' webhooks, in ``newsroom/urls.py``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from accounts.api_auth import api_user, token_or_session
from core.api import found_or_404
from core.pagination import paged
from network import selectors as network
from newsroom import selectors, services
from newsroom.models import Article, Kind, Potential, PotentialCategory
from newsroom.potential_ld import potential_json_ld
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors

router = Router(tags=["newsroom"])


class ImageOut(Schema):
    src: str
    srcset: str
    caption: str
    credit: str
    width: int
    height: int


class ArticleItem(Schema):
    id: int
    slug: str
    kind: str
    title: str
    lead: str
    author: str = Field(alias="author_name")
    kim_id: int | None
    region: str = Field(alias="region_id")
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class ArticleDetail(ArticleItem):
    body: str
    status: str
    reading_minutes: int
    tags: list[str]
    regions: list[str]
    source_links: list[str]
    factcheck_url: str
    images: list[ImageOut]

    @staticmethod
    def resolve_tags(obj: Article) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_regions(obj: Article) -> list[str]:
        return [r.kode for r in obj.regions.all()]

    @staticmethod
    def resolve_images(obj: Article) -> list[dict[str, Any]]:
        return [
            {
                "src": settings.SITE_URL + i.largest,
                "srcset": i.srcset,
                "caption": i.caption,
                "credit": i.credit,
                "width": i.width,
                "height": i.height,
            }
            for i in obj.images.all()
        ]


class ArticleFilters(Schema):
    region: str = Field("", max_length=13)
    kim: int | None = None
    kind: str = Field("", max_length=20)
    q: str = Field("", max_length=200)


class ArticleIn(Schema):
    kind: str
    title: str = Field(..., max_length=200)
    lead: str = Field(..., max_length=400)
    body: str
    kim_id: int | None = None
    office: str | None = None
    regions: list[str] = []
    tags: list[str] = []
    source_links: list[str] = []
    factcheck_url: str = ""


class ArticlePatch(Schema):
    kind: str | None = None
    title: str | None = Field(None, max_length=200)
    lead: str | None = Field(None, max_length=400)
    body: str | None = None
    tags: list[str] | None = None
    source_links: list[str] | None = None
    factcheck_url: str | None = None


class WorkflowIn(Schema):
    action: Literal[
        "submit", "request_changes", "approve", "schedule", "publish", "unpublish"
    ]
    note: str = ""
    publish_at: datetime | None = None


class AudienceIn(Schema):
    region_codes: list[str]
    subscribers: bool = True
    kim_members: bool = False
    forum_boards: bool = False
    topics: list[str] = []


class DisseminationIn(Schema):
    article_id: int | None = None
    item_url: str = ""
    item_ref: str = ""
    title: str = ""
    summary: str = ""
    region: str | None = None
    audience: AudienceIn
    channels: list[str]
    urgent: bool = False


class DisseminationOut(Schema):
    id: int
    item_ref: str
    status: str
    recipients: int
    deliveries: dict[str, dict[str, int]]
    clicks: int


def _regions(codes: list[str]) -> list[Region]:
    found = list(Region.objects.filter(kode__in=codes))
    if len(found) != len(set(codes)):
        raise HttpError(400, "Kode wilayah tidak dikenal.")
    return found


@router.get("/articles", response=list[ArticleItem])
@paged(20)
def list_articles(
    request: HttpRequest, filters: Query[ArticleFilters]
) -> QuerySet[Article]:
    """Published articles, newest first (or by relevance with ``q``)."""
    if filters.q:
        articles = selectors.article_search(q=filters.q, region_code=filters.region)
    else:
        articles = selectors.article_list_public(
            region_code=filters.region, kim_id=filters.kim, kind=filters.kind
        )
    if filters.q and (filters.kim or filters.kind):
        if filters.kim:
            articles = articles.filter(kim_id=filters.kim)
        if filters.kind:
            articles = articles.filter(kind=filters.kind)
    return articles


@router.get("/articles/feeds")
def list_feeds(request: HttpRequest) -> dict[str, Any]:
    """Where the RSS and Atom feeds are (per region, KIM and kind follow the
    same pattern: ``/kabar/wilayah/<kode>/rss/``, ``/kabar/kim/<id>/atom/``…)."""
    base = settings.SITE_URL
    return {
        "all": {
            "rss": base + reverse("newsroom:rss"),
            "atom": base + reverse("newsroom:atom"),
        },
        "kinds": {
            kind: {
                "rss": base + reverse("newsroom:kind_rss", kwargs={"kind": kind}),
                "atom": base + reverse("newsroom:kind_atom", kwargs={"kind": kind}),
            }
            for kind in Kind.values
        },
        "region_pattern": base + "/kabar/wilayah/{kode}/rss/",
        "kim_pattern": base + "/kabar/kim/{id}/rss/",
    }


@router.get("/articles/{key}", response=ArticleDetail)
def get_article(request: HttpRequest, key: str) -> Article:
    """A published article by its slug (or its id)."""
    article = selectors.article_get_public(slug=key)
    if article is None and key.isdigit():
        article = selectors.published().filter(pk=int(key)).first()
    if article is None:
        raise HttpError(404, "Artikel tidak ditemukan.")
    return article


def _staff_article(request: HttpRequest, article_id: int) -> Article:
    return found_or_404(
        selectors.article_get_for_actor(actor=api_user(request), pk=article_id),
        "Artikel tidak ditemukan.",
    )


@router.post("/articles", response={201: ArticleDetail}, auth=token_or_session)
def create_article(request: HttpRequest, payload: ArticleIn) -> tuple[int, Article]:
    """A draft by a KIM (``kim_id``) or a Diskominfo office (``office``: code)."""
    author: dict[str, Any] = {}
    if payload.kim_id is not None:
        kim = found_or_404(network.kim_get(pk=payload.kim_id), "KIM tidak ditemukan.")
        author["kim"] = kim
    if payload.office:
        office = found_or_404(
            Region.objects.filter(kode=payload.office).first(),
            "Wilayah tidak ditemukan.",
        )
        author["office"] = office
    article = services.article_create(
        actor=api_user(request),
        kind=payload.kind,
        title=payload.title,
        lead=payload.lead,
        body=payload.body,
        regions=_regions(payload.regions),
        tags=payload.tags,
        source_links=payload.source_links,
        factcheck_url=payload.factcheck_url,
        **author,
    )
    return 201, article


@router.patch("/articles/{key}", response=ArticleDetail, auth=token_or_session)
def patch_article(request: HttpRequest, key: str, payload: ArticlePatch) -> Article:
    """Edit an article (by id) within the workflow's rules."""
    if not key.isdigit():
        raise HttpError(404, "Artikel tidak ditemukan.")
    article = _staff_article(request, int(key))
    return services.article_update(
        actor=api_user(request), article=article, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/articles/{article_id}/workflow", response=ArticleDetail, auth=token_or_session
)
def article_workflow(
    request: HttpRequest, article_id: int, payload: WorkflowIn
) -> Article:
    """Move an article through the workflow (``publish_at`` for ``schedule``)."""
    actor = api_user(request)
    article = _staff_article(request, article_id)
    note = payload.note
    if payload.action == "submit":
        return services.article_submit(actor=actor, article=article, note=note)
    if payload.action == "request_changes":
        return services.article_request_changes(actor=actor, article=article, note=note)
    if payload.action == "approve":
        return services.article_approve(actor=actor, article=article, note=note)
    if payload.action == "schedule":
        if payload.publish_at is None:
            raise HttpError(400, "publish_at wajib diisi untuk penjadwalan.")
        return services.article_schedule(
            actor=actor, article=article, publish_at=payload.publish_at, note=note
        )
    if payload.action == "publish":
        return services.article_publish(actor=actor, article=article, note=note)
    return services.article_unpublish(actor=actor, article=article, note=note)


@router.post("/disseminations", response={201: DisseminationOut}, auth=token_or_session)
def create_dissemination(
    request: HttpRequest, payload: DisseminationIn
) -> tuple[int, dict[str, Any]]:
    """Send a published article (``article_id``) or any item (``item_url``,
    ``item_ref``, ``title``, ``summary``: e.g. a fact-check) to an audience."""
    actor = api_user(request)
    region = None
    if payload.region:
        region = found_or_404(
            Region.objects.filter(kode=payload.region).first()
            if provinces.is_served(payload.region)
            else None,
            "Wilayah tidak ditemukan.",
        )
    audience = payload.audience.dict()
    if payload.article_id is not None:
        article = _staff_article(request, payload.article_id)
        if article.status != Article.Status.PUBLISHED:
            raise HttpError(400, "Hanya artikel yang terbit yang dapat disebarkan.")
        dissemination = services.article_disseminate(
            actor=actor,
            article=article,
            audience=audience,
            channels=payload.channels,
            urgent=payload.urgent,
        )
        return 201, _dissemination_out(dissemination.pk)
    if not (payload.item_url and payload.item_ref and payload.title):
        raise HttpError(400, "item_url, item_ref dan title wajib diisi.")
    dissemination = services.dissemination_create(
        actor=actor,
        item_url=payload.item_url,
        item_ref=payload.item_ref,
        title=payload.title,
        summary=payload.summary or payload.title,
        audience=audience,
        channels=payload.channels,
        urgent=payload.urgent,
        region=region,
    )
    return 201, _dissemination_out(dissemination.pk)


def _dissemination_out(pk: int) -> dict[str, Any]:
    from newsroom.models import Dissemination

    dissemination = Dissemination.objects.get(pk=pk)
    return {
        "id": pk,
        "item_ref": dissemination.item_ref,
        "status": dissemination.status,
        "recipients": dissemination.recipients,
        "deliveries": selectors.delivery_counts(dissemination=dissemination),
        "clicks": selectors.reach_by_item(dissemination_id=pk).clicks,
    }


@router.get(
    "/disseminations/{dissemination_id}",
    response=DisseminationOut,
    auth=token_or_session,
)
def get_dissemination(request: HttpRequest, dissemination_id: int) -> dict[str, Any]:
    found = selectors.disseminations_for_actor(actor=api_user(request)).filter(
        pk=dissemination_id
    )
    if not found.exists():
        raise HttpError(404, "Penyebaran tidak ditemukan.")
    return _dissemination_out(dissemination_id)


# --- local potential (Potensi Daerah) ------------------------------------------------
class PotentialItem(Schema):
    id: int = Field(alias="article_id")
    slug: str = Field(alias="article.slug")
    category: str
    name: str
    title: str = Field(alias="article.title")
    lead: str = Field(alias="article.lead")
    author: str = Field(alias="article.author_name")
    region: str = Field(alias="place_id")
    region_name: str = Field(alias="place.name")
    lat: float | None
    lng: float | None
    price_range: str
    opening_hours: str
    starts_on: date | None
    ends_on: date | None
    published_at: datetime | None = Field(alias="article.published_at")
    url: str

    @staticmethod
    def resolve_url(obj: Potential) -> str:
        return settings.SITE_URL + obj.article.get_absolute_url()


class PotentialDetail(PotentialItem):
    address: str
    phone: str
    body: str = Field(alias="article.body")
    regions: list[str]
    schema_org: dict[str, Any]

    @staticmethod
    def resolve_regions(obj: Potential) -> list[str]:
        """The place's regions from the province down (codes)."""
        return [*(r.kode for r in region_ancestors(region=obj.place)), obj.place_id]

    @staticmethod
    def resolve_schema_org(obj: Potential) -> dict[str, Any]:
        url = PotentialItem.resolve_url(obj)
        return potential_json_ld(
            obj,
            chain=[*region_ancestors(region=obj.place), obj.place],
            url=url,
            description=obj.article.lead,
            author_name=obj.article.author_name,
        )


class PotentialFilters(Schema):
    region: str = Field("", max_length=13)
    category: str = Field("", max_length=20)


@router.get("/potentials", response=list[PotentialItem])
@paged(20)
def list_potentials(
    request: HttpRequest, filters: Query[PotentialFilters]
) -> QuerySet[Potential]:
    """Published local-potential stories (Potensi Daerah), newest first:
    ``region`` (a Kemendagri code: the place lies in it), ``category``
    (produk_lokal, wisata, budaya)."""
    if filters.category and filters.category not in PotentialCategory.values:
        raise HttpError(
            400, "Kategori tidak dikenal: pilih produk_lokal, wisata atau budaya."
        )
    if filters.region and not Region.objects.filter(kode=filters.region).exists():
        raise HttpError(400, "Kode wilayah tidak dikenal.")
    return selectors.potential_list_public(
        region_code=filters.region, category=filters.category
    )


@router.get("/potentials/{key}", response=PotentialDetail)
def get_potential(request: HttpRequest, key: str) -> Potential:
    """A published local-potential story by its slug (or its article id), with
    its schema.org markup (the same as on its page)."""
    found = selectors.potential_list_public().select_related("place__parent")
    potential = found.filter(article__slug=key).first()
    if potential is None and key.isdigit():
        potential = found.filter(article_id=int(key)).first()
    if potential is None:
        raise HttpError(404, "Potensi daerah tidak ditemukan.")
    return potential
