"""E-mails to the newsroom's own staff (through the channels outbox)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from channels import services as outbox
from core.links import site_url
from newsroom.rules import EDITORS

if TYPE_CHECKING:
    from newsroom.models import Article


def _region_codes_above(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def article_publishers(article: Article) -> list[User]:
    """The active editors and admins who may publish ``article``."""
    from newsroom.selectors import can_article

    candidates = User.objects.filter(
        is_active=True,
        role__in=EDITORS,
        region_id__in=_region_codes_above(article.region_id),
    ).order_by("pk")[:50]
    return [user for user in candidates if can_article(user, "publish", article)]


def article_held_notify(*, article: Article, scheduler: User | None) -> int:
    """Tell the scheduler and the article's other publishers why it was held."""
    people = {user.pk: user for user in article_publishers(article)}
    if scheduler is not None:
        people[scheduler.pk] = scheduler
    url = site_url(reverse("newsroom:staff_article", args=[article.pk]))
    when = timezone.localtime(article.publish_at) if article.publish_at else None
    stamp = int(article.updated_at.timestamp())
    body = _(
        "The article “%(title)s” was due at %(when)s but was not published.\n"
        "%(reason)s\nAnother editor can schedule or publish it again: %(url)s"
    ) % {
        "title": article.title,
        "when": date_format(when, "DATETIME_FORMAT") if when else "",
        "reason": article.held_reason,
        "url": url,
    }
    sent = 0
    for user in people.values():
        if not user.email:
            continue
        outbox.message_send(
            channel="email",
            to=user.email,
            subject=_("Scheduled article held: %(title)s") % {"title": article.title},
            body=body,
            dedupe_key=f"newsroom:held:{article.pk}:{stamp}:{user.pk}",
            origin="newsroom",
            reference=f"article:{article.pk}",
        )
        sent += 1
    return sent
