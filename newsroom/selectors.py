"""Reads of the newsroom: the public portal, staff lists, reach figures.

The network is read only through ``network.selectors``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import can, code_scope_q, in_scope
from network import selectors as network
from newsroom.content import fold
from newsroom.models import (
    Article,
    Comment,
    DailyStat,
    Delivery,
    Dissemination,
    Potential,
    ShortLink,
    Subscriber,
)
from regions.models import Region
from regions.provinces import covers_all
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from network.models import Kim

    AnyUser = User | AnonymousUser

PAGE_SIZE = 12
_SEARCH_CONFIG: str | None = None


# --- permissions --------------------------------------------------------------------
def kims_of_user(user: AnyUser) -> QuerySet[Kim]:
    """KIMs the user writes for: members and coordinators of a KIM."""
    if getattr(user, "role", "") not in (Role.KIM_MEMBER, Role.KIM_COORDINATOR):
        return network.kims_of_user(user).none()
    return network.kims_of_user(user)


def is_own(user: AnyUser, article: Article) -> bool:
    return bool(
        article.kim_id and kims_of_user(user).filter(pk=article.kim_id).exists()
    )


def can_article(user: AnyUser, action: str, article: Article) -> bool:
    """Whether ``user`` may ``action`` (view, change, review, publish) ``article``.

    KIM members and coordinators change only their KIM's drafts and the articles
    sent back to them; editors act within their region."""
    own = is_own(user, article)
    if not can(
        user, action, "newsroom.article", region_code=article.region_id, is_own=own
    ):
        return False
    if action == "change" and getattr(user, "role", "") in (
        Role.KIM_MEMBER,
        Role.KIM_COORDINATOR,
    ):
        return article.status in (
            Article.Status.DRAFT,
            Article.Status.CHANGES_REQUESTED,
        )
    return True


def office_choices(user: AnyUser) -> list[Region]:
    """Diskominfo offices (province, regencies) the user may write for."""
    if not can(user, "create", "newsroom.article", region_code=None, is_own=False):
        return []
    offices = Region.objects.filter(
        level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
    )
    return [r for r in offices.order_by("kode") if in_scope(user, r.kode)]


# --- public portal ------------------------------------------------------------------
def published() -> QuerySet[Article]:
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .select_related("kim", "office", "region")
        .prefetch_related("images")
        .order_by("-published_at", "-pk")
    )


def in_region_q(code: str) -> Q:
    """Articles whose author or any region concerned lies in ``code``."""
    through = Article.regions.through.objects.filter(subtree_q(code)).values(
        "article_id"
    )
    return Q(pk__in=through)


def article_list_public(
    *,
    region_code: str = "",
    kim_id: int | None = None,
    kind: str = "",
    tag: str = "",
) -> QuerySet[Article]:
    articles = published()
    if region_code and not covers_all(region_code):
        articles = articles.filter(in_region_q(region_code))
    if kim_id is not None:
        articles = articles.filter(kim_id=kim_id)
    if kind:
        articles = articles.filter(kind=kind)
    if tag:
        articles = articles.filter(tags__slug=tag)
    return articles


def article_get_public(*, slug: str) -> Article | None:
    return published().prefetch_related("tags", "regions").filter(slug=slug).first()


def related_articles(*, article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing a tag, else of the same kind and region."""
    tag_ids = [t.pk for t in article.tags.all()]
    found: list[Article] = []
    if tag_ids:
        found = list(
            published()
            .filter(tags__in=tag_ids)
            .exclude(pk=article.pk)
            .distinct()[:limit]
        )
    if len(found) < limit:
        more = (
            published()
            .filter(Q(kind=article.kind) | Q(region_id=article.region_id))
            .exclude(pk__in=[article.pk, *(a.pk for a in found)])[: limit - len(found)]
        )
        found += list(more)
    return found


def potential_list_public(
    *, region_code: str = "", category: str = ""
) -> QuerySet[Potential]:
    """Published local-potential stories whose place lies in ``region_code``
    (the whole province when empty), of one ``category`` or all, newest first."""
    potentials = (
        Potential.objects.filter(article__status=Article.Status.PUBLISHED)
        .select_related("article", "article__kim", "article__office", "place")
        .prefetch_related("article__images")
        .order_by("-article__published_at", "-pk")
    )
    if region_code and not covers_all(region_code):
        potentials = potentials.filter(subtree_q(region_code, "place__kode"))
    if category:
        potentials = potentials.filter(category=category)
    return potentials


def potential_of(article: Article) -> Potential | None:
    """The facts of a local-potential story (None for other articles)."""
    return (
        Potential.objects.select_related("place", "place__parent")
        .filter(article=article)
        .first()
    )


def search_config() -> str:
    """The PostgreSQL text-search configuration: ``indonesian`` where installed."""
    global _SEARCH_CONFIG
    if _SEARCH_CONFIG is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian'")
            _SEARCH_CONFIG = "indonesian" if cursor.fetchone() else "simple"
    return _SEARCH_CONFIG


def article_search(*, q: str, region_code: str = "") -> QuerySet[Article]:
    """Full-text search of published articles: PostgreSQL's ``indonesian``
    configuration (stemming, ranking) in production; on SQLite every word must
    appear in the article's folded text (newest first)."""
    q = " ".join((q or "").split())[:200]
    articles = article_list_public(region_code=region_code)
    if not q:
        return articles.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        config = search_config()
        vector = SearchVector("search_document", config=config)
        query = SearchQuery(q, config=config, search_type="websearch")
        return (
            articles.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-published_at")
        )
    for word in fold(q).split()[:8]:
        articles = articles.filter(search_document__contains=word.strip('"'))
    return articles


def approved_comments(*, article: Article) -> QuerySet[Comment]:
    return article.comments.filter(status=Comment.Status.APPROVED).order_by(
        "created_at", "pk"
    )


# --- staff --------------------------------------------------------------------------
def articles_for_actor(*, actor: AnyUser, status: str = "") -> QuerySet[Article]:
    """Articles the actor works on: KIM members their KIMs', editors and staff
    those of their region."""
    articles = Article.objects.select_related("kim", "office", "region").order_by(
        "-updated_at", "-pk"
    )
    if not actor.is_authenticated:
        return articles.none()
    role = getattr(actor, "role", "")
    if actor.is_superuser:
        pass
    elif role in (Role.KIM_MEMBER, Role.KIM_COORDINATOR):
        articles = articles.filter(kim__in=kims_of_user(actor))
    elif can(actor, "view", "newsroom.article"):
        articles = articles.filter(code_scope_q(actor, "region__kode"))
    else:
        return articles.none()
    if status:
        articles = articles.filter(status=status)
    return articles


def article_get_for_actor(*, actor: AnyUser, pk: int) -> Article | None:
    return articles_for_actor(actor=actor).filter(pk=pk).first()


def review_queue(*, actor: AnyUser) -> QuerySet[Article]:
    if not can(actor, "review", "newsroom.article"):
        return Article.objects.none()
    return articles_for_actor(actor=actor, status=Article.Status.SUBMITTED)


def comments_for_moderation(
    *, actor: AnyUser, status: str = Comment.Status.PENDING
) -> QuerySet[Comment]:
    if not can(actor, "moderate", "newsroom.comment"):
        return Comment.objects.none()
    comments = Comment.objects.select_related("article").filter(
        code_scope_q(actor, "article__region__kode")
    )
    if status:
        comments = comments.filter(status=status)
    return comments.order_by("-created_at", "-pk")


def disseminations_for_actor(*, actor: AnyUser) -> QuerySet[Dissemination]:
    if not can(actor, "view", "newsroom.dissemination"):
        return Dissemination.objects.none()
    return Dissemination.objects.filter(code_scope_q(actor, "region__kode"))


@dataclass(frozen=True)
class Sending:
    """A dissemination with the names of the regions it was sent to."""

    dissemination: Dissemination
    regions: list[str]


def audience_region_names(disseminations: list[Dissemination]) -> list[Sending]:
    """Each dissemination with its audience's region names (one query)."""
    codes = {
        code
        for d in disseminations
        for code in (d.audience or {}).get("region_codes", [])
    }
    names = dict(Region.objects.filter(kode__in=codes).values_list("kode", "name"))
    return [
        Sending(
            d,
            [names.get(c, c) for c in (d.audience or {}).get("region_codes", [])],
        )
        for d in disseminations
    ]


def sendings_of_items(
    *, actor: AnyUser, item_refs: list[str]
) -> dict[str, list[Sending]]:
    """The disseminations of these items (``factcheck:12``, …) the actor may
    see, newest first, by item."""
    rows = list(
        disseminations_for_actor(actor=actor)
        .filter(item_ref__in=item_refs)
        .order_by("-created_at", "-pk")
    )
    found: dict[str, list[Sending]] = defaultdict(list)
    for sending in audience_region_names(rows):
        found[sending.dissemination.item_ref].append(sending)
    return dict(found)


def delivery_counts(*, dissemination: Dissemination) -> dict[str, dict[str, int]]:
    """``{channel: {status: n}}`` of one dissemination."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        dissemination.deliveries.order_by()
        .values("channel", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["channel"]][row["status"]] = row["n"]
    return dict(counts)


# --- reach --------------------------------------------------------------------------
@dataclass
class Reach:
    articles: int = 0
    views: int = 0
    shares: int = 0
    clicks: int = 0
    deliveries: int = 0
    sent: int = 0  # sent, delivered or read
    delivered: int = 0  # delivered or read
    read: int = 0
    failed: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    shares_by_network: dict[str, int] = field(default_factory=dict)
    daily: list[tuple[date, int, int]] = field(default_factory=list)  # views, clicks


def _delivery_reach(reach: Reach, deliveries: QuerySet[Delivery]) -> None:
    rows = deliveries.order_by().values("channel", "status").annotate(n=Count("pk"))
    for row in rows:
        n, status = row["n"], row["status"]
        reach.deliveries += n
        reach.by_channel[row["channel"]] = reach.by_channel.get(row["channel"], 0) + n
        if status in ("sent", "delivered", "read"):
            reach.sent += n
        if status in ("delivered", "read"):
            reach.delivered += n
        if status == "read":
            reach.read += n
        if status == "failed":
            reach.failed += n


def reach_figures(
    *,
    region_code: str = "",
    kim_id: int | None = None,
    article_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Reach:
    """Reach of the articles published by a region's authors (or a KIM's, or one
    article) in ``[since, until]``: page views, shares, clicks per day, and the
    deliveries of those articles (whenever sent). Aggregates only."""
    articles = Article.objects.filter(published_at__isnull=False)
    if region_code and not covers_all(region_code):
        articles = articles.filter(subtree_q(region_code))
    if kim_id is not None:
        articles = articles.filter(kim_id=kim_id)
    if article_id is not None:
        articles = articles.filter(pk=article_id)
    until = until or timezone.localdate()
    since = since or until - timedelta(days=29)
    ids = articles.values("pk")
    reach = Reach()
    reach.articles = (
        articles.filter(
            published_at__date__gte=since, published_at__date__lte=until
        ).count()
        if article_id is None
        else articles.count()
    )
    stats = DailyStat.objects.filter(article_id__in=ids, day__gte=since, day__lte=until)
    per_day: dict[date, list[int]] = {}
    for row in stats.values("day", "metric").annotate(n=Sum("count")):
        metric, n = row["metric"], row["n"] or 0
        slot = per_day.setdefault(row["day"], [0, 0])
        if metric == DailyStat.Metric.VIEW:
            reach.views += n
            slot[0] += n
        elif metric == DailyStat.Metric.CLICK:
            reach.clicks += n
            slot[1] += n
        else:
            reach.shares += n
            network_name = metric.removeprefix("share_")
            reach.shares_by_network[network_name] = (
                reach.shares_by_network.get(network_name, 0) + n
            )
    days = (until - since).days + 1
    reach.daily = [
        (d, *per_day.get(d, [0, 0]))  # type: ignore[misc]
        for d in (since + timedelta(days=i) for i in range(days))
    ]
    _delivery_reach(reach, Delivery.objects.filter(dissemination__article_id__in=ids))
    return reach


def reach_by_item(*, dissemination_id: int) -> Reach:
    """Deliveries and clicks of one dissemination (article or fact-check)."""
    reach = Reach()
    _delivery_reach(reach, Delivery.objects.filter(dissemination_id=dissemination_id))
    reach.clicks = (
        ShortLink.objects.filter(dissemination_id=dissemination_id).aggregate(
            n=Sum("clicks")
        )["n"]
        or 0
    )
    return reach


@dataclass(frozen=True)
class ReportRow:
    article: Article
    views: int
    shares: int
    clicks: int
    deliveries: int
    read: int


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next one (local time)."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.combine(start, datetime.min.time())),
        timezone.make_aware(datetime.combine(end, datetime.min.time())),
    )


def monthly_report(*, region: Region, month: date) -> list[ReportRow]:
    """Articles published in ``month`` by the authors of ``region`` (a regency),
    with their figures for that month (four queries)."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    start_dt, end_dt = month_bounds(start)
    articles = list(
        Article.objects.filter(
            subtree_q(region.kode),
            published_at__gte=start_dt,
            published_at__lt=end_dt,
        )
        .select_related("kim", "office")
        .order_by("published_at", "pk")
    )
    ids = [a.pk for a in articles]
    stats: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        DailyStat.objects.filter(article_id__in=ids, day__gte=start, day__lt=end)
        .values("article_id", "metric")
        .annotate(n=Sum("count"))
    )
    for row in rows:
        key = row["metric"] if row["metric"] in ("view", "click") else "share"
        stats[row["article_id"]][key] += row["n"] or 0
    deliveries: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sent in (
        Delivery.objects.filter(dissemination__article_id__in=ids)
        .values("dissemination__article_id", "status")
        .annotate(n=Count("pk"))
    ):
        target = deliveries[sent["dissemination__article_id"]]
        target["all"] += sent["n"]
        if sent["status"] == "read":
            target["read"] += sent["n"]
    return [
        ReportRow(
            article=a,
            views=stats[a.pk]["view"],
            shares=stats[a.pk]["share"],
            clicks=stats[a.pk]["click"],
            deliveries=deliveries[a.pk]["all"],
            read=deliveries[a.pk]["read"],
        )
        for a in articles
    ]


def chart_bars(values: list[int], *, width: int = 600, height: int = 120) -> list[Any]:
    """Bars for a server-rendered SVG chart: (x, y, w, h, value) per value."""
    top = max(values) if values and max(values) > 0 else 1
    step = width / max(1, len(values))
    bars = []
    for i, v in enumerate(values):
        h = round(height * v / top, 1)
        bars.append(
            (round(i * step, 1), round(height - h, 1), round(step * 0.8, 1), h, v)
        )
    return bars


def supply_by_region(*, scope: str, length: int, since: datetime) -> dict[str, int]:
    """Articles and verdicts sent into each region since ``since``: distinct
    disseminations with a delivery that left for a recipient there (the first
    ``length`` characters of the recipient's region code, under ``scope``)."""
    sent = [
        Delivery.Status.SENT,
        Delivery.Status.DELIVERED,
        Delivery.Status.READ,
    ]
    rows = (
        Delivery.objects.filter(
            subtree_q(scope, "region_code"),
            status__in=sent,
            dissemination__created_at__gte=since,
        )
        .annotate(code=Substr("region_code", 1, length))
        .values("code")
        .annotate(n=Count("dissemination_id", distinct=True))
    )
    return {row["code"]: row["n"] for row in rows}


def articles_by_province(codes: list[str]) -> dict[str, int]:
    """The number of published articles whose author's region lies in each
    province of ``codes``."""
    from regions.tallies import count_by_province

    return count_by_province(published(), "region__kode", codes)


# --- what is kept about one address (channels' "DATA" and "HAPUS") -----------------
# Where a subscriber's address on each channel is kept.
ADDRESS_FIELDS = {
    "email": "email",
    "whatsapp": "phone",
    "sms": "phone",
    "telegram": "telegram_chat_id",
}


def _address_q(channel: str, address: str) -> Q:
    field = ADDRESS_FIELDS.get(channel)
    if field is None or not address:
        return Q(pk__in=[])
    return Q(channel=channel, **{field: address})


def subscriptions_of_address(*, channel: str, address: str) -> QuerySet[Subscriber]:
    """The subscriptions of one address on one channel, opted out or not."""
    return Subscriber.objects.filter(_address_q(channel, address)).select_related(
        "region"
    )


def deliveries_to_address(*, channel: str, address: str) -> QuerySet[Delivery]:
    if not address:
        return Delivery.objects.none()
    return Delivery.objects.filter(channel=channel, address=address)
