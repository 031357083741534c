"""Staff pages of articles: writing, the workflow, photos, previews and
comment moderation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import can, permitted_user
from core.viewtools import choice_param, form_write, or_404
from network import selectors as network
from newsroom import selectors, services
from newsroom.forms import (
    ArticleForm,
    ImageForm,
    ModerationForm,
    PotentialForm,
    WorkflowForm,
)
from newsroom.models import Article, Comment
from newsroom.views.common import _user
from regions.selectors import region_ancestors, region_get


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
        kim = or_404(network.kim_get(pk=int(ref)))
        return {"kim": kim}
    region = or_404(region_get(kode=ref))
    return {"office": region}


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = choice_param(request, "status", Article.Status.values)
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


def _article_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The article form's cleaned data, as article_create and article_update
    take it (the author is chosen once, on creation)."""
    fields = ("kind", "title", "lead", "body", "regions", "tags", "source_links")
    return {
        **{name: data[name] for name in fields},
        "factcheck_url": data["factcheck_url"] or "",
    }


def draft_new(
    request: HttpRequest,
    form_class: type[ArticleForm],
    create: Callable[..., Article],
    fields: Callable[[dict[str, Any]], dict[str, Any]],
    **context: Any,
) -> HttpResponse:
    """A new draft (a story, or a local potential's page): its author is chosen
    here, once, among those the user may write for; ``fields`` turns the form's
    cleaned data into ``create``'s arguments."""
    user = _user(request)
    choices = _author_choices(user)
    if not choices:
        raise PermissionDenied
    form = form_class(request.POST or None, author_choices=choices)
    if article := form_write(
        request,
        form,
        lambda: create(
            actor=user,
            **fields(form.cleaned_data),
            **_author(form.cleaned_data["author"]),
        ),
        _("Draft saved. Add photos, then submit it."),
        refused=_("You may not write for this author."),
        refused_field="author",
    ):
        return redirect("newsroom:staff_article", pk=article.pk)
    return render(
        request,
        "newsroom/staff_form.html",
        {"form": form, "article": None, **context},
    )


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    return draft_new(request, ArticleForm, services.article_create, _article_fields)


def _article_or_404(user: User, pk: int) -> Article:
    return or_404(
        selectors.article_get_for_actor(actor=user, pk=pk), _("Article not found.")
    )


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
    potential = selectors.potential_of(article)
    form: ArticleForm
    if potential is not None:
        # A local-potential story: the same page, with its facts in the form.
        from newsroom.views.potentials import potential_initial, potential_save

        initial.update(potential_initial(potential))
        form = PotentialForm(
            request.POST or None,
            initial=initial,
            author_choices=[(author, article.author_name)],
        )
    else:
        form = ArticleForm(
            request.POST or None,
            initial=initial,
            author_choices=[(author, article.author_name)],
        )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if isinstance(form, PotentialForm):
            saved = potential_save(request, form, article)
        else:
            saved = form_write(
                request,
                form,
                lambda: services.article_update(
                    actor=user, article=article, **_article_fields(form.cleaned_data)
                ),
                _("Changes saved."),
            )
        if saved:
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
            "can_social": article.status
            in (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
            and can(
                user, "create", "newsroom.dissemination", region_code=article.region_id
            ),
            "image_form": ImageForm(),
            "workflow_form": WorkflowForm(),
            "notes": article.review_notes.select_related("author")[:20],
            "revisions": article.revisions.select_related("created_by")[:10],
            "images": article.images.all(),
            "channels": _channel_choices(),
            "potential_form": potential is not None,
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
    # The steps that take only a note; scheduling and publishing also say whom to
    # send the article to.
    steps: dict[str, Callable[..., object]] = {
        "submit": services.article_submit,
        "request_changes": services.article_request_changes,
        "approve": services.article_approve,
        "unpublish": services.article_unpublish,
    }
    sending = {"send_to": send_to, "send_channels": data["send_channels"]}
    try:
        if action in steps:
            steps[action](actor=user, article=article, note=note)
        elif action == "schedule":
            when = data["publish_at"]
            if when is None:
                raise ValidationError({"publish_at": _("Choose when to publish.")})
            services.article_schedule(
                actor=user, article=article, note=note, publish_at=when, **sending
            )
        elif action == "publish":
            services.article_publish(actor=user, article=article, note=note, **sending)
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
    image = or_404(article.images.filter(pk=image_pk).first())
    services.article_image_delete(actor=user, image=image)
    return redirect("newsroom:staff_article", pk=pk)


@login_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_or_404(_user(request), pk)
    images = list(article.images.all())
    potential = selectors.potential_of(article)
    chain = (
        [*region_ancestors(region=potential.place), potential.place]
        if potential is not None
        else []
    )
    context = {
        "potential": potential,
        "potential_chain": chain,
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
def moderation(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "moderate", "newsroom.comment")
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
    status = choice_param(
        request, "status", Comment.Status.values, Comment.Status.PENDING
    )
    comments = selectors.comments_for_moderation(actor=user, status=status)
    page = Paginator(comments, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "newsroom/moderation.html",
        {"page": page, "status": status, "statuses": Comment.Status.choices},
    )
