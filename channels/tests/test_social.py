"""Social accounts: OAuth connect, encrypted tokens, publishing through the
outbox (Facebook feed; Instagram container then publish), errors (190, refused
image, 5xx, timeouts, duplicates), token refresh and insights, all against the
local fake Graph API (``channels.social.testing.FakeGraph``)."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image

from channels import services as outbox
from channels.models import OutboxMessage, SocialAccount, SocialInsight, SocialPost
from channels.social import adapt, crypto, images, selectors, services
from channels.social.graph import Page
from channels.social.testing import graph_error

pytestmark = pytest.mark.django_db
KIM_VILLAGE = "64.02.06.1001"  # Tenggarong, Kutai Kartanegara


def _connect(admin: Any, kim: Any, **kwargs: Any) -> list[SocialAccount]:
    kwargs.setdefault("shared", True)
    pages = [Page("1010", "KIM Maju Bersama", "page-secret-1010", "1787", "kimmaju")]
    return services.accounts_connect(
        actor=admin,
        owner_kind="kim",
        owner_id=str(kim.pk),
        pages=pages,
        facebook_ids=["1010"],
        instagram_ids=["1787"],
        **kwargs,
    )


def _consent_start(
    client: Any, admin: Any, kim: Any, settings: Any, platform: str = ""
) -> Any:
    """The admin asks to connect the KIM's account on ``platform`` (Facebook's
    page has none in its address): the redirect to the platform's consent page."""
    settings.SITE_URL = "http://testserver"
    client.force_login(admin)
    path = f"/sosial/hubungkan/kim/{kim.pk}/" + (f"{platform}/" if platform else "")
    return client.get(path)


def _connect_through_consent(
    client: Any, admin: Any, kim: Any, settings: Any, platform: str
) -> SocialAccount:
    """Through the pages, as the coordinator does it: the (fake) consent page
    agrees at once and sends them back (X and TikTok)."""
    start = _consent_start(client, admin, kim, settings, platform)
    assert start.status_code == 302
    back = httpx.get(start["Location"], follow_redirects=False).headers["location"]
    done = client.get(back.removeprefix("http://testserver"))
    assert done.status_code == 302 and done["Location"] == f"/staf/kim/{kim.pk}/"
    settings.SITE_URL = "http://localhost:8101"  # image URLs need a dotted host
    return SocialAccount.objects.get(platform=platform)


def _publication(**kwargs: Any) -> services.Publication:
    values: dict[str, Any] = {
        "source_key": "newsroom.article:7",
        "title": "Amplang Udang Khas Tenggarong",
        "summary": "Kerupuk amplang buatan ibu-ibu KIM laris di pasar.",
        "link": "http://testserver/kabar/amplang/",
        "author": "KIM Maju Bersama",
        "tag_names": ["Tenggarong", "Kutai Kartanegara", "KIM Maju Bersama"],
    }
    values.update(kwargs)
    return services.Publication(**values)


def _shown(post: SocialPost) -> str:
    """The posts of ``post``'s story as its page shows them to the editor."""
    return render_to_string(
        "channels/social/_posts.html",
        {"posts": selectors.posts_of_source(source_key=post.source_key)},
    )


def _wait_for(condition: Any) -> None:
    """A stalled request the fake finishes after the client gave up."""
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def _send_all(now: Any = None) -> None:
    for channel in ("facebook", "instagram"):
        outbox.outbox_send_due(channel=channel, now=now)


# --- connecting ---------------------------------------------------------------------
def test_tokens_are_stored_encrypted(admin: Any, kim: Any) -> None:
    page, ig = _connect(admin, kim)
    assert page.platform == "facebook" and ig.platform == "instagram"
    assert ig.linked_to == page and page.region_id == KIM_VILLAGE
    stored = SocialAccount.objects.get(pk=page.pk).token_encrypted
    assert "page-secret" not in stored
    assert crypto.decrypt(stored) == "page-secret-1010"


def test_oauth_flow_connects_page_and_instagram(
    client: Any, admin: Any, kim: Any, fake_graph: Any, settings: Any
) -> None:
    start = _consent_start(client, admin, kim, settings)
    assert start.status_code == 302
    dialog = start["Location"]
    assert dialog.startswith(fake_graph.url + "/dialog/oauth?")
    query = parse_qs(urlsplit(dialog).query)
    assert query["redirect_uri"] == ["http://testserver/sosial/facebook/kembali/"]
    # The person agrees on Facebook; the dialog sends them back with a code.
    back = httpx.get(dialog, follow_redirects=False).headers["location"]
    chosen = client.get(back.removeprefix("http://testserver"))
    assert chosen.status_code == 302 and chosen["Location"].endswith("/pilih/")
    form = client.get("/sosial/facebook/pilih/")
    assert b"KIM Maju Bersama" in form.content and b"@kimmajubersama" in form.content
    done = client.post(
        "/sosial/facebook/pilih/",
        {"facebook": ["1010"], "instagram": ["1787"], "shared": "1"},
    )
    assert done.status_code == 302 and done["Location"] == f"/staf/kim/{kim.pk}/"
    accounts = SocialAccount.objects.filter(owner_kind="kim", owner_id=str(kim.pk))
    assert {a.platform for a in accounts} == {"facebook", "instagram"}
    page = accounts.get(platform="facebook")
    assert page.shared and accounts.get(platform="instagram").linked_to == page
    # The long-lived exchange happened; its lifetime is kept for the refresh.
    assert page.expires_at is not None
    assert crypto.decrypt(page.token_encrypted) == "page-token-1010"
    exchange = fake_graph.calls("oauth/access_token")
    assert [c.params.get("grant_type") for c in exchange] == [None, "fb_exchange_token"]
    manage = client.get(f"/staf/kim/{kim.pk}/")
    assert b"social-accounts" in manage.content and b"kimmajubersama" in manage.content


def test_callback_with_a_forged_or_foreign_state_is_refused(
    client: Any, admin: Any, make_user: Any, kim: Any, fake_graph: Any
) -> None:
    client.force_login(admin)
    start = client.get(f"/sosial/hubungkan/kim/{kim.pk}/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    forged = client.get("/sosial/facebook/kembali/", {"code": "x", "state": "bad"})
    assert forged["Location"] == "/sosial/gagal/"
    # Someone else's browser with the (leaked) state: no nonce in their session.
    other = make_user("regency_admin", "64.02")
    client.force_login(other)
    stolen = client.get("/sosial/facebook/kembali/", {"code": "x", "state": state})
    assert stolen["Location"] == "/sosial/gagal/"
    assert not fake_graph.calls("oauth/access_token")
    assert not SocialAccount.objects.exists()


def test_someone_outside_the_kim_cannot_connect(
    client: Any, make_user: Any, kim: Any, fake_graph: Any
) -> None:
    client.force_login(make_user("regency_admin", "64.03"))  # Berau
    assert client.get(f"/sosial/hubungkan/kim/{kim.pk}/").status_code == 403


def test_only_accounts_opened_to_editors_are_offered_to_them(
    admin: Any, kim: Any, make_user: Any
) -> None:
    page, ig = _connect(admin, kim, shared=False)
    kukar_editor = make_user("editor", "64.02")
    berau_editor = make_user("editor", "64.03")
    assert selectors.accounts_for_publisher(actor=kukar_editor) == []
    # Whoever manages the KIM always may post to its accounts.
    assert set(selectors.accounts_for_publisher(actor=admin)) == {page, ig}
    services.account_share_set(actor=admin, account=page, shared=True)
    assert selectors.accounts_for_publisher(actor=kukar_editor) == [page]
    assert selectors.accounts_for_publisher(actor=berau_editor) == []
    assert selectors.accounts_for_publisher(
        actor=kukar_editor, region_code="64.02.06"
    ) == [page]
    assert (
        selectors.accounts_for_publisher(actor=kukar_editor, region_code="64.02.01")
        == []
    )


def test_revoke_erases_the_token(client: Any, admin: Any, kim: Any) -> None:
    page, _ig = _connect(admin, kim)
    client.force_login(admin)
    client.post(f"/sosial/akun/{page.pk}/putuskan/")
    page.refresh_from_db()
    assert page.status == "revoked" and page.token_encrypted == ""


# --- publishing ---------------------------------------------------------------------
def test_publish_posts_once_to_facebook_and_instagram(
    admin: Any,
    kim: Any,
    fake_graph: Any,
    media: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    accounts = _connect(admin, kim)
    first = services.publish(actor=admin, publication=_publication(), accounts=accounts)
    again = services.publish(actor=admin, publication=_publication(), accounts=accounts)
    assert {p.pk for p in first} == {p.pk for p in again}
    assert OutboxMessage.objects.filter(origin="social").count() == 2
    _send_all()
    _send_all()
    assert len(fake_graph.calls("/feed")) == 1
    assert len(fake_graph.calls("/media", "POST")) == 2  # container, then publish
    feed = fake_graph.calls("/feed")[0].params
    assert feed["link"] == "http://testserver/kabar/amplang/"
    assert "#KutaiKartanegara" in feed["message"] and feed["access_token"]
    container = fake_graph.calls("1787/media", "POST")[0].params
    assert container["image_url"].startswith("http://localhost:8101/media/social/")
    assert (
        "tautan di bio" in container["caption"] or "link in bio" in container["caption"]
    )
    fb = SocialPost.objects.get(account__platform="facebook")
    ig = SocialPost.objects.get(account__platform="instagram")
    assert fb.permalink.startswith("https://www.facebook.com/1010_")
    assert ig.permalink.startswith("https://www.instagram.com/p/")
    assert fb.outbox.status == ig.outbox.status == "sent"
    with Image.open(media / ig.image) as picture:
        assert picture.format == "JPEG" and picture.size == (1080, 1080)


def test_expired_token_190_marks_the_account_and_the_post(
    client: Any, admin: Any, kim: Any, fake_graph: Any, media: Any
) -> None:
    page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[page, ig])
    fake_graph.fail_next(
        400,
        graph_error(190, "Error validating access token: expired"),
        path_part="feed",
    )
    _send_all()
    page.refresh_from_db()
    post = SocialPost.objects.get(account=page)
    assert page.status == "needs_reconnect" and "190" in page.status_detail
    assert post.outbox.status == "failed" and post.problem == "token"
    assert not post.permalink
    # Never silently skipped: the owner sees it on the KIM's page, and the
    # account is not offered to editors until it is connected again.
    client.force_login(admin)
    manage = client.get(f"/staf/kim/{kim.pk}/")
    assert b'class="alert error"' in manage.content
    assert page not in selectors.accounts_for_publisher(actor=admin)
    with pytest.raises(Exception, match="KIM Maju Bersama"):
        services.publish(
            actor=admin, publication=_publication(source_key="x:2"), accounts=[page]
        )


def test_refused_image_fails_at_once_with_its_reason(
    admin: Any, kim: Any, fake_graph: Any, media: Any
) -> None:
    _page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[ig])
    fake_graph.fail_next(
        400,
        graph_error(36003, "The aspect ratio is not supported.", subcode=2207009),
        path_part="/media",
    )
    _send_all()
    post = SocialPost.objects.get(account=ig)
    assert post.outbox.status == "failed" and post.problem == "image"
    assert post.outbox.attempts == 1
    _send_all(now=timezone.now() + timedelta(hours=2))
    assert len(fake_graph.calls("/media", "POST")) == 1  # not retried


def test_server_error_is_retried_and_posts_once(
    admin: Any, kim: Any, fake_graph: Any, media: Any
) -> None:
    page, _ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[page])
    fake_graph.fail_next(
        503, {"error": {"message": "down", "code": 2}}, path_part="feed"
    )
    _send_all()
    post = SocialPost.objects.get(account=page)
    assert post.outbox.status == "queued" and post.problem == "temporary"
    _send_all(now=timezone.now() + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and post.problem == "" and post.permalink
    assert len(fake_graph.calls("/feed")) == 2


def test_timeout_is_temporary_and_instagram_reuses_its_container(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    _page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[ig])
    fake_graph.hang_next(1.5, path_part="media_publish")
    _send_all()
    post = SocialPost.objects.get(account=ig)
    assert post.outbox.status == "queued" and post.container_id
    assert post.problem == "uncertain"
    _wait_for(lambda: fake_graph.ig_media)  # Meta finished the stalled publish
    _send_all(now=timezone.now() + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and post.permalink and post.problem == ""
    containers = [
        c for c in fake_graph.calls("1787/media", "POST") if "image_url" in c.params
    ]
    assert len(containers) == 1
    # The container said it was published: its media was found, not published
    # a second time.
    assert [m["id"] for m in fake_graph.ig_media] == [post.platform_post_id]
    assert len(fake_graph.calls("media_publish")) == 1


def test_an_instagram_publish_lost_on_the_way_is_published_once(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    _page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[ig])
    # The request never reached Meta (the container stays unpublished).
    fake_graph.fail_next(
        500, graph_error(2, "Service temporarily unavailable"), path_part="publish"
    )
    _send_all()
    post = SocialPost.objects.get(account=ig)
    SocialPost.objects.filter(pk=post.pk).update(problem="uncertain")
    _send_all(now=timezone.now() + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and len(fake_graph.ig_media) == 1
    assert post.platform_post_id == fake_graph.ig_media[0]["id"]


def test_a_facebook_post_that_timed_out_is_found_on_the_page(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.OUTGOING_HTTP_TIMEOUT = 0.5
    page, _ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[page])
    fake_graph.hang_next(1.5, path_part="/feed")
    _send_all()
    post = SocialPost.objects.select_related("outbox").get(account=page)
    assert post.outbox.status == "queued" and post.problem == "uncertain"
    _wait_for(lambda: fake_graph.feed)
    _send_all(now=timezone.now() + timedelta(minutes=5))
    post.refresh_from_db()
    assert post.outbox.status == "sent" and post.problem == ""
    assert [p["id"] for p in fake_graph.feed] == [post.platform_post_id]
    assert len(fake_graph.calls("/feed", "POST")) == 1
    (lookup,) = fake_graph.calls("1010/published_posts")
    assert int(lookup.params["since"]) <= post.created_at.timestamp()


def test_a_facebook_post_lost_on_the_way_is_posted_once(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    page, _ig = _connect(admin, kim)
    # Another post of the Page: a different message, not a match.
    fake_graph.feed.append(
        {"id": "1010_1", "page": "1010", "message": "Lain", "created": time.time()}
    )
    services.publish(actor=admin, publication=_publication(), accounts=[page])
    SocialPost.objects.update(problem="uncertain")
    _send_all()
    post = SocialPost.objects.get(account=page)
    assert post.outbox.status == "sent" and len(fake_graph.feed) == 2
    assert fake_graph.feed[-1]["id"] == post.platform_post_id


def test_instagram_daily_limit_waits_instead_of_failing(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.SOCIAL_INSTAGRAM_DAILY_LIMIT = 1
    _page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[ig])
    services.publish(
        actor=admin, publication=_publication(source_key="x:2"), accounts=[ig]
    )
    # Scheduled past the window when it was published: it waits, untried.
    second = SocialPost.objects.get(source_key="x:2")
    assert second.outbox.not_before > timezone.now() + timedelta(hours=23)
    _send_all()
    second.refresh_from_db()
    assert second.outbox.status == "queued" and second.outbox.attempts == 0
    assert len(fake_graph.calls("/media_publish")) == 1


def test_a_post_queued_around_the_limit_waits_at_sending_time(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    """Two posts scheduled before the limit was lowered: the sender checks
    again and the second waits a day (status "limit" on the editor's page)."""
    _page, ig = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=[ig])
    services.publish(
        actor=admin, publication=_publication(source_key="x:2"), accounts=[ig]
    )
    settings.SOCIAL_INSTAGRAM_DAILY_LIMIT = 1
    _send_all()
    second = SocialPost.objects.get(source_key="x:2")
    assert second.outbox.status == "queued" and second.problem == "limit"
    assert second.outbox.not_before > timezone.now() + timedelta(hours=23)
    assert len(fake_graph.calls("/media_publish")) == 1


def test_editor_page_publishes_and_a_double_click_posts_once(
    client: Any, admin: Any, kim: Any, fake_graph: Any, media: Any, make_user: Any
) -> None:
    accounts = _connect(admin, kim)
    editor = make_user("editor", "64.02")
    member_article = _article(make_user, kim, editor)
    client.force_login(editor)
    url = f"/kabar/staf/{member_article.pk}/sosial/"
    page = client.get(url)
    assert b"kimmaju" in page.content
    ids = [str(a.pk) for a in accounts]
    client.post(url, {"account": ids})
    client.post(url, {"account": ids})
    assert SocialPost.objects.count() == 2
    assert OutboxMessage.objects.filter(origin="social").count() == 2
    _send_all()
    page = client.get(url)
    assert (
        page.content.count(b"See the post") + page.content.count(b"Lihat unggahan") == 2
    )


def _article(make_user: Any, kim: Any, editor: Any) -> Any:
    from newsroom.tests.factories import kim_writer, story_published

    member = kim_writer(make_user("kim_member", "64.02.06", full_name="Nur"), kim)
    return story_published(member=member, editor=editor, kim=kim)


# --- refresh and insights -----------------------------------------------------------
def test_tokens_are_refreshed_before_they_expire(
    admin: Any, kim: Any, fake_graph: Any
) -> None:
    page, ig = _connect(admin, kim, lifetime=3 * 24 * 3600)
    SocialAccount.objects.filter(pk=ig.pk).update(expires_at=None)
    assert services.tokens_refresh() == 1
    page.refresh_from_db()
    assert crypto.decrypt(page.token_encrypted).startswith("long-")
    assert page.expires_at and page.expires_at > timezone.now() + timedelta(days=50)
    # A token Meta no longer takes: its owner is told.
    SocialAccount.objects.filter(pk=page.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    fake_graph.fail_next(400, graph_error(190, "session invalidated"))
    assert services.tokens_refresh() == 0
    page.refresh_from_db()
    assert page.status == "needs_reconnect"


def test_insights_are_read_and_summed_per_region_and_kim(
    admin: Any, kim: Any, fake_graph: Any, media: Any
) -> None:
    accounts = _connect(admin, kim)
    services.publish(actor=admin, publication=_publication(), accounts=accounts)
    _send_all()
    assert services.insights_refresh() == {"read": 2, "failed": 0}
    fb = SocialInsight.objects.get(post__account__platform="facebook")
    assert (fb.impressions, fb.reach, fb.reactions, fb.shares, fb.comments) == (
        1500,
        1200,
        85,
        12,
        7,
    )
    kukar = selectors.social_reach(region_code="64.02")
    assert kukar.posts == 2 and kukar.reach == 2400
    assert kukar.by_platform == {"facebook": 1200, "instagram": 1200}
    assert selectors.social_reach(owner_kind="kim", owner_id=str(kim.pk)).reach == 2400
    assert selectors.social_reach(region_code="64.03").reach == 0


# --- adapting -----------------------------------------------------------------------
def test_instagram_caption_fits_and_says_link_in_bio() -> None:
    tags = adapt.hashtags(["Kutai Kartanegara", "kutai kartanegara", "KIM Maju"])
    assert tags == ["#KutaiKartanegara", "#KIMMaju"]
    adapted = adapt.for_instagram(
        title="Judul",
        summary="kata " * 1000,
        link="https://simpul.example/kabar/x/",
        tags=tags,
        link_wording="Selengkapnya: tautan di bio.",
    )
    assert len(adapted.caption) <= 2200
    assert adapted.caption.endswith(
        "Selengkapnya: tautan di bio.\n\n#KutaiKartanegara #KIMMaju"
    )


def test_photo_becomes_a_4_to_5_jpeg() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1600), (1, 2, 3)).save(buffer, "PNG")
    with Image.open(io.BytesIO(images.from_photo(buffer.getvalue()))) as out:
        assert out.format == "JPEG" and out.size == (1080, 1350)
    wide = io.BytesIO()
    Image.new("RGB", (2000, 1200)).save(wide, "JPEG")
    with Image.open(io.BytesIO(images.from_photo(wide.getvalue()))) as out:
        assert out.size == (1080, 1080)


def test_a_published_verdict_is_posted_with_its_whole_card(
    client: Any, admin: Any, kim: Any, fake_graph: Any, media: Any, make_user: Any
) -> None:
    from factcheck.models import FactCheck

    accounts = _connect(admin, kim)
    checker = make_user("fact_checker", "64.02")
    factcheck = FactCheck.objects.create(
        title="Video banjir bandang di Tenggarong hari ini",
        verdict="hoaks",
        publisher="Diskominfo Kukar",
        status="published",
        is_own=True,
        published_on=timezone.localdate(),
    )
    factcheck.regions.add("64.02")  # a Kukar verdict: Kukar's desk may send it
    client.force_login(checker)
    url = f"/staf/cek-fakta/fakta/{factcheck.pk}/sosial/"
    assert client.get(url).status_code == 200
    client.post(url, {"account": [str(a.pk) for a in accounts]})
    client.post(url, {"account": [str(a.pk) for a in accounts]})
    assert (
        SocialPost.objects.filter(
            source_key=f"factcheck.factcheck:{factcheck.pk}"
        ).count()
        == 2
    )
    _send_all()
    feed = fake_graph.calls("/feed")[0].params
    assert feed["message"].startswith(factcheck.verdict_label)
    assert "#CekFakta" in feed["message"]
    ig = SocialPost.objects.get(account__platform="instagram")
    with Image.open(media / ig.image) as picture:
        assert picture.size == (1080, 1080)
        # The 1200x630 card is letterboxed whole, not cropped: white bands.
        assert picture.getpixel((540, 5)) == (255, 255, 255)
    assert ig.permalink
