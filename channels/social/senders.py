"""The outbox's senders for social accounts: one outbox row is one post to one
account (``to`` is the SocialAccount id, ``reference`` in ``Outgoing`` the row
id, which finds its SocialPost).

Facebook: ``POST /<page>/feed`` (message + link). Instagram: a media container
(``POST /<ig user>/media`` with the JPEG's public URL and the caption), then
``media_publish``; the container id is kept, so a retry after a timeout
publishes the same container instead of making a second one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from channels.models import Platform, SocialAccount, SocialPost
from channels.senders import Outgoing, PermanentError, Sender, TemporaryError
from channels.social import crypto
from channels.social.graph import Graph, ImageRefused, TokenError

P = SocialPost.Problem


class SocialSender(Sender):
    def __init__(self, channel: str, *, graph: Graph | None = None) -> None:
        self.channel = channel
        self.graph = graph or Graph()

    def close(self) -> None:
        self.graph.close()

    @staticmethod
    def _mark(post: SocialPost, **fields: object) -> None:
        with transaction.atomic():
            SocialPost.objects.filter(pk=post.pk).update(**fields)
        for name, value in fields.items():
            setattr(post, name, value)

    def send(self, message: Outgoing) -> str:
        post = (
            SocialPost.objects.select_related("account")
            .filter(outbox_id=int(message.reference or 0))
            .first()
        )
        if post is None:
            raise PermanentError(f"{self.channel}: no social post for this message")
        account = post.account
        if account.status != SocialAccount.Status.ACTIVE:
            self._mark(post, problem=P.TOKEN)
            raise PermanentError(
                f"{self.channel}: account {account.get_status_display()}", code="190"
            )
        try:
            token = crypto.decrypt(account.token_encrypted)
            if account.platform == Platform.INSTAGRAM:
                post_id, permalink = self._instagram(post, account, message, token)
            else:
                post_id = self.graph.page_post(
                    page_id=account.external_id,
                    token=token,
                    message=message.body,
                    link=post.link,
                )
                permalink = self.graph.permalink(
                    object_id=post_id, token=token, field="permalink_url"
                )
        except (TokenError, crypto.TokenUnreadable) as exc:
            from channels.social.services import account_mark_broken

            account_mark_broken(account=account, detail=str(exc))
            self._mark(post, problem=P.TOKEN)
            raise PermanentError(str(exc), code="190") from exc
        except ImageRefused:
            # A new image needs a new container.
            self._mark(post, problem=P.IMAGE, container_id="")
            raise
        except TemporaryError:
            self._mark(post, problem=P.TEMPORARY)
            raise
        except PermanentError:
            self._mark(post, problem=P.REFUSED)
            raise
        self._mark(
            post,
            platform_post_id=post_id[:100],
            permalink=permalink,
            posted_at=timezone.now(),
            problem="",
        )
        return post_id

    @staticmethod
    def _daily_limit(account: SocialAccount) -> None:
        """Instagram's publishing limit per account and 24 hours: wait until the
        oldest post of the window is a day old (the outbox tries again then)."""
        since = timezone.now() - timedelta(hours=24)
        recent = [
            when
            for when in SocialPost.objects.filter(account=account, posted_at__gt=since)
            .order_by("posted_at")
            .values_list("posted_at", flat=True)[
                : settings.SOCIAL_INSTAGRAM_DAILY_LIMIT
            ]
            if when is not None
        ]
        if len(recent) >= settings.SOCIAL_INSTAGRAM_DAILY_LIMIT:
            wait = (recent[0] - since).total_seconds() + 60
            raise TemporaryError(
                "instagram: 24-hour publishing limit reached",
                code="limit",
                retry_after=wait,
            )

    def _instagram(
        self, post: SocialPost, account: SocialAccount, message: Outgoing, token: str
    ) -> tuple[str, str]:
        self._daily_limit(account)
        if not message.image_url:
            self._mark(post, problem=P.IMAGE)
            raise ImageRefused("instagram: a post needs an image", code="image")
        container = post.container_id
        if not container:
            container = self.graph.ig_container(
                ig_user_id=account.external_id,
                token=token,
                image_url=message.image_url,
                caption=message.body,
            )
            self._mark(post, container_id=container[:64])
        media_id = self.graph.ig_publish(
            ig_user_id=account.external_id, token=token, container_id=container
        )
        return media_id, self.graph.permalink(
            object_id=media_id, token=token, field="permalink"
        )
