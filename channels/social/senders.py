"""The outbox's senders for social accounts: one outbox row is one post to one
account (``to`` is the SocialAccount id, ``reference`` in ``Outgoing`` the row
id, which finds its SocialPost).

Facebook: ``POST /<page>/feed`` (message + link). Instagram: a media container
(``POST /<ig user>/media`` with the JPEG's public URL and the caption), then
``media_publish``; the container id is kept, so a retry after a timeout
publishes the same container instead of making a second one.
X: the JPEG uploaded (``POST /2/media/upload``; its media id kept), then
``POST /2/tweets``. TikTok: ``content/init`` with the JPEG's public URL (its
publish id kept), then its status until TikTok says it is up; a retry while
it is processing asks the status again rather than posting again.
X and TikTok tokens are refreshed first when they end within minutes.
A connection lost after a post was sent (``Uncertain``): the post is "not
confirmed" and tried again after the back-off, but first looked up on the
platform (X: the account's posts with the same text; Facebook: the Page's
published posts with the same message; Instagram: whether the container was
published, and its media) and, when found, kept instead of posted again.
TikTok's answer to ``content/init`` is its only way to the publish id, so a
lost one is not retried (the editor is told to look at the account).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from channels.models import Platform, SocialAccount, SocialPost
from channels.senders import Outgoing, PermanentError, Sender, TemporaryError
from channels.social import adapt, crypto
from channels.social.client import Uncertain
from channels.social.graph import Graph, ImageRefused, TokenError
from channels.social.tiktok import TikTokClient
from channels.social.x import XClient

P = SocialPost.Problem


class SocialSender(Sender):
    def __init__(
        self,
        channel: str,
        *,
        graph: Graph | None = None,
        x: XClient | None = None,
        tiktok: TikTokClient | None = None,
    ) -> None:
        self.channel = channel
        self.graph = graph or Graph()
        self.x = x or XClient()
        self.tiktok = tiktok or TikTokClient()

    def close(self) -> None:
        self.graph.close()
        self.x.close()
        self.tiktok.close()

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
            self._daily_limit(account)
            if account.platform == Platform.X:
                post_id, permalink = self._x(post, account, message)
            elif account.platform == Platform.TIKTOK:
                post_id, permalink = self._tiktok(post, account, message)
            elif account.platform == Platform.INSTAGRAM:
                token = crypto.decrypt(account.token_encrypted)
                post_id, permalink = self._instagram(post, account, message, token)
            else:
                token = crypto.decrypt(account.token_encrypted)
                post_id = self._facebook(post, account, message, token)
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
        except Uncertain:
            self._mark(post, problem=P.UNCERTAIN)
            raise
        except TemporaryError as exc:
            # A TikTok post still processing is already with TikTok: should
            # the outbox give up on it, the editor is told to look, not that
            # nothing was posted.
            problem = {
                "limit": P.LIMIT,
                "processing": P.UNCERTAIN,
                "uncertain": P.UNCERTAIN,
            }.get(exc.code, P.TEMPORARY)
            if post.problem == P.UNCERTAIN:
                # Still unknown whether the earlier try made the post: the
                # next try must look it up first too.
                problem = P.UNCERTAIN
            self._mark(post, problem=problem)
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

    def retry_at(self, message: Outgoing, earliest: datetime) -> datetime:
        """A retry is slotted like a first attempt: out of the quiet hours and
        within the platform's posts per day, counting the account's other
        posts (this one is "sending" meanwhile, so it does not count itself)."""
        from channels.social.services import post_slot

        post = (
            SocialPost.objects.select_related("account")
            .filter(outbox_id=int(message.reference or 0))
            .first()
        )
        if post is None:
            return earliest
        with transaction.atomic():
            # As in publishing: one slotting at a time per account.
            SocialAccount.objects.select_for_update().filter(pk=post.account_id).first()
            return post_slot(account=post.account, earliest=earliest)

    @staticmethod
    def _daily_limit(account: SocialAccount) -> None:
        """The platform's posts per account and 24 hours, checked again at
        sending time (publishing already scheduled each post within it; this
        catches posts queued around it): wait until the oldest post of the
        window is a day old (the outbox tries again then)."""
        from channels.social.services import daily_limit

        limit = daily_limit(account.platform)
        if limit <= 0:
            return
        since = timezone.now() - timedelta(hours=24)
        recent = [
            when
            for when in SocialPost.objects.filter(account=account, posted_at__gt=since)
            .order_by("posted_at")
            .values_list("posted_at", flat=True)[:limit]
            if when is not None
        ]
        if len(recent) >= limit:
            wait = (recent[0] - since).total_seconds() + 60
            raise TemporaryError(
                f"{account.platform}: 24-hour publishing limit reached",
                code="limit",
                retry_after=wait,
            )

    def _x(
        self, post: SocialPost, account: SocialAccount, message: Outgoing
    ) -> tuple[str, str]:
        from channels.social.services import account_token

        token = account_token(account=account, client=self.x)
        if post.problem == P.UNCERTAIN:
            # An earlier try broke after sending: X may have the post.
            found = self._x_find(post, account, message, token)
            if found:
                return found
        media = post.container_id
        if not media and post.image:
            try:
                with default_storage.open(post.image, "rb") as f:
                    data = f.read()
            except OSError as exc:
                raise ImageRefused("x: the picture is missing", code="image") from exc
            media = self.x.media_upload(token=token, data=data)
            # Kept: a retry after a failed post reuses the upload.
            self._mark(post, container_id=media[:64])
        try:
            post_id = self.x.post(token=token, text=message.body, media_id=media)
        except Uncertain as exc:
            # Tried again after the back-off, looking the post up first.
            raise TemporaryError(str(exc), code="uncertain") from exc
        except PermanentError as exc:
            # X refuses the same text twice (403): after a try that broke, that
            # is the earlier post, perhaps not in the timeline a moment ago.
            if post.problem == P.UNCERTAIN and exc.code == "403":
                found = self._x_find(post, account, message, token)
                if found:
                    return found
            raise
        if not post_id:
            raise PermanentError("x: no post id in the answer", code="post")
        return post_id, XClient.permalink(username=account.username, post_id=post_id)

    def _x_find(
        self, post: SocialPost, account: SocialAccount, message: Outgoing, token: str
    ) -> tuple[str, str] | None:
        post_id = self.x.find_post(
            token=token,
            user_id=account.external_id,
            text=message.body,
            # A minute of slack for clocks apart.
            since=post.created_at - timedelta(minutes=1),
        )
        if not post_id:
            return None
        return post_id, XClient.permalink(username=account.username, post_id=post_id)

    def _tiktok(
        self, post: SocialPost, account: SocialAccount, message: Outgoing
    ) -> tuple[str, str]:
        from channels.social.services import account_token

        token = account_token(account=account, client=self.tiktok)
        publish_id = post.container_id
        if not publish_id:
            if not message.image_url:
                raise ImageRefused("tiktok: a photo post needs a picture", code="image")
            publish_id = self.tiktok.photo_init(
                token=token,
                title=adapt.tiktok_title(post.source_title),
                description=message.body,
                image_url=message.image_url,
            )
            self._mark(post, container_id=publish_id[:64])
        polls = max(1, settings.SOCIAL_TIKTOK_STATUS_POLLS)
        for attempt in range(polls):
            status = self.tiktok.status(token=token, publish_id=publish_id)
            if status.done:
                return status.post_id or publish_id, TikTokClient.permalink(
                    username=account.username, post_id=status.post_id
                )
            if status.failed:
                text = f"tiktok: {status.fail_reason or 'failed'}"
                if TikTokClient.image_reason(status.fail_reason):
                    raise ImageRefused(text, code="image")
                self._mark(post, container_id="")
                raise PermanentError(text, code="failed")
            if attempt + 1 < polls:
                time.sleep(settings.SOCIAL_TIKTOK_STATUS_WAIT)
        raise TemporaryError(
            "tiktok: the post is still being processed",
            code="processing",
            retry_after=60,
        )

    def _facebook(
        self, post: SocialPost, account: SocialAccount, message: Outgoing, token: str
    ) -> str:
        if post.problem == P.UNCERTAIN:
            # An earlier try broke after sending: the Page may have the post.
            found = self.graph.page_post_find(
                page_id=account.external_id,
                token=token,
                message=message.body,
                since=post.created_at - timedelta(minutes=1),
            )
            if found:
                return found
        try:
            return self.graph.page_post(
                page_id=account.external_id,
                token=token,
                message=message.body,
                link=post.link,
            )
        except Uncertain as exc:
            # Tried again after the back-off, looking the post up first.
            raise TemporaryError(str(exc), code="uncertain") from exc

    def _instagram(
        self, post: SocialPost, account: SocialAccount, message: Outgoing, token: str
    ) -> tuple[str, str]:
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
        media_id = ""
        if post.problem == P.UNCERTAIN:
            # An earlier publish broke after sending: it may have gone through.
            media_id = self.graph.ig_published_find(
                ig_user_id=account.external_id,
                token=token,
                container_id=container,
                caption=message.body,
            )
        if not media_id:
            try:
                media_id = self.graph.ig_publish(
                    ig_user_id=account.external_id,
                    token=token,
                    container_id=container,
                )
            except Uncertain as exc:
                raise TemporaryError(str(exc), code="uncertain") from exc
        return media_id, self.graph.permalink(
            object_id=media_id, token=token, field="permalink"
        )
