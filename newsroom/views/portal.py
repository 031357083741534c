"""The public portal: listings, articles, comments, feeds' counters, short
links, subscribing and unsubscribing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.forms import add_validation_errors
from core.viewtools import form_write, or_404
from network import selectors as network
from newsroom import cache, selectors, services
from newsroom.forms import (
    CommentForm,
    SubscribeForm,
)
from newsroom.models import Article, ArticleImage, DailyStat, Kind
from newsroom.potential_ld import potential_json_ld
from newsroom.views.common import PROVINCE, _page
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors, region_get


# --- public portal ------------------------------------------------------------------
def _listing(
    request: HttpRequest,
    *,
    name: str,
    key: tuple[Any, ...],
    build_context: Any,
) -> HttpResponse:
    """A cached page listing articles, with its feeds linked in the head.

    ``build_context()`` returns the listing's context (``title``, ``articles``,
    ``feed``…) or None for a 404; it runs only when the page is not cached, so a
    cached page costs no database query."""
    number = _page(request)

    def build() -> dict[str, Any]:
        context = build_context()
        if context is None:
            return {"missing": True}
        page = Paginator(context.pop("articles"), selectors.PAGE_SIZE).get_page(number)
        context.update({"page": page, "kinds": Kind.choices})
        feed, title = context["feed"], context["title"]
        return {
            "title": title,
            "main": render_to_string("newsroom/_listing.html", context),
            "feeds": [(title, feed + "rss/", "rss"), (title, feed + "atom/", "atom")],
        }

    parts = cache.cached(name, (*key, number), build)
    if parts.get("missing"):
        raise Http404(_("Not found."))
    return render(request, "newsroom/page.html", parts)


def home(request: HttpRequest) -> HttpResponse:
    """Kabar of the province; of every province served, with a link to each,
    where the deployment serves several."""
    if provinces.is_national():
        return national_home(request)
    return region_home(request, PROVINCE)


@cache.anonymous_page
def national_home(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        return {
            "title": _("News of the provinces served"),
            "articles": selectors.article_list_public().filter(
                provinces.served_q("region__kode")
            ),
            "feed": reverse("newsroom:home"),
            "region": None,
            "ancestors": [],
            "children": list(provinces.served_provinces()),
            "is_home": True,
        }

    return _listing(request, name="national", key=(), build_context=context)


@cache.anonymous_page
def region_home(request: HttpRequest, kode: str) -> HttpResponse:
    def context() -> dict[str, Any] | None:
        region = region_get(kode=kode[:13])
        if region is None or not provinces.is_served(region.kode):
            return None
        return {
            "title": _("News of %(region)s") % {"region": region.name},
            "articles": selectors.article_list_public(region_code=region.kode),
            "feed": reverse("newsroom:region", kwargs={"kode": region.kode}),
            "region": region,
            "ancestors": region_ancestors(region=region),
            "children": list(region.children.order_by("kode"))
            if region.level != Region.Level.DISTRICT
            else [],
            # The root pages are the home region's only where one province is
            # served; serving several, Kaltim's page is a province's like others.
            "is_home": region.kode == provinces.root_region(),
        }

    return _listing(request, name="region", key=(kode,), build_context=context)


@cache.anonymous_page
def kim_page(request: HttpRequest, pk: int) -> HttpResponse:
    def context() -> dict[str, Any] | None:
        kim = network.kim_get(pk=pk)
        if kim is None:
            return None
        return {
            "title": _("Stories of %(kim)s") % {"kim": kim.name},
            "articles": selectors.article_list_public(kim_id=pk),
            "feed": reverse("newsroom:kim", kwargs={"pk": pk}),
            "kim": kim,
        }

    return _listing(request, name="kim", key=(pk,), build_context=context)


@cache.anonymous_page
def kind_page(request: HttpRequest, kind: str) -> HttpResponse:
    def context() -> dict[str, Any] | None:
        if kind not in Kind.values:
            return None
        return {
            "title": str(Kind(kind).label),
            "articles": selectors.article_list_public(kind=kind),
            "feed": reverse("newsroom:kind", kwargs={"kind": kind}),
        }

    return _listing(request, name="kind", key=(kind[:30],), build_context=context)


@cache.anonymous_page
def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    from newsroom.models import Tag

    def context() -> dict[str, Any] | None:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            return None
        return {
            "title": f"#{tag.name}",
            "articles": selectors.article_list_public(tag=slug),
            "feed": reverse("newsroom:home"),
        }

    return _listing(request, name="tag", key=(slug[:80],), build_context=context)


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    region_code = request.GET.get("wilayah", "").strip()[:13]
    page = None
    if q:
        results = selectors.article_search(q=q, region_code=region_code)
        page = Paginator(results, selectors.PAGE_SIZE).get_page(_page(request))
    return render(request, "newsroom/search.html", {"q": q, "page": page})


def _json_ld(
    request: HttpRequest, article: Article, image: ArticleImage | None
) -> dict[str, Any]:
    url = request.build_absolute_uri(article.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": url,
        "url": url,
        "inLanguage": "id",
        "articleSection": article.get_kind_display(),
        "author": {"@type": "Organization", "name": article.author_name},
        "publisher": {"@type": "Organization", "name": settings.SITE_URL and "Simpul"},
        "keywords": [t.name for t in article.tags.all()],
    }
    if image is not None:
        data["image"] = [request.build_absolute_uri(image.largest)]
    return data


@cache.anonymous_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page. Served from the cache without touching the database
    (the cache is dropped whenever content changes)."""

    def build() -> dict[str, Any]:
        article = selectors.article_get_public(slug=slug)
        if article is None:
            return {"missing": True}
        images = list(article.images.all())
        lead_image = images[0] if images else None
        url = request.build_absolute_uri(article.get_absolute_url())
        json_ld = _json_ld(request, article, lead_image)
        potential = selectors.potential_of(article)
        potential_ld = None
        chain: list[Region] = []
        if potential is not None:
            chain = [*region_ancestors(region=potential.place), potential.place]
            potential_ld = potential_json_ld(
                potential,
                chain=chain,
                url=url,
                description=article.lead,
                author_name=article.author_name,
                image_url=json_ld["image"][0] if "image" in json_ld else "",
            )
            json_ld["about"] = {"@id": potential_ld["@id"]}
        context = {
            "article": article,
            "images": images,
            "lead_image": lead_image,
            "url": url,
            "tags": list(article.tags.all()),
            "regions": list(article.regions.all()),
            "related": selectors.related_articles(article=article),
            "comments": list(selectors.approved_comments(article=article)),
            "json_ld": json_ld,
            "potential": potential,
            "potential_chain": chain,
            "potential_ld": potential_ld,
            "og_image": request.build_absolute_uri(lead_image.url(960))
            if lead_image
            else "",
        }
        region = _("News of %(region)s") % {"region": article.region.name}
        feeds = [
            (region, reverse("newsroom:region_rss", args=[article.region_id]), "rss"),
            (
                str(Kind(article.kind).label),
                reverse("newsroom:kind_rss", args=[article.kind]),
                "rss",
            ),
        ]
        if article.kim_id:
            feeds.append(
                (
                    article.author_name,
                    reverse("newsroom:kim_rss", args=[article.kim_id]),
                    "rss",
                )
            )
        return {
            "head": render_to_string("newsroom/_article_head.html", context),
            "main": render_to_string("newsroom/_article_main.html", context),
            "title": article.title,
            "lead": article.lead,
            "slug": article.slug,
            "feeds": feeds,
        }

    parts = cache.cached("article", (slug,), build)
    if parts.get("missing"):
        raise Http404(_("This article does not exist or is not published."))
    return render(
        request,
        "newsroom/article.html",
        {
            "article": parts,
            "head": parts["head"],
            "main": parts["main"],
            "feeds": parts["feeds"],
            "comment_form": CommentForm(initial={"stamp": CommentForm.new_stamp()}),
        },
    )


@require_POST
@ratelimit(key="ip", rate=settings.NEWSROOM_COMMENT_RATE, method="POST", block=True)
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    article = or_404(
        selectors.article_get_public(slug=slug),
        _("This article does not exist or is not published."),
    )
    form = CommentForm(request.POST)
    ok = False
    if form.is_valid():
        try:
            services.comment_create(
                article=article,
                name=form.cleaned_data["name"],
                body=form.cleaned_data["body"],
                honeypot=form.cleaned_data["website"],
                fill_seconds=form.fill_seconds(),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            ok = True
    if ok:
        form = CommentForm(initial={"stamp": CommentForm.new_stamp()})
    context = {"article": article, "comment_form": form, "comment_sent": ok}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "newsroom/_comment_form.html", context)
    if ok:
        messages.success(request, _("Thank you. Your comment awaits moderation."))
        return redirect(article.get_absolute_url() + "#balasan")
    return render(request, "newsroom/_comment_form.html", context, status=400)


@csrf_exempt
@require_POST
@ratelimit(key="ip", rate="120/m", method="POST", block=True)
def count(request: HttpRequest) -> HttpResponse:
    """Anonymous counters from the article page: a view, a share button."""
    metric = request.POST.get("m", "")
    try:
        article_id = int(request.POST.get("a", ""))
    except ValueError:
        return HttpResponseBadRequest()
    if metric not in DailyStat.Metric.values or metric == DailyStat.Metric.CLICK:
        return HttpResponseBadRequest()
    if not Article.objects.filter(
        pk=article_id, status=Article.Status.PUBLISHED
    ).exists():
        return HttpResponseBadRequest()
    services.stat_increment(article_id=article_id, metric=metric)
    return HttpResponse(status=204)


def short_link(request: HttpRequest, code: str) -> HttpResponse:
    target = or_404(
        services.short_link_follow(code=code[:12]), _("This link does not exist.")
    )
    return HttpResponseRedirect(target)


@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def subscribe(request: HttpRequest) -> HttpResponse:
    # Serving several provinces, the reader chooses: no province is theirs by
    # default.
    default = "" if provinces.is_national() else PROVINCE
    form = SubscribeForm(
        request.POST or None, initial={"region": request.GET.get("wilayah", default)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form_write(
            request,
            form,
            lambda: services.subscriber_create(
                channel=data["channel"],
                region=data["region"],
                name=data["name"],
                email=data["email"] or "",
                phone=data["phone"] or "",
                topics=data["topics"],
            ),
            _("Thank you! You will receive the news of %(region)s.")
            % {"region": data["region"].name},
        ):
            return redirect("newsroom:subscribe")
    return render(request, "newsroom/subscribe.html", {"form": form})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A link in every message. GET asks (mail scanners follow links); POST stops."""
    done = False
    if request.method == "POST":
        try:
            services.opt_out_by_token(token=token)
        except ValidationError:
            raise Http404(_("This link is not valid.")) from None
        done = True
    return render(request, "newsroom/unsubscribe.html", {"done": done})
