"""Pages of Kabar: the public portal (cached) and the newsroom's staff pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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

from accounts.models import AuditEntry, User
from accounts.permissions import can, in_scope
from accounts.services import audit_record
from core.forms import add_validation_errors
from network import selectors as network
from newsroom import cache, reports, selectors, services
from newsroom.forms import (
    ArticleForm,
    AudienceForm,
    CommentForm,
    ImageForm,
    ModerationForm,
    SubscribeForm,
    WorkflowForm,
)
from newsroom.models import Article, ArticleImage, Comment, DailyStat, Kind
from regions.models import Region
from regions.selectors import region_ancestors, region_get

PROVINCE = settings.HOME_REGION


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        return 1


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
    """Kabar of the province."""
    return region_home(request, PROVINCE)


@cache.anonymous_page
def region_home(request: HttpRequest, kode: str) -> HttpResponse:
    def context() -> dict[str, Any] | None:
        region = region_get(kode=kode[:13])
        if region is None:
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
            "is_home": region.kode == PROVINCE,
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
        context = {
            "article": article,
            "images": images,
            "lead_image": lead_image,
            "url": url,
            "tags": list(article.tags.all()),
            "regions": list(article.regions.all()),
            "related": selectors.related_articles(article=article),
            "comments": list(selectors.approved_comments(article=article)),
            "json_ld": _json_ld(request, article, lead_image),
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
    article = selectors.article_get_public(slug=slug)
    if article is None:
        raise Http404(_("This article does not exist or is not published."))
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
    target = services.short_link_follow(code=code[:12])
    if target is None:
        raise Http404(_("This link does not exist."))
    return HttpResponseRedirect(target)


@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(
        request.POST or None, initial={"region": request.GET.get("wilayah", PROVINCE)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscriber_create(
                channel=data["channel"],
                region=data["region"],
                name=data["name"],
                email=data["email"] or "",
                phone=data["phone"] or "",
                topics=data["topics"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you! You will receive the news of %(region)s.")
                % {"region": data["region"].name},
            )
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


# --- staff --------------------------------------------------------------------------
def _author_choices(user: User) -> list[tuple[str, str]]:
    choices = [(f"kim:{k.pk}", k.name) for k in selectors.kims_of_user(user)]
    choices += [
        (f"office:{r.kode}", f"Diskominfo {r.name}")
        for r in selectors.office_choices(user)
    ]
    return choices


def _author(value: str) -> dict[str, Any]:
    kind, _sep, ref = value.partition(":")
    if kind == "kim":
        kim = network.kim_get(pk=int(ref))
        if kim is None:
            raise Http404
        return {"kim": kim}
    region = region_get(kode=ref)
    if region is None:
        raise Http404
    return {"office": region}


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", "")
    status = status if status in Article.Status.values else ""
    articles = selectors.articles_for_actor(actor=user, status=status)
    if not (can(user, "view", "newsroom.article") or _author_choices(user)):
        raise PermissionDenied
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "newsroom/staff_home.html",
        {
            "page": page,
            "status": status,
            "statuses": Article.Status.choices,
            "reviews": selectors.review_queue(actor=user).count(),
            "comments": selectors.comments_for_moderation(actor=user).count(),
            "can_write": bool(_author_choices(user)),
            "can_reach": can(user, "view", "newsroom.reach"),
        },
    )


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    choices = _author_choices(user)
    if not choices:
        raise PermissionDenied
    form = ArticleForm(request.POST or None, author_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_create(
                actor=user,
                kind=data["kind"],
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                regions=data["regions"],
                tags=data["tags"],
                source_links=data["source_links"],
                factcheck_url=data["factcheck_url"] or "",
                **_author(data["author"]),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied:
            form.add_error("author", _("You may not write for this author."))
        else:
            messages.success(request, _("Draft saved. Add photos, then submit it."))
            return redirect("newsroom:staff_article", pk=article.pk)
    return render(request, "newsroom/staff_form.html", {"form": form, "article": None})


def _article_or_404(user: User, pk: int) -> Article:
    article = selectors.article_get_for_actor(actor=user, pk=pk)
    if article is None:
        raise Http404(_("Article not found."))
    return article


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    can_change = selectors.can_article(user, "change", article)
    author = (
        f"kim:{article.kim_id}" if article.kim_id else f"office:{article.office_id}"
    )
    initial = {
        "author": author,
        "kind": article.kind,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "regions": ", ".join(
            r.kode for r in article.regions.all() if r.kode != article.region_id
        ),
        "tags": ", ".join(t.name for t in article.tags.all()),
        "source_links": "\n".join(article.source_links),
        "factcheck_url": article.factcheck_url,
    }
    form = ArticleForm(
        request.POST or None,
        initial=initial,
        author_choices=[(author, article.author_name)],
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.article_update(
                    actor=user,
                    article=article,
                    kind=data["kind"],
                    title=data["title"],
                    lead=data["lead"],
                    body=data["body"],
                    regions=data["regions"],
                    tags=data["tags"],
                    source_links=data["source_links"],
                    factcheck_url=data["factcheck_url"] or "",
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("newsroom:staff_article", pk=article.pk)
    return render(
        request,
        "newsroom/staff_form.html",
        {
            "form": form,
            "article": article,
            "can_change": can_change,
            "can_review": selectors.can_article(user, "review", article),
            "can_publish": selectors.can_article(user, "publish", article),
            "can_send": services.user_can_disseminate(user, article),
            "image_form": ImageForm(),
            "workflow_form": WorkflowForm(),
            "notes": article.review_notes.select_related("author")[:20],
            "revisions": article.revisions.select_related("created_by")[:10],
            "images": article.images.all(),
            "channels": _channel_choices(),
        },
    )


def _channel_choices() -> list[tuple[str, str]]:
    from newsroom.channels import enabled_channels
    from newsroom.models import Channel

    enabled = enabled_channels()
    return [(v, str(label)) for v, label in Channel.choices if v in enabled]


@login_required
@require_POST
def article_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    form = WorkflowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("newsroom:staff_article", pk=pk)
    data = form.cleaned_data
    action, note = data["action"], data["note"] or ""
    send_to = None
    if data["send_subscribers"] and data["send_channels"]:
        send_to = {
            "region_codes": [article.region_id],
            "subscribers": True,
            "kim_members": False,
        }
    try:
        if action == "submit":
            services.article_submit(actor=user, article=article, note=note)
        elif action == "request_changes":
            services.article_request_changes(actor=user, article=article, note=note)
        elif action == "approve":
            services.article_approve(actor=user, article=article, note=note)
        elif action == "schedule":
            when = data["publish_at"]
            if when is None:
                raise ValidationError({"publish_at": _("Choose when to publish.")})
            services.article_schedule(
                actor=user,
                article=article,
                publish_at=when,
                note=note,
                send_to=send_to,
                send_channels=data["send_channels"],
            )
        elif action == "publish":
            services.article_publish(
                actor=user,
                article=article,
                note=note,
                send_to=send_to,
                send_channels=data["send_channels"],
            )
        elif action == "unpublish":
            services.article_unpublish(actor=user, article=article, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise Http404(_("Article not found.")) from None
    else:
        article.refresh_from_db()
        messages.success(
            request,
            _("Status: %(status)s.") % {"status": article.get_status_display()},
        )
    return redirect("newsroom:staff_article", pk=pk)


@login_required
@require_POST
def image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.article_image_add(
                actor=user,
                article=article,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, _("Choose a photo."))
    return redirect("newsroom:staff_article", pk=pk)


@login_required
@require_POST
def image_delete(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    image = article.images.filter(pk=image_pk).first()
    if image is None:
        raise Http404
    services.article_image_delete(actor=user, image=image)
    return redirect("newsroom:staff_article", pk=pk)


@login_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_or_404(_user(request), pk)
    images = list(article.images.all())
    context = {
        "article": article,
        "images": images,
        "lead_image": images[0] if images else None,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "tags": list(article.tags.all()),
        "regions": list(article.regions.all()),
        "related": [],
        "comments": [],
        "preview": True,
    }
    main = render_to_string("newsroom/_article_main.html", context)
    return render(
        request,
        "newsroom/article.html",
        {"article": article, "head": "", "main": main, "feeds": [], "preview": True},
    )


@login_required
def disseminate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    if not services.user_can_disseminate(user, article):
        raise PermissionDenied
    form = AudienceForm(
        request.POST or None,
        initial={"region_codes": article.region_id[:5], "subscribers": True},
    )
    channel_field = form.fields["channels"]
    channel_field.choices = _channel_choices()  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dissemination = services.dissemination_create(
                actor=user,
                item_url=settings.SITE_URL + article.get_absolute_url(),
                title=article.title,
                summary=article.lead,
                item_ref=article.item_ref,
                region=article.region,
                audience={
                    "region_codes": data["region_codes"],
                    "subscribers": data["subscribers"],
                    "kim_members": data["kim_members"],
                    "forum_boards": data["forum_boards"],
                },
                channels=data["channels"],
                urgent=data["urgent"],
                article=article,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Sending has started."))
            return redirect("newsroom:dissemination", pk=dissemination.pk)
    return render(
        request, "newsroom/disseminate.html", {"form": form, "article": article}
    )


@login_required
def dissemination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    dissemination = selectors.disseminations_for_actor(actor=user).filter(pk=pk).first()
    if dissemination is None:
        raise Http404
    counts = selectors.delivery_counts(dissemination=dissemination)
    statuses = ["queued", "sent", "delivered", "read", "failed"]
    rows = [(c, [row.get(s, 0) for s in statuses]) for c, row in counts.items()]
    template = (
        "newsroom/_dissemination_counts.html"
        if request.htmx  # type: ignore[attr-defined]
        else "newsroom/dissemination.html"
    )
    return render(
        request,
        template,
        {
            "dissemination": dissemination,
            "rows": rows,
            "reach": selectors.reach_by_item(dissemination_id=dissemination.pk),
            "statuses": statuses,
        },
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can(user, "moderate", "newsroom.comment"):
        raise PermissionDenied
    if request.method == "POST":
        comment = (
            selectors.comments_for_moderation(actor=user, status="")
            .filter(pk=request.POST.get("comment", 0))
            .first()
        )
        form = ModerationForm(request.POST)
        if comment is None:
            raise Http404
        if form.is_valid():
            services.comment_moderate(
                actor=user, comment=comment, status=form.cleaned_data["status"]
            )
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse("")
        return redirect("newsroom:moderation")
    status = request.GET.get("status", Comment.Status.PENDING)
    status = status if status in Comment.Status.values else Comment.Status.PENDING
    comments = selectors.comments_for_moderation(actor=user, status=status)
    page = Paginator(comments, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "newsroom/moderation.html",
        {"page": page, "status": status, "statuses": Comment.Status.choices},
    )


def _reach_region(user: User, code: str) -> Region:
    region = region_get(kode=code)
    if region is None or not in_scope(user, region.kode):
        raise Http404(_("Region not found."))
    return region


@login_required
def reach(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can(user, "view", "newsroom.reach"):
        raise PermissionDenied
    default = user.region_id or PROVINCE
    region = _reach_region(user, request.GET.get("wilayah", default) or default)
    kim_id = request.GET.get("kim")
    kim = None
    if kim_id and kim_id.isdigit():
        kim = network.kim_get(pk=int(kim_id))
        if kim is None or not region.contains_code(kim.region_id):
            raise Http404
    figures = selectors.reach_figures(
        region_code=region.kode, kim_id=kim.pk if kim else None
    )
    top = (
        selectors.article_list_public(region_code=region.kode).filter(kim_id=kim.pk)
        if kim
        else selectors.article_list_public(region_code=region.kode)
    )[:10]
    views = [v for _d, v, _c in figures.daily]
    clicks = [c for _d, _v, c in figures.daily]
    return render(
        request,
        "newsroom/reach.html",
        {
            "region": region,
            "kim": kim,
            "figures": figures,
            "view_bars": selectors.chart_bars(views),
            "click_bars": selectors.chart_bars(clicks),
            "first_day": figures.daily[0][0] if figures.daily else None,
            "last_day": figures.daily[-1][0] if figures.daily else None,
            "top": top,
            "children": region.children.order_by("kode")
            if region.level != Region.Level.DISTRICT
            else [],
            "months": reports.recent_months(),
            "regencies": [
                r
                for r in Region.objects.filter(level=Region.Level.REGENCY).order_by(
                    "kode"
                )
                if in_scope(user, r.kode)
            ],
            "can_export": can(user, "export", "newsroom.reach"),
        },
    )


@login_required
def report(request: HttpRequest, kode: str, month: str, fmt: str) -> HttpResponse:
    """The monthly report of a regency, as PDF or Excel."""
    user = _user(request)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    region = _reach_region(user, kode)
    if not can(user, "export", "newsroom.reach", region_code=region.kode):
        raise PermissionDenied
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    rows = selectors.monthly_report(region=region, month=first)
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="newsroom.report",
        object_repr=f"Laporan {region.name} {month} ({fmt})",
        region_code=region.kode,
    )
    filename = f"laporan-kabar-{region.kode}-{month}.{fmt}"
    if fmt == "pdf":
        data = reports.report_pdf(region=region, month=first, rows=rows)
        content_type = "application/pdf"
    else:
        data = reports.report_xlsx(region=region, month=first, rows=rows)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
