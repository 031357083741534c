"""X accounts: OAuth 2.0 with PKCE, refresh tokens, posts with a picture
through the outbox, public metrics, and every failure the issue names, all
against the local fake X API (``channels.social.testing.FakeX``)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone
from PIL import Image

from channels import services as outbox
from channels.models import SocialAccount, SocialInsight, SocialPost
from channels.social import adapt, crypto, selectors, services, x
from channels.social.testing import x_error
from channels.tests.test_social import (
    _connect_through_consent,
    _consent_start,
    _publication,
    _shown,
)

pytestmark = pytest.mark.django_db


def _connect_x(client: Any, admin: Any, kim: Any, settings: Any) -> SocialAccount:
    """Through the pages, as the coordinator does it."""
    return _connect_through_consent(client, admin, kim, settings, "x")


def _send() -> dict[str, int]:
    return outbox.outbox_send_due(channel="x")


def test_oauth_with_pkce_connects_the_account_with_encrypted_tokens(
    client: Any, admin: Any, kim: Any, fake_x: Any, settings: Any
) -> None:
    start = _consent_start(client, admin, kim, settings, "x")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(fake_x.url + "/i/oauth2/authorize?")
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/sosial/x/kembali/"]
    assert "offline.access" in query["scope"][0]
    back = httpx.get(start["Location"], follow_redirects=False).headers["location"]
    client.get(back.removeprefix("http://testserver"))
    account = SocialAccount.objects.get(platform="x")
    assert (account.external_id, account.username) == ("44196397", "kimmaju")
    assert account.owner_kind == "kim" and account.region_id == kim.region_id
    # The fake checked the verifier against the challenge (PKCE).
    token = fake_x.calls("/2/oauth2/token")[0]
    assert token.form["code_verifier"] and token.headers["authorization"]
    assert "x-access" not in account.token_encrypted
    assert crypto.decrypt(account.token_encrypted).startswith("x-access-")
    assert crypto.decrypt(account.refresh_encrypted).startswith("x-refresh-")
    assert account.expires_at is not None
    assert account.expires_at < timezone.now() + timedelta(hours=2, minutes=1)
    page = client.get(f"/staf/kim/{kim.pk}/")
    assert b"kimmaju" in page.content and b"connect-x" in page.content


def test_a_callback_without_the_session_verifier_is_refused(
    client: Any, admin: Any, make_user: Any, kim: Any, fake_x: Any, settings: Any
) -> None:
    start = _consent_start(client, admin, kim, settings, "x")
    back = httpx.get(start["Location"], follow_redirects=False).headers["location"]
    # Someone else replays the callback: no nonce or verifier in their session.
    client.force_login(make_user("regency_admin", "64.02"))
    refused = client.get(back.removeprefix("http://testserver"))
    assert refused["Location"] == "/sosial/gagal/"
    # A Facebook state is no X state either.
    client.force_login(admin)
    fb = client.get("/sosial/x/kembali/", {"code": "x", "state": "bad"})
    assert fb["Location"] == "/sosial/gagal/"
    assert not fake_x.calls("/2/oauth2/token")
    assert not SocialAccount.objects.filter(platform="x").exists()


def test_publish_uploads_the_picture_and_posts_once(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    long_summary = "Kerupuk amplang buatan ibu-ibu KIM laris di pasar. " * 20
    publication = _publication(summary=long_summary)
    first = services.publish(actor=admin, publication=publication, accounts=[account])
    again = services.publish(actor=admin, publication=publication, accounts=[account])
    assert [p.pk for p in first] == [p.pk for p in again]
    assert _send()["sent"] == 1
    assert _send()["sent"] == 0
    assert len(fake_x.calls("/2/tweets", "POST")) == 1
    upload = fake_x.calls("/2/media/upload")[0]
    assert upload.form["media_category"] == "tweet_image"
    tweet = fake_x.calls("/2/tweets", "POST")[0].json
    text = tweet["text"]
    assert "http://testserver/kabar/amplang/" in text and "#KutaiKartanegara" in text
    link = "http://testserver/kabar/amplang/"
    assert adapt.x_length(text.replace(link, ""), 1) <= 280
    post = SocialPost.objects.get(account=account)
    assert tweet["media"]["media_ids"] == [post.container_id]
    assert post.outbox.status == "sent" and post.problem == ""
    assert post.permalink == f"https://x.com/kimmaju/status/{post.platform_post_id}"
    with Image.open(media / post.image) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 675)


def test_an_expired_access_token_is_refreshed_before_posting(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    first_refresh = crypto.decrypt(account.refresh_encrypted)
    # Two hours later: the stored access token is past its end.
    fake_x.expire_tokens()
    SocialAccount.objects.filter(pk=account.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    assert _send()["sent"] == 1
    account.refresh_from_db()
    refresh = fake_x.calls("/2/oauth2/token")[-1].form
    assert refresh["grant_type"] == "refresh_token"
    assert refresh["refresh_token"] == first_refresh
    # X replaced the refresh token; the new one is kept.
    assert crypto.decrypt(account.refresh_encrypted) != first_refresh
    assert account.expires_at is not None
    assert account.expires_at > timezone.now() + timedelta(hours=1)


def test_a_revoked_grant_is_shown_to_the_owner_and_nothing_is_posted(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    # The owner removed Simpul's access on X: the token and refresh are dead.
    fake_x.expire_tokens()
    fake_x.refresh_tokens.clear()
    SocialAccount.objects.filter(pk=account.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert _send()["failed"] == 1
    account.refresh_from_db()
    post = SocialPost.objects.get(account=account)
    assert account.status == "needs_reconnect" and "invalid" in account.status_detail
    assert post.problem == "token" and not fake_x.calls("/2/tweets", "POST")
    page = client.get(f"/staf/kim/{kim.pk}/")
    assert b'class="alert error"' in page.content and b"(X)" in page.content
    assert account not in selectors.accounts_for_publisher(actor=admin)


def test_a_401_while_posting_marks_the_account(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.fail_next(401, x_error(401, "Unauthorized"), path_part="/2/tweets")
    _send()
    account.refresh_from_db()
    assert account.status == "needs_reconnect"
    assert SocialPost.objects.get(account=account).outbox.status == "failed"


def test_a_refused_picture_fails_at_once(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.fail_next(
        400, x_error(400, "media type unrecognized"), path_part="/media/upload"
    )
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "failed" and post.problem == "image"
    assert post.outbox.attempts == 1
    _send_later = outbox.outbox_send_due(
        channel="x", now=timezone.now() + timedelta(hours=2)
    )
    assert _send_later["sent"] == 0 and not fake_x.calls("/2/tweets", "POST")


def test_server_errors_and_rate_limits_are_retried_and_post_once(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.fail_next(503, x_error(503, "Service Unavailable"), path_part="/2/tweets")
    _send()
    post = SocialPost.objects.get(account=account)
    assert post.outbox.status == "queued" and post.problem == "temporary"
    # The picture was uploaded once; the retry reuses it.
    assert post.container_id and len(fake_x.calls("/media/upload")) == 1
    reset = int(timezone.now().timestamp()) + 900
    fake_x.fail_next(
        429,
        x_error(429, "Too Many Requests"),
        path_part="/2/tweets",
        headers={"x-rate-limit-reset": str(reset)},
    )
    outbox.outbox_send_due(channel="x", now=timezone.now() + timedelta(minutes=5))
    post.outbox.refresh_from_db()
    assert post.outbox.not_before > timezone.now() + timedelta(minutes=14)
    outbox.outbox_send_due(channel="x", now=timezone.now() + timedelta(minutes=20))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and post.permalink
    assert len(fake_x.posts) == 1 and len(fake_x.calls("/media/upload")) == 1


def _wait_for_posts(fake_x: Any, n: int) -> None:
    """The fake finishes the stalled post after the client gave up."""
    deadline = time.monotonic() + 5
    while len(fake_x.posts) < n and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_post_that_timed_out_is_found_on_x_and_not_posted_again(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.hang_next(1.5, path_part="/2/tweets")
    _send()
    post = SocialPost.objects.select_related("outbox").get(account=account)
    # X may have it: not confirmed, tried again after looking it up.
    assert post.outbox.status == "queued" and post.problem == "uncertain"
    shown = _shown(post)
    assert "Simpul looks for the post" in shown or "Simpul mencari" in shown
    _wait_for_posts(fake_x, 1)
    (posted_id,) = fake_x.posts
    outbox.outbox_send_due(channel="x", now=timezone.now() + timedelta(hours=1))
    post.refresh_from_db()
    assert len(fake_x.posts) == 1 and len(fake_x.calls("/2/tweets", "POST")) == 1
    assert post.outbox.status == "sent" and post.problem == ""
    assert post.platform_post_id == posted_id
    assert post.permalink == f"https://x.com/kimmaju/status/{posted_id}"
    # The lookup asked for the account's posts since the publish request.
    (lookup,) = fake_x.calls("/2/users/44196397/tweets")
    assert lookup.query["start_time"].endswith("Z")


def test_a_post_lost_on_the_way_is_posted_once_after_looking(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    # Another post of the account, another text: not a match.
    fake_x.posts["1"], fake_x.posted_at["1"] = "Kabar lain dari KIM", time.time()
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.hang_next(1.5, path_part="/2/tweets", drop=True)
    _send()
    assert SocialPost.objects.get(account=account).problem == "uncertain"
    # A lookup that fails for now keeps the post "not confirmed".
    fake_x.fail_next(503, x_error(503, "busy"), path_part="/2/users/")
    outbox.outbox_send_due(
        channel="x", now=timezone.now() + timedelta(hours=1), max_batches=1
    )
    post = SocialPost.objects.select_related("outbox").get(account=account)
    assert post.problem == "uncertain" and post.outbox.status == "queued"
    assert list(fake_x.posts) == ["1"]
    outbox.outbox_send_due(channel="x", now=timezone.now() + timedelta(hours=2))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and len(fake_x.posts) == 2
    assert fake_x.posts[post.platform_post_id] == post.caption


def test_a_duplicate_refusal_after_a_timeout_is_matched_to_the_post(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    """X's timeline did not show the post yet at the lookup, but X refuses the
    same text again: the second lookup finds it."""
    account = _connect_x(client, admin, kim, settings)
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    fake_x.hang_next(1.5, path_part="/2/tweets")
    _send()
    _wait_for_posts(fake_x, 1)
    fake_x.fail_next(200, {"meta": {"result_count": 0}}, path_part="/2/users/")
    outbox.outbox_send_due(channel="x", now=timezone.now() + timedelta(hours=1))
    post = SocialPost.objects.select_related("outbox").get(account=account)
    assert post.outbox.status == "sent" and post.platform_post_id in fake_x.posts
    assert len(fake_x.posts) == 1 and len(fake_x.calls("/2/users/44196397/tweets")) == 2


def test_text_key_matches_the_text_x_gives_back() -> None:
    sent = "Amplang & kerupuk <Tenggarong>\nhttps://simpul.id/kabar/amplang/ #KIM"
    shown = (
        "Amplang &amp; kerupuk &lt;Tenggarong&gt;\nhttps://t.co/abc #KIM "
        "https://t.co/m1"
    )
    assert (
        x.text_key(sent) == x.text_key(shown) == ("Amplang & kerupuk <Tenggarong> #KIM")
    )
    assert x.text_key("Lain") != x.text_key(sent)


def test_metrics_are_read_as_insights(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    assert services.insights_refresh() == {"read": 1, "failed": 0}
    insight = SocialInsight.objects.get(post__account=account)
    # Impressions from non_public_metrics (the account's own post).
    assert (insight.impressions, insight.reach, insight.reactions) == (1200, 0, 40)
    assert (insight.shares, insight.comments) == (8, 5)
    reach = selectors.social_reach(owner_kind="kim", owner_id=str(kim.pk))
    assert reach.impressions == 1200 and reach.by_platform_impressions == {"x": 1200}
    # Past X's 30 days the private figures are refused: the public ones count.
    fake_x.non_public = False
    services.insights_refresh()
    insight.refresh_from_db()
    assert insight.impressions == 900 and insight.reactions == 40


def test_public_metrics_alone_when_x_refuses_the_private_field(
    client: Any, admin: Any, kim: Any, fake_x: Any, media: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    services.publish(actor=admin, publication=_publication(), accounts=[account])
    _send()
    fake_x.fail_next(
        403, x_error(403, "non_public_metrics not authorized"), path_part="/2/tweets/"
    )
    assert services.insights_refresh() == {"read": 1, "failed": 0}
    insight = SocialInsight.objects.get(post__account=account)
    assert (insight.impressions, insight.shares) == (900, 8)


def test_the_daily_refresh_renews_and_a_dead_refresh_token_is_reported(
    client: Any, admin: Any, kim: Any, fake_x: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    before = crypto.decrypt(account.token_encrypted)
    assert services.tokens_refresh() == 1
    account.refresh_from_db()
    assert crypto.decrypt(account.token_encrypted) != before
    fake_x.refresh_tokens.clear()
    assert services.tokens_refresh() == 0
    account.refresh_from_db()
    assert account.status == "needs_reconnect"


def test_disconnecting_revokes_the_grant_on_x(
    client: Any, admin: Any, kim: Any, fake_x: Any, settings: Any
) -> None:
    account = _connect_x(client, admin, kim, settings)
    token = crypto.decrypt(account.token_encrypted)
    client.post(f"/sosial/akun/{account.pk}/putuskan/")
    account.refresh_from_db()
    assert account.status == "revoked"
    assert account.token_encrypted == account.refresh_encrypted == ""
    assert fake_x.calls("/2/oauth2/revoke")[0].form["token"] == token
    assert token not in fake_x.tokens


def test_x_text_counts_links_as_23_and_wide_characters_as_two() -> None:
    assert adapt.x_length("abc", links=1) == 26
    assert adapt.x_length("日本") == 4
    adapted = adapt.for_x(
        title="Festival Erau " * 30,
        summary="",
        link="https://simpul.example/" + "a" * 200,
        tags=["#Tenggarong", "#KutaiKartanegara"],
    )
    without_link = adapted.caption.replace(adapted.link, "")
    assert adapt.x_length(without_link, links=1) <= 280
    assert adapted.caption.endswith("#Tenggarong #KutaiKartanegara")
    assert adapted.link in adapted.caption
