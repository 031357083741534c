"""Local-potential stories (``potensi lokal``): an article of kind produk_lokal,
wisata or budaya with its structured facts (``Potential``).

The story is written, reviewed and published like any article (the article
services do it); these services only keep the facts beside it. Everything is
checked before the first row is written and written in one transaction, so a
refused story leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from newsroom.models import Article, Potential, PotentialCategory
from newsroom.selectors import can_article
from newsroom.services.articles import article_create, article_update
from regions.models import Region

if TYPE_CHECKING:
    from accounts.models import User
    from network.models import Kim

#: A story's text is for reading on a phone: past this it is a paste gone wrong.
MAX_BODY_CHARS = 40_000

_TEXT_FIELDS = ("name", "address", "phone", "price_range", "opening_hours")


def _check_body(body: str | None) -> None:
    if body is not None and len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {
                "body": _(
                    "The text is too long (%(length)s characters; at most "
                    "%(limit)s). Shorten it or split it into several stories."
                )
                % {"length": len(body), "limit": MAX_BODY_CHARS}
            }
        )


def _apply(potential: Potential, fields: dict[str, Any]) -> None:
    """Set the given facts (None: keep), whitespace tidied, then check them
    all (the article is not there yet on creation)."""
    for name in _TEXT_FIELDS:
        if fields.get(name) is not None:
            setattr(potential, name, " ".join(str(fields[name]).split()))
    for name in ("category", "place", "lat", "lng", "starts_on", "ends_on"):
        if name in fields:
            setattr(potential, name, fields[name])
    if potential.category not in PotentialCategory.values:
        raise ValidationError(
            {"category": _("Choose a category: local product, tourism or culture.")}
        )
    if potential.place_id is None:
        raise ValidationError(
            {"place": _("Choose the region (village, district or regency) it is in.")}
        )
    potential.full_clean(exclude=["article"])


def _with_place(regions: Iterable[Region] | None, place: Region) -> list[Region]:
    chosen = {r.kode: r for r in (regions or [])}
    chosen[place.kode] = place
    return list(chosen.values())


@transaction.atomic
def potential_create(
    *,
    actor: User,
    category: str,
    name: str,
    place: Region | None,
    title: str,
    lead: str,
    body: str,
    kim: Kim | None = None,
    office: Region | None = None,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    phone: str = "",
    price_range: str = "",
    opening_hours: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    regions: Iterable[Region] | None = None,
    tags: Iterable[str] = (),
    source_links: Iterable[str] = (),
) -> Article:
    """A draft local-potential story by a KIM or an office (the same rules as
    ``article_create``); ``place`` is also one of the article's regions, so the
    story is listed on that region's pages."""
    _check_body(body)
    potential = Potential()
    _apply(
        potential,
        {
            "category": category,
            "name": name,
            "place": place,
            "lat": lat,
            "lng": lng,
            "address": address,
            "phone": phone,
            "price_range": price_range,
            "opening_hours": opening_hours,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    assert place is not None
    article = article_create(
        actor=actor,
        kind=category,
        title=title,
        lead=lead,
        body=body,
        kim=kim,
        office=office,
        regions=_with_place(regions, place),
        tags=tags,
        source_links=source_links,
    )
    potential.article = article
    potential.full_clean()
    potential.save()
    return article


@transaction.atomic
def potential_update(
    *,
    actor: User,
    article: Article,
    title: str | None = None,
    lead: str | None = None,
    body: str | None = None,
    regions: Iterable[Region] | None = None,
    tags: Iterable[str] | None = None,
    source_links: Iterable[str] | None = None,
    **facts: Any,
) -> Article:
    """Edit a local-potential story: its text (``article_update``'s rules, a new
    revision) and its facts (``category``, ``name``, ``place``, ``lat``, ``lng``,
    ``address``, ``phone``, ``price_range``, ``opening_hours``, ``starts_on``,
    ``ends_on``; a fact not given is kept)."""
    unknown = (
        set(facts)
        - {*_TEXT_FIELDS, "category", "place", "lat", "lng"}
        - {
            "starts_on",
            "ends_on",
        }
    )
    if unknown:
        raise TypeError(f"potential_update() got unknown facts {sorted(unknown)}")
    if not can_article(actor, "change", article):
        raise PermissionDenied(_("You may not edit this article now."))
    potential = Potential.objects.select_for_update().filter(article=article).first()
    if potential is None:
        raise ValidationError(_("This article is not a local-potential story."))
    _check_body(body)
    _apply(potential, facts)
    place = potential.place
    if regions is not None:
        regions = _with_place(regions, place)
    # Saved first: article_update checks the article's kind against it.
    potential.full_clean()
    potential.save()
    article_update(
        actor=actor,
        article=article,
        kind=potential.category,
        title=title,
        lead=lead,
        body=body,
        regions=regions,
        tags=tags,
        source_links=source_links,
    )
    # The place is always among the regions concerned, also when only it changed.
    article.regions.add(place)
    return article
