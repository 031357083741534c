"""Done-when of issue 18 (Facebook and Instagram), on a desktop browser with the
fake Graph API: a Kukar KIM's admin connects the KIM's Facebook Page and its
Instagram account, an editor posts an approved, published story to both and
sees the post links, the insights task runs, and the reach dashboard shows
the social reach of the region."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _kim_with_a_story(make_user: Any) -> tuple[Any, Any]:
    """A Kukar KIM, its regency's admin and editor, and a story of the KIM the
    editor approved and published."""
    from network.models import Kim
    from newsroom.tests.factories import kim_writer, story_published

    kim = Kim.objects.create(name="KIM Maju Bersama", region_id="64.02.06.1001")
    make_user("regency_admin", "64.02", email="admin@example.org")
    editor = make_user("editor", "64.02", email="redaksi@example.org")
    member = kim_writer(make_user("kim_member", "64.02.06", full_name="Nur"), kim)
    return kim, story_published(member=member, editor=editor, kim=kim)


def _editor_posts_to_both(
    page: Any,
    live_server: Any,
    sign_in: Any,
    article: Any,
    channels: tuple[str, str],
    on_publish_page: Callable[[], None] | None = None,
) -> set[str]:
    """The editor ticks the two accounts on the story's publish form and posts;
    the outbox task sends them (run here as a worker would, if not run already).
    Returns the links of the posts the story's page shows."""
    from playwright.sync_api import expect

    from channels import services as outbox

    sign_in("redaksi@example.org")
    page.goto(f"{live_server.url}/kabar/staf/{article.pk}/")
    page.click("#post-social")
    boxes = page.locator("#social-publish input[name=account]")
    expect(boxes).to_have_count(2)
    if on_publish_page is not None:
        on_publish_page()
    for i in range(2):
        boxes.nth(i).check()
    page.click("#social-publish button[type=submit]")
    page.wait_for_selector("#social-posts .social-post")
    for channel in channels:
        outbox.outbox_send_due(channel=channel)
    page.reload()
    links = page.locator("#social-posts .social-post-status a")
    expect(links).to_have_count(2)
    return {links.nth(i).get_attribute("href") or "" for i in range(2)}


def test_connect_publish_and_see_reach(
    page: Any,
    live_server: Any,
    sign_in: Any,
    make_user: Any,
    fake_graph: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    from playwright.sync_api import expect

    from channels.models import SocialAccount, SocialPost
    from channels.social import services

    settings.SITE_URL = live_server.url.replace("127.0.0.1", "localhost")
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 1280, "height": 900})
    # The fake login dialog is the one outside address this browser may reach
    # (routes registered later take precedence).
    page.context.route(f"{fake_graph.url}/**", lambda route: route.continue_())

    kim, article = _kim_with_a_story(make_user)

    # The admin connects the KIM's Page and Instagram account.
    sign_in("admin@example.org")
    page.goto(f"{live_server.url}/staf/kim/{kim.pk}/")
    page.click("#connect-facebook")
    page.wait_for_selector("#social-choose")
    expect(page.locator("#social-choose")).to_contain_text("@kimmajubersama")
    page.click("#social-choose button[type=submit]")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    expect(page.locator("#social-accounts .social-account")).to_have_count(2)
    assert SocialAccount.objects.filter(status="active").count() == 2

    # The editor posts the story to both.
    hrefs = _editor_posts_to_both(
        page, live_server, sign_in, article, ("facebook", "instagram")
    )
    assert any(h.startswith("https://www.facebook.com/1010_") for h in hrefs)
    assert any(h.startswith("https://www.instagram.com/p/") for h in hrefs)
    assert SocialPost.objects.exclude(permalink="").count() == 2

    # The insights task; the article's page and the reach dashboard show them.
    assert services.insights_refresh() == {"read": 2, "failed": 0}
    page.reload()
    expect(page.locator("#social-posts .social-reach").first).to_have_text("1.200")
    page.goto(f"{live_server.url}/kabar/staf/jangkauan/?wilayah=64.02")
    expect(page.locator("#reach-social-reach")).to_have_text("2.400")
    page.goto(f"{live_server.url}/kabar/staf/jangkauan/?wilayah=64.02&kim={kim.pk}")
    expect(page.locator("#reach-social-reach")).to_have_text("2.400")


@pytest.mark.parametrize(
    "viewport",
    [{"width": 360, "height": 740}, {"width": 1280, "height": 900}],
    ids=["phone", "desktop"],
)
def test_connect_x_and_tiktok_and_publish_to_them(
    viewport: dict[str, int],
    page: Any,
    live_server: Any,
    sign_in: Any,
    make_user: Any,
    fake_x: Any,
    fake_tiktok: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    """X and TikTok through their (fake) consent pages, on a phone and on a
    desktop: the connect page, the publish page and the posts' statuses
    stay within the screen and in Indonesian."""
    from playwright.sync_api import expect

    from channels.models import SocialAccount, SocialPost
    from channels.social import services

    settings.SITE_URL = live_server.url.replace("127.0.0.1", "localhost")
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "id"
    page.set_viewport_size(viewport)
    for fake in (fake_x, fake_tiktok):
        page.context.route(f"{fake.url}/**", lambda route: route.continue_())

    def fits() -> None:
        """Nothing wider than the screen (no sideways scrolling)."""
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{overflow}px wider than the screen at {page.url}"

    kim, article = _kim_with_a_story(make_user)

    # The admin connects the KIM's X and TikTok accounts.
    sign_in("admin@example.org")
    page.goto(f"{live_server.url}/staf/kim/{kim.pk}/")
    expect(page.locator("#connect-x")).to_have_text("Hubungkan X")
    fits()
    page.click("#connect-x")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    page.click("#connect-tiktok")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    accounts = page.locator("#social-accounts .social-account")
    expect(accounts).to_have_count(2)
    expect(page.locator("#social-accounts")).to_contain_text("@kimmaju")
    expect(page.locator("#social-accounts")).to_contain_text("@kimmaju.tgr")
    # Shared with the region's editors, one account after the other.
    for platform in ("x", "tiktok"):
        share = page.locator(
            f'.social-account[data-platform="{platform}"] form[action$="/berbagi/"]'
            " button"
        )
        share.click()
        page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    fits()
    page.screenshot(
        path=str(tmp_path / f"accounts-{viewport['width']}.png"), full_page=True
    )
    assert SocialAccount.objects.filter(shared=True).count() == 2
    assert set(
        SocialAccount.objects.filter(status="active").values_list("platform", flat=True)
    ) == {"x", "tiktok"}

    # The editor posts the story to both.
    def publish_page() -> None:
        fits()
        page.screenshot(path=str(tmp_path / f"publish-{viewport['width']}.png"))

    hrefs = _editor_posts_to_both(
        page, live_server, sign_in, article, ("x", "tiktok"), publish_page
    )
    assert any(h.startswith("https://x.com/kimmaju/status/") for h in hrefs)
    assert any(
        h.startswith("https://www.tiktok.com/@kimmaju.tgr/photo/") for h in hrefs
    )
    assert SocialPost.objects.exclude(permalink="").count() == 2
    assert len(fake_x.posts) == 1

    # Their figures: impressions (views on TikTok), no made-up reach.
    assert services.insights_refresh() == {"read": 2, "failed": 0}
    page.reload()
    figures = page.locator("#social-posts")
    expect(figures).to_contain_text("1.200")
    expect(figures).to_contain_text("2.300")
    expect(figures.locator(".social-reach")).to_have_count(0)
    fits()
    page.screenshot(
        path=str(tmp_path / f"posts-{viewport['width']}.png"), full_page=True
    )
    page.goto(f"{live_server.url}/kabar/staf/jangkauan/?wilayah=64.02")
    expect(page.locator("#reach-social-platforms")).to_contain_text("TikTok")
    # Neither platform counts accounts reached: no "0 reached" made up.
    expect(page.locator("#reach-social-reach")).to_have_text("—")
    fits()
    page.screenshot(
        path=str(tmp_path / f"reach-{viewport['width']}.png"), full_page=True
    )
