"""Stories as the newsroom tests make them, for other apps' tests too (the
social accounts post them): a KIM member's account, and a story that member
writes and an editor approves and publishes."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from network.models import Kim, Membership, Person
from newsroom import services
from newsroom.models import Article, Dissemination

AMPLANG = {
    "kind": "umkm",
    "title": "Amplang Udang Khas Tenggarong",
    "lead": "Kerupuk amplang buatan ibu-ibu KIM laris di pasar Tenggarong.",
    "body": "<p>Amplang dibuat dari udang segar setiap pagi.</p>",
}


def kim_writer(user: User, kim: Kim, **membership: Any) -> User:
    """``user``, made a member of ``kim`` (so may write for it)."""
    person = Person.objects.create(full_name=user.full_name, user=user)
    Membership.objects.create(kim=kim, person=person, **membership)
    return user


def story_published(*, member: User, editor: User, kim: Kim, **fields: Any) -> Article:
    """The amplang story (``fields`` change it) by ``member`` for ``kim``,
    submitted, then approved and published by ``editor``."""
    article = services.article_create(actor=member, kim=kim, **{**AMPLANG, **fields})
    return story_publish(article, member=member, editor=editor)


def story_publish(article: Article, *, member: User, editor: User) -> Article:
    """``article`` (a draft), submitted by ``member``, then approved and published
    by ``editor``."""
    services.article_submit(actor=member, article=article)
    services.article_approve(actor=editor, article=article)
    return services.article_publish(actor=editor, article=article)


def story_disseminate(
    editor: User, published: Article, channels: list[str], **audience: Any
) -> Dissemination:
    """``published`` sent by ``editor`` over ``channels`` to the people of
    Kutai Kartanegara (``audience`` adds to or changes who)."""
    return services.dissemination_create(
        actor=editor,
        item_url="http://testserver" + published.get_absolute_url(),
        title=published.title,
        summary=published.lead,
        item_ref=published.item_ref,
        region=published.region,
        audience={"region_codes": ["64.02"], **audience},
        channels=channels,
        article=published,
    )
