"""TikTok accounts: Login Kit OAuth, token refresh, photo posts through the
outbox (init, then status), video/photo stats, and the failures the issue
names, against the local fake (``channels.social.testing.FakeTikTok``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from PIL import Image

from channels import services as outbox
from channels.models import SocialAccount, SocialInsight, SocialPost
from channels.social import crypto, selectors, services
from channels.social.testing import tiktok_error
from channels.tests.test_social import (
    _connect_through_consent,
    _consent_start,
    _publication,
    _shown,
)

pytestmark = pytest.mark.django_db


def _connect_tiktok(client: Any, admin: Any, kim: Any, settings: Any) -> SocialAccount:
    return _connect_through_consent(client, admin, kim, settings, "tiktok")


def _send(**kwargs: Any) -> dict[str, int]:
    return outbox.outbox_send_due(channel="tiktok", **kwargs)


def test_login_kit_connects_the_account(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, settings: Any
) -> None:
    start = _consent_start(client, admin, kim, settings, "tiktok")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_key"] == ["simpul-tt"]
    assert "video.publish" in query["scope"][0]
    assert query["redirect_uri"] == ["http://testserver/sosial/tiktok/kembali/"]
    account = _connect_tiktok(client, admin, kim, settings)
    assert (account.external_id, account.username) == ("tt-open-723", "kimmaju.tgr")
    assert crypto.decrypt(account.token_encrypted).startswith("act.tt-")
    assert crypto.decrypt(account.refresh_encrypted).startswith("rft.tt-")
    assert account.expires_at is not None
    assert account.expires_at > timezone.now() + timedelta(hours=23)


def test_a_cancelled_consent_connects_nothing(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, settings: Any
) -> None:
    start = _consent_start(client, admin, kim, settings, "tiktok")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    back = client.get(
        "/sosial/tiktok/kembali/", {"error": "access_denied", "state": state}
    )
    assert back["Location"] == f"/staf/kim/{kim.pk}/"
    assert not SocialAccount.objects.filter(platform="tiktok").exists()
    assert not fake_tiktok.calls("/v2/oauth/token/")


def test_a_photo_post_is_made_once_and_its_link_kept(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    fake_tiktok.processing = 1  # TikTok is still downloading at the first ask
    title = "Amplang Udang Khas Tenggarong, oleh-oleh dari tepian Mahakam " * 2
    publication = _publication(title=title)
    services.publish(actor=admin, publication=publication, accounts=[account])
    services.publish(actor=admin, publication=publication, accounts=[account])
    assert _send()["sent"] == 1
    assert _send()["sent"] == 0
    assert len(fake_tiktok.calls("/content/init/")) == 1
    init = fake_tiktok.calls("/content/init/")[0].json
    assert init["media_type"] == "PHOTO" and init["post_mode"] == "DIRECT_POST"
    assert len(init["post_info"]["title"]) <= 90
    description = init["post_info"]["description"]
    assert "#KutaiKartanegara" in description
    assert "tautan di bio" in description or "link in bio" in description
    image_url = init["source_info"]["photo_images"][0]
    assert image_url.startswith("http://localhost:8101/media/social/")
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "sent" and post.container_id.startswith("p_pub")
    assert post.permalink == (
        f"https://www.tiktok.com/@kimmaju.tgr/photo/{post.platform_post_id}"
    )
    assert len(fake_tiktok.calls("/status/fetch/")) == 2
    with Image.open(media / post.image) as picture:
        assert picture.format == "JPEG" and picture.size == (1080, 1440)


def test_still_processing_asks_the_status_again_instead_of_posting_again(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    settings.SOCIAL_TIKTOK_STATUS_POLLS = 2
    account = _connect_tiktok(client, admin, kim, settings)
    fake_tiktok.processing = 3
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "queued" and post.problem == "uncertain"
    assert post.container_id
    _send(now=timezone.now() + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and post.permalink
    assert len(fake_tiktok.calls("/content/init/")) == 1


def test_a_refused_picture_fails_with_its_reason(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    fake_tiktok.fail_reason = "picture_size_check_failed"
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "failed" and post.problem == "image"
    assert "picture_size_check_failed" in post.outbox.error
    _send(now=timezone.now() + timedelta(hours=1))
    assert len(fake_tiktok.calls("/content/init/")) == 1
    assert "refused the image" in _shown(post) or "menolak gambar" in _shown(post)


def test_an_unverified_url_domain_is_refused_at_once(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    fake_tiktok.fail_next(
        403, tiktok_error("url_ownership_unverified"), path_part="/content/init/"
    )
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "failed" and post.problem == "image"
    assert post.outbox.attempts == 1


def test_rate_limits_and_server_errors_are_retried(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_tiktok.fail_next(
        429, tiktok_error("rate_limit_exceeded"), path_part="/content/init/"
    )
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "queued" and post.problem == "temporary"
    fake_tiktok.fail_next(502, {}, path_part="/content/init/")
    _send(now=timezone.now() + timedelta(minutes=5))
    _send(now=timezone.now() + timedelta(minutes=30))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and len(fake_tiktok.published) == 1


def test_the_daily_cap_waits_hours(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_tiktok.fail_next(
        403, tiktok_error("spam_risk_too_many_posts"), path_part="/content/init/"
    )
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "queued" and post.problem == "limit"
    assert post.outbox.not_before > timezone.now() + timedelta(hours=5)


def test_a_timeout_on_init_is_not_retried(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_tiktok.hang_next(1.5, path_part="/content/init/")
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "failed" and post.problem == "uncertain"
    _send(now=timezone.now() + timedelta(hours=1))
    assert len(fake_tiktok.calls("/content/init/")) == 1


def test_an_expired_token_is_refreshed_and_a_dead_one_reported(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    fake_tiktok.expire_tokens()
    SocialAccount.objects.filter(pk=account.pk).update(
        expires_at=timezone.now() + timedelta(minutes=2)
    )
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    assert _send()["sent"] == 1
    assert fake_tiktok.calls("/v2/oauth/token/")[-1].form["grant_type"] == (
        "refresh_token"
    )
    # The person revoked Simpul in TikTok: the access token is refused.
    fake_tiktok.expire_tokens()
    fake_tiktok.refresh_tokens.clear()
    services.publish(
        actor=admin, publication=_publication(source_key="x:2"), accounts=[account]
    )
    _send()
    account.refresh_from_db()
    post = SocialPost.objects.get(source_key="x:2")
    assert account.status == "needs_reconnect" and post.problem == "token"
    page = client.get(f"/staf/kim/{kim.pk}/")
    assert b'class="alert error"' in page.content and b"(TikTok)" in page.content


def test_stats_are_read_as_insights_without_reach(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    assert services.insights_refresh() == {"read": 1, "failed": 0}
    insight = SocialInsight.objects.get(post__account=account)
    assert (insight.impressions, insight.reach, insight.reactions) == (2300, 0, 150)
    assert (insight.shares, insight.comments) == (14, 9)
    query = fake_tiktok.calls("/v2/video/query/")[0]
    assert "view_count" in query.query["fields"]
    reach = selectors.social_reach(region_code="64.02")
    assert reach.by_platform == {} and reach.by_platform_impressions == {"tiktok": 2300}
    # The dashboard shows its views, and no made-up reach.
    dashboard = client.get("/kabar/staf/jangkauan/", {"wilayah": "64.02"})
    row = dashboard.content.decode().split('id="reach-social-platforms"')[1]
    assert '<td>TikTok</td><td><span class="muted"' in row and "2.300" in row


def test_disconnecting_revokes_the_token_on_tiktok(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, settings: Any
) -> None:
    account = _connect_tiktok(client, admin, kim, settings)
    client.post(f"/sosial/akun/{account.pk}/putuskan/")
    account.refresh_from_db()
    assert account.status == "revoked" and not account.refresh_encrypted
    assert fake_tiktok.calls("/v2/oauth/revoke/")


def test_a_post_processing_too_long_is_reported_as_not_confirmed(
    client: Any, admin: Any, kim: Any, fake_tiktok: Any, media: Any, settings: Any
) -> None:
    """TikTok has the post but never said it is up: the outbox gives up, and
    the editor is told to look at the account, not that nothing went out."""
    account = _connect_tiktok(client, admin, kim, settings)
    settings.CHANNELS_MAX_ATTEMPTS = 1
    fake_tiktok.processing = 10
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "failed" and post.problem == "uncertain"
    assert "Not confirmed" in _shown(post) or "Belum pasti" in _shown(post)
    assert len(fake_tiktok.calls("/content/init/")) == 1
