"""Writes of social accounts: connecting (OAuth), refreshing and revoking
tokens, publishing an item to chosen accounts through the outbox, reading
insights back. Platform calls happen in tasks and in the OAuth callback (the
person is waiting for the platform there anyway), never while publishing."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels import services as outbox
from channels.models import Platform, SocialAccount, SocialInsight, SocialPost
from channels.senders import PermanentError, TemporaryError
from channels.social import adapt, crypto, images, owners, schedule
from channels.social.client import Tokens, pkce_pair
from channels.social.graph import Graph, Page, TokenError
from channels.social.tiktok import TikTokClient
from channels.social.x import XClient
from core.links import site_url

log = logging.getLogger(__name__)
A = SocialAccount.Status
STATE_SALT = "channels.social.oauth"
STATE_MAX_AGE = 900  # seconds the person has to finish the platform's dialog
SCOPES = (
    "pages_show_list,pages_read_engagement,pages_manage_posts,read_insights,"
    "business_management,instagram_basic,instagram_content_publish,"
    "instagram_manage_insights"
)
ORIGIN = "social"
# X and TikTok: connected with OAuth 2.0 (one account per login), tokens that
# live hours and a refresh token.
OAUTH2 = (Platform.X, Platform.TIKTOK)
# A token this close to its end is refreshed before it is used.
REFRESH_MARGIN = timedelta(minutes=10)


# --- OAuth --------------------------------------------------------------------------
def oauth_start(
    *, actor: Any, owner_kind: str, owner_id: str, redirect_uri: str
) -> tuple[str, str]:
    """The platform's dialog URL and the nonce to keep in the session. The
    state is signed (it names the person and the owner) and carries the
    nonce: a callback from someone else's dialog or an old one is refused."""
    if not owners.may_manage(actor, owner_kind, owner_id):
        raise PermissionDenied
    if not settings.FACEBOOK_APP_ID:
        raise ValidationError(_("Facebook is not set up on this server."))
    nonce = secrets.token_urlsafe(16)
    state = signing.dumps(
        {"u": actor.pk, "k": owner_kind, "o": owner_id, "n": nonce}, salt=STATE_SALT
    )
    query = urlencode(
        {
            "client_id": settings.FACEBOOK_APP_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": SCOPES,
            "response_type": "code",
        }
    )
    return f"{settings.SOCIAL_FACEBOOK_DIALOG_URL}?{query}", nonce


def oauth_state_check(
    *, actor: Any, state: str, nonce: str, platform: str = Platform.FACEBOOK
) -> tuple[str, str]:
    """(owner kind, owner id) of a valid state, else ValidationError."""
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("The link has expired; please try again.")) from exc
    if (
        not isinstance(data, dict)
        or data.get("u") != actor.pk
        or not nonce
        or not secrets.compare_digest(str(data.get("n", "")), nonce)
        or data.get("p", Platform.FACEBOOK) != platform
    ):
        raise ValidationError(_("The link has expired; please try again."))
    kind, owner_id = str(data["k"]), str(data["o"])
    if not owners.may_manage(actor, kind, owner_id):
        raise PermissionDenied
    return kind, owner_id


def oauth_pages(
    *, code: str, redirect_uri: str, graph: Graph | None = None
) -> tuple[list[Page], int | None]:
    """Exchange the dialog's code; the Pages (with Instagram accounts) of the
    person, and the lifetime of their long-lived token."""
    graph = graph or Graph()
    try:
        user_token, lifetime = graph.code_exchange(code=code, redirect_uri=redirect_uri)
        return graph.pages(user_token=user_token), lifetime
    except (TemporaryError, PermanentError) as exc:
        log.warning("social: OAuth exchange failed: %s", exc)
        raise ValidationError(
            _("Facebook did not accept the connection; please try again.")
        ) from exc
    finally:
        graph.close()


def pages_seal(pages: list[Page]) -> str:
    """The Pages between the callback and the choice, for the session: their
    tokens encrypted like stored ones."""
    return crypto.encrypt(json.dumps([p.__dict__ for p in pages]))


def pages_unseal(sealed: str) -> list[Page]:
    try:
        return [Page(**row) for row in json.loads(crypto.decrypt(sealed))]
    except (crypto.TokenUnreadable, ValueError, TypeError):
        return []


def _oauth2_client(platform: str) -> XClient | TikTokClient:
    if platform == Platform.X:
        return XClient()
    if platform == Platform.TIKTOK:
        return TikTokClient()
    raise ValidationError(_("Unknown platform."))


def _oauth2_configured(platform: str) -> bool:
    if platform == Platform.X:
        return bool(settings.X_CLIENT_ID and settings.X_CLIENT_SECRET)
    return bool(settings.TIKTOK_CLIENT_KEY and settings.TIKTOK_CLIENT_SECRET)


def oauth2_start(
    *, actor: Any, platform: str, owner_kind: str, owner_id: str, redirect_uri: str
) -> tuple[str, dict[str, str]]:
    """X's or TikTok's consent page, and what to keep in the session until the
    person comes back (the nonce of the signed state; X's PKCE verifier)."""
    if platform not in OAUTH2:
        raise ValidationError(_("Unknown platform."))
    if not owners.may_manage(actor, owner_kind, owner_id):
        raise PermissionDenied
    if not _oauth2_configured(platform):
        raise ValidationError(
            _("%(platform)s is not set up on this server.")
            % {"platform": Platform(platform).label}
        )
    nonce = secrets.token_urlsafe(16)
    state = signing.dumps(
        {"u": actor.pk, "k": owner_kind, "o": owner_id, "n": nonce, "p": platform},
        salt=STATE_SALT,
    )
    if platform == Platform.X:
        verifier, challenge = pkce_pair()
        url = XClient.authorize_url(
            redirect_uri=redirect_uri, state=state, challenge=challenge
        )
        return url, {"nonce": nonce, "verifier": verifier}
    url = TikTokClient.authorize_url(redirect_uri=redirect_uri, state=state)
    return url, {"nonce": nonce}


def oauth2_connect(
    *,
    actor: Any,
    platform: str,
    state: str,
    pending: dict[str, str],
    code: str,
    redirect_uri: str,
    client: XClient | TikTokClient | None = None,
) -> SocialAccount:
    """The person is back from X or TikTok with a code: exchange it, read the
    account's profile and connect it (one account per login)."""
    kind, owner_id = oauth_state_check(
        actor=actor, state=state, nonce=pending.get("nonce", ""), platform=platform
    )
    owner = owners.owner_get(kind, owner_id)
    if owner is None:
        raise ValidationError(_("Owner not found."))
    if not code:
        raise ValidationError(_("The connection was cancelled."))
    client = client or _oauth2_client(platform)
    try:
        if isinstance(client, XClient):
            tokens = client.code_exchange(
                code=code,
                redirect_uri=redirect_uri,
                verifier=pending.get("verifier", ""),
            )
        else:
            tokens = client.code_exchange(code=code, redirect_uri=redirect_uri)
        profile = client.me(token=tokens.access)
    except (TemporaryError, PermanentError) as exc:
        log.warning("social: %s OAuth exchange failed: %s", platform, exc)
        raise ValidationError(
            _("%(platform)s did not accept the connection; please try again.")
            % {"platform": Platform(platform).label}
        ) from exc
    finally:
        client.close()
    external_id = profile.id or tokens.account_id
    if not external_id or not tokens.access:
        raise ValidationError(
            _("%(platform)s did not accept the connection; please try again.")
            % {"platform": Platform(platform).label}
        )
    with transaction.atomic():
        return _upsert(
            actor=actor,
            owner=owner,
            platform=platform,
            external_id=external_id,
            name=profile.name or profile.username or external_id,
            username=profile.username,
            token=tokens.access,
            refresh=tokens.refresh,
            expires_at=_expiry(tokens),
            linked_to=None,
            shared=False,
        )


def _expiry(tokens: Tokens) -> datetime | None:
    if tokens.expires_in is None:
        return None
    return timezone.now() + timedelta(seconds=tokens.expires_in)


def _upsert(
    *,
    actor: Any,
    owner: owners.Owner,
    platform: str,
    external_id: str,
    name: str,
    username: str,
    token: str,
    expires_at: datetime | None,
    linked_to: SocialAccount | None,
    shared: bool,
    refresh: str = "",
) -> SocialAccount:
    account = SocialAccount.objects.filter(
        platform=platform, external_id=external_id
    ).first() or SocialAccount(platform=platform, external_id=external_id)
    if (
        account.pk
        and account.status == A.ACTIVE
        and (
            account.owner_kind,
            account.owner_id,
        )
        != (owner.kind, owner.id)
    ):
        raise ValidationError(
            _("%(name)s is already connected by %(owner)s.")
            % {"name": name, "owner": account.owner_name}
        )
    now = timezone.now()
    account.owner_kind, account.owner_id = owner.kind, owner.id
    account.owner_name = owner.name[:200]
    account.region_id = owner.region_code
    account.name, account.username = name[:200], username[:100]
    account.linked_to = linked_to
    account.shared = shared
    account.token_encrypted = crypto.encrypt(token)
    account.refresh_encrypted = crypto.encrypt(refresh)
    account.expires_at = expires_at
    account.status, account.status_detail = A.ACTIVE, ""
    account.connected_by = actor
    account.connected_at = now
    account.refreshed_at = now
    account.full_clean(validate_constraints=False, validate_unique=False)
    account.save()
    return account


def accounts_connect(
    *,
    actor: Any,
    owner_kind: str,
    owner_id: str,
    pages: list[Page],
    facebook_ids: list[str],
    instagram_ids: list[str],
    lifetime: int | None = None,
    shared: bool = False,
) -> list[SocialAccount]:
    """Connect the chosen Pages and Instagram accounts to the owner (connecting
    one again replaces its token and clears "needs reconnecting")."""
    if not owners.may_manage(actor, owner_kind, owner_id):
        raise PermissionDenied
    owner = owners.owner_get(owner_kind, owner_id)
    if owner is None:
        raise ValidationError(_("Owner not found."))
    # Page tokens from a long-lived user token do not expire; when Meta says
    # otherwise (``lifetime``) the refresh task renews them in time.
    expires_at = timezone.now() + timedelta(seconds=lifetime) if lifetime else None
    connected = []
    with transaction.atomic():
        for page in pages:
            page_account = None
            if page.id in facebook_ids:
                page_account = _upsert(
                    actor=actor,
                    owner=owner,
                    platform=Platform.FACEBOOK,
                    external_id=page.id,
                    name=page.name,
                    username="",
                    token=page.token,
                    expires_at=expires_at,
                    linked_to=None,
                    shared=shared,
                )
                connected.append(page_account)
            if page.instagram_id and page.instagram_id in instagram_ids:
                connected.append(
                    _upsert(
                        actor=actor,
                        owner=owner,
                        platform=Platform.INSTAGRAM,
                        external_id=page.instagram_id,
                        name=page.instagram_username or page.name,
                        username=page.instagram_username,
                        token=page.token,
                        expires_at=expires_at,
                        linked_to=page_account,
                        shared=shared,
                    )
                )
    if not connected:
        raise ValidationError(_("Choose at least one account."))
    return connected


def account_revoke(*, actor: Any, account: SocialAccount) -> SocialAccount:
    """Disconnect: the token is erased; queued posts to it will fail."""
    if not owners.may_manage(actor, account.owner_kind, account.owner_id):
        raise PermissionDenied
    if account.platform in OAUTH2 and account.token_encrypted:
        # X and TikTok can be told to forget the grant; Page tokens have no
        # such call (the Page's admin removes the app on Facebook).
        client = _oauth2_client(account.platform)
        try:
            client.revoke(token=crypto.decrypt(account.token_encrypted))
        except (TemporaryError, PermanentError, crypto.TokenUnreadable) as exc:
            log.warning("social: revoking account %s: %s", account.pk, exc)
        finally:
            client.close()
    account.status = A.REVOKED
    account.status_detail = _("Disconnected by %(name)s") % {"name": str(actor)}
    account.token_encrypted = ""
    account.refresh_encrypted = ""
    account.save(
        update_fields=[
            "status",
            "status_detail",
            "token_encrypted",
            "refresh_encrypted",
        ]
    )
    return account


def account_share_set(*, actor: Any, account: SocialAccount, shared: bool) -> None:
    if not owners.may_manage(actor, account.owner_kind, account.owner_id):
        raise PermissionDenied
    SocialAccount.objects.filter(pk=account.pk).update(shared=shared)


def account_mark_broken(*, account: SocialAccount, detail: str) -> None:
    """The platform no longer takes the token (error 190): the owner is shown
    "needs reconnecting" on their page; nothing is posted to it meanwhile."""
    SocialAccount.objects.filter(pk=account.pk, status=A.ACTIVE).update(
        status=A.NEEDS_RECONNECT, status_detail=detail[:300]
    )


def account_token(
    *,
    account: SocialAccount,
    client: XClient | TikTokClient | None = None,
    now: datetime | None = None,
    force: bool = False,
) -> str:
    """The account's access token, refreshed first (X, TikTok) when it ends
    within ``REFRESH_MARGIN``. The row is locked while refreshing: X replaces
    the refresh token at each use, so two workers must not both use it.
    Raises TokenError when the platform refuses the refresh token."""
    now = now or timezone.now()
    if account.platform not in OAUTH2 or not (
        force or (account.expires_at and account.expires_at < now + REFRESH_MARGIN)
    ):
        return crypto.decrypt(account.token_encrypted)
    own_client = client is None
    client = client or _oauth2_client(account.platform)
    try:
        with transaction.atomic():
            locked = SocialAccount.objects.select_for_update().get(pk=account.pk)
            if not force and (
                locked.expires_at and locked.expires_at >= now + REFRESH_MARGIN
            ):
                token = crypto.decrypt(locked.token_encrypted)  # another worker did
            else:
                refresh = crypto.decrypt(locked.refresh_encrypted)
                if not refresh:
                    raise TokenError("no refresh token", code="401")
                tokens = client.refresh(refresh_token=refresh)
                token = tokens.access
                locked.token_encrypted = crypto.encrypt(tokens.access)
                if tokens.refresh:
                    locked.refresh_encrypted = crypto.encrypt(tokens.refresh)
                locked.expires_at = _expiry(tokens)
                locked.refreshed_at = now
                locked.save(
                    update_fields=[
                        "token_encrypted",
                        "refresh_encrypted",
                        "expires_at",
                        "refreshed_at",
                    ]
                )
            account.token_encrypted = locked.token_encrypted
            account.refresh_encrypted = locked.refresh_encrypted
            account.expires_at = locked.expires_at
            return token
    finally:
        if own_client:
            client.close()


def tokens_refresh(*, now: datetime | None = None, graph: Graph | None = None) -> int:
    """Exchange tokens expiring within ``SOCIAL_REFRESH_DAYS`` for long-lived
    ones (Meta), or for new ones with the refresh token (X, TikTok: their
    tokens live hours, so each is renewed every day, which also keeps the
    refresh token alive). A token refused marks its account. Returns tokens
    renewed."""
    now = now or timezone.now()
    due = SocialAccount.objects.filter(
        status=A.ACTIVE,
        expires_at__isnull=False,
        expires_at__lt=now + timedelta(days=settings.SOCIAL_REFRESH_DAYS),
    )
    graph = graph or Graph()
    renewed = 0
    try:
        for account in due:
            if account.platform in OAUTH2:
                try:
                    account_token(account=account, now=now, force=True)
                except (TokenError, crypto.TokenUnreadable) as exc:
                    account_mark_broken(account=account, detail=str(exc))
                    continue
                except (TemporaryError, PermanentError) as exc:
                    log.warning("social: refreshing %s failed: %s", account.pk, exc)
                    continue
                renewed += 1
                continue
            try:
                token, lifetime = graph.token_extend(
                    token=crypto.decrypt(account.token_encrypted)
                )
            except TokenError as exc:
                account_mark_broken(account=account, detail=str(exc))
                continue
            except (TemporaryError, PermanentError, crypto.TokenUnreadable) as exc:
                log.warning("social: refreshing account %s failed: %s", account.pk, exc)
                continue
            account.token_encrypted = crypto.encrypt(token)
            account.expires_at = now + timedelta(seconds=lifetime) if lifetime else None
            account.refreshed_at = now
            account.save(
                update_fields=["token_encrypted", "expires_at", "refreshed_at"]
            )
            renewed += 1
    finally:
        graph.close()
    return renewed


# --- publishing ---------------------------------------------------------------------
@dataclass(frozen=True)
class Publication:
    """What an app publishes: its key (``newsroom.article:12``), the text, the
    public link, the photo (a storage name) if any, names to make hashtags of."""

    source_key: str
    title: str
    summary: str
    link: str
    author: str
    image_name: str = ""
    tag_names: list[str] = field(default_factory=list)
    not_before: datetime | None = None
    # "crop": a photo, cropped to fill; "pad": a card whose text must stay whole.
    image_fit: str = "crop"


# Picture sizes per platform: (photo, card). Instagram picks 4:5 or 1:1 from
# the photo itself; Facebook takes the link's preview card instead.
_SIZES: dict[str, tuple[tuple[int, int] | None, tuple[int, int]]] = {
    Platform.INSTAGRAM: (None, images.SQUARE),
    Platform.X: (images.X_SIZE, images.X_SIZE),
    Platform.TIKTOK: (images.TIKTOK_SIZE, images.TIKTOK_SIZE),
}


def _social_image(publication: Publication, platform: str) -> str:
    """The JPEG for a platform, stored under social/: the photo cropped (or a
    card padded whole), else a text card. Returns its storage name."""
    photo_size, card_size = _SIZES[platform]
    data = b""
    if publication.image_name:
        try:
            with default_storage.open(publication.image_name, "rb") as f:
                raw = f.read()
            if publication.image_fit == "pad":
                data = images.padded(raw, card_size)
            elif photo_size is None:
                data = images.from_photo(raw)
            else:
                data = images.cropped(raw, photo_size)
        except (OSError, ValueError) as exc:  # missing file, not an image
            log.warning("social: photo %s unusable: %s", publication.image_name, exc)
    if not data:
        data = images.text_card(publication.title, publication.author, card_size)
    key = publication.source_key.replace(":", "-").replace(".", "-")
    name = f"social/{key}-{platform}-{secrets.token_hex(6)}.jpg"
    return default_storage.save(name, ContentFile(data))


def _adapt(platform: str, publication: Publication, tags: list[str]) -> adapt.Adapted:
    text: dict[str, Any] = {
        "title": publication.title,
        "summary": publication.summary,
        "link": publication.link,
        "tags": tags,
    }
    # Instagram and TikTok captions carry no working link: point to the bio.
    in_bio = _("Read the full story: link in bio.")
    if platform == Platform.INSTAGRAM:
        return adapt.for_instagram(**text, link_wording=in_bio)
    if platform == Platform.X:
        return adapt.for_x(**text)
    if platform == Platform.TIKTOK:
        return adapt.for_tiktok(**text, link_wording=in_bio)
    return adapt.for_facebook(**text)


def daily_limit(platform: str) -> int:
    """Posts per account and 24 hours (settings; 0: no limit)."""
    limits: dict[str, int] = {
        Platform.FACEBOOK: settings.SOCIAL_FACEBOOK_DAILY_LIMIT,
        Platform.INSTAGRAM: settings.SOCIAL_INSTAGRAM_DAILY_LIMIT,
        Platform.X: settings.SOCIAL_X_DAILY_LIMIT,
        Platform.TIKTOK: settings.SOCIAL_TIKTOK_DAILY_LIMIT,
    }
    return limits.get(platform, 0)


def quiet_hours() -> schedule.Quiet | None:
    try:
        return schedule.parse_quiet(settings.SOCIAL_QUIET_HOURS)
    except ValueError:
        log.error(
            "social: SOCIAL_QUIET_HOURS %r unreadable", settings.SOCIAL_QUIET_HOURS
        )
        return None


def post_slot(*, account: SocialAccount, earliest: datetime) -> datetime:
    """When a new post to ``account`` may go out: after the quiet hours, and
    after enough of its posts (sent, or waiting in the outbox) left the
    24-hour window of its platform's limit."""
    window = timedelta(hours=24)
    since = earliest - window
    rows = SocialPost.objects.filter(account=account).exclude(
        outbox__status__in=("failed", "held")
    )
    taken = [
        when
        for when in rows.filter(posted_at__gt=since).values_list("posted_at", flat=True)
        if when is not None
    ] + list(
        rows.filter(posted_at__isnull=True, outbox__status="queued")
        .filter(outbox__not_before__gt=since)
        .values_list("outbox__not_before", flat=True)
    )
    return schedule.next_slot(
        earliest=earliest,
        taken=taken,
        limit=daily_limit(account.platform),
        window=window,
        quiet=quiet_hours(),
        tz=timezone.get_current_timezone(),
    )


def publish(
    *, actor: Any, publication: Publication, accounts: list[SocialAccount]
) -> list[SocialPost]:
    """One outbox row per account (dedupe key per account and item: a double
    click, or publishing again, posts nothing twice). Only active accounts.
    Each row waits for its slot: out of the quiet hours and within the
    platform's posts per day (``post_slot``)."""
    if not accounts:
        raise ValidationError(_("Choose at least one account."))
    broken = [a.name for a in accounts if a.status != A.ACTIVE]
    if broken:
        raise ValidationError(
            _("Not connected: %(names)s.") % {"names": ", ".join(broken)}
        )
    tags = adapt.hashtags(publication.tag_names)
    pictures: dict[str, str] = {}
    posts = []
    for account in accounts:
        existing = SocialPost.objects.filter(
            account=account, source_key=publication.source_key
        ).first()
        if existing is not None:
            posts.append(existing)
            continue
        adapted = _adapt(account.platform, publication, tags)
        image = ""
        if account.platform in _SIZES:
            if account.platform not in pictures:
                pictures[account.platform] = _social_image(
                    publication, account.platform
                )
            image = pictures[account.platform]
        try:
            with transaction.atomic():
                # One publisher at a time per account: two requests at once
                # must not both take the last free slot of the day.
                SocialAccount.objects.select_for_update().filter(pk=account.pk).first()
                slot = post_slot(
                    account=account,
                    earliest=max(
                        publication.not_before or timezone.now(), timezone.now()
                    ),
                )
                post = SocialPost.objects.create(
                    account=account,
                    source_key=publication.source_key,
                    source_title=publication.title[:200],
                    link=publication.link,
                    caption=adapted.caption,
                    image=image,
                    created_by=actor,
                )
                row = outbox.message_send(
                    channel=account.platform,
                    to=str(account.pk),
                    dedupe_key=f"social:{account.pk}:{publication.source_key}",
                    origin=ORIGIN,
                    body=adapted.caption,
                    image_url=site_url(default_storage.url(image)) if image else "",
                    reference=str(post.pk),
                    not_before=slot,
                )
                post.outbox = row
                post.save(update_fields=["outbox"])
        except IntegrityError:
            # The same request twice at once: the other one made the post.
            post = SocialPost.objects.get(
                account=account, source_key=publication.source_key
            )
        posts.append(post)
    return posts


# --- insights -----------------------------------------------------------------------
def insights_refresh(
    *, now: datetime | None = None, graph: Graph | None = None
) -> dict[str, int]:
    """Read each recent post's figures. A token refused (190) marks its
    account; other errors leave the old figures for the next run."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.SOCIAL_INSIGHTS_DAYS)
    posts = (
        SocialPost.objects.filter(posted_at__gte=since, account__status=A.ACTIVE)
        .exclude(platform_post_id="")
        # A private TikTok post has only its publish id: nothing to read.
        .exclude(account__platform=Platform.TIKTOK, permalink="")
        .select_related("account")
    )
    graph = graph or Graph()
    x, tiktok = XClient(), TikTokClient()
    counts = {"read": 0, "failed": 0}
    try:
        for post in posts:
            account = post.account
            figures: dict[str, int] | None
            try:
                if account.platform == Platform.INSTAGRAM:
                    figures = graph.ig_media_insights(
                        media_id=post.platform_post_id,
                        token=crypto.decrypt(account.token_encrypted),
                    )
                elif account.platform == Platform.X:
                    figures = x.metrics(
                        token=account_token(account=account, client=x),
                        post_id=post.platform_post_id,
                    )
                elif account.platform == Platform.TIKTOK:
                    figures = tiktok.stats(
                        token=account_token(account=account, client=tiktok),
                        post_id=post.platform_post_id,
                    )
                else:
                    figures = graph.page_post_insights(
                        post_id=post.platform_post_id,
                        token=crypto.decrypt(account.token_encrypted),
                    )
                if figures is None:  # the platform has no figures for it
                    counts["failed"] += 1
                    continue
            except TokenError as exc:
                account_mark_broken(account=account, detail=str(exc))
                counts["failed"] += 1
                continue
            except (TemporaryError, PermanentError, crypto.TokenUnreadable) as exc:
                log.warning("social: insights of post %s: %s", post.pk, exc)
                counts["failed"] += 1
                continue
            SocialInsight.objects.update_or_create(
                post=post,
                defaults={
                    **{k: max(0, v) for k, v in figures.items()},
                    "fetched_at": now,
                },
            )
            counts["read"] += 1
    finally:
        graph.close()
        x.close()
        tiktok.close()
    return counts
