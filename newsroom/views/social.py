"""Publishing an article to social media accounts (``channels.social``): the
editor picks accounts (their own, the region's KIMs' that opened theirs to
editors; filtered by region), Simpul adapts and queues one post per account
through the outbox, and the page shows each post's link, status and reach."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.permissions import can
from channels.social import services as social_services
from channels.social import views as social_views
from core.links import site_url
from newsroom.models import Article
from newsroom.views.common import _user
from newsroom.views.staff import _article_or_404

READY = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


def _publication(article: Article) -> social_services.Publication:
    image = article.images.first()
    names = [r.name for r in (article.region, article.region.parent) if r]
    if article.kim_id and article.kim:
        names.append(article.kim.name)
    names.append("Simpul")
    image_name = ""
    if image is not None:
        sizes = sorted((int(w), n) for w, n in image.renditions.items())
        image_name = sizes[-1][1] if sizes else ""
    return social_services.Publication(
        source_key=f"newsroom.article:{article.pk}",
        title=article.title,
        summary=article.lead,
        link=site_url(article.get_absolute_url()),
        author=article.author_name,
        image_name=image_name,
        tag_names=names,
        # A scheduled article goes out on social media when it is published.
        not_before=article.publish_at
        if article.status == Article.Status.SCHEDULED
        else None,
    )


@login_required
def article_social(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    if not can(user, "create", "newsroom.dissemination", region_code=article.region_id):
        raise PermissionDenied
    return social_views.publish_page(
        request,
        source_key=f"newsroom.article:{article.pk}",
        publication=lambda: _publication(article),
        ready=article.status in READY,
        template="newsroom/social.html",
        context={"article": article},
    )
