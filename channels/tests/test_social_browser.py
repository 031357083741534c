"""Done-when of issue 18 (Facebook and Instagram), on a desktop browser with the
fake Graph API: a Kukar KIM's admin connects the KIM's Facebook Page and its
Instagram account, an editor posts an approved, published story to both and
sees the post links, the insights task runs, and the reach dashboard shows
the social reach of the region."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

    from channels import services as outbox
    from channels.models import SocialAccount, SocialPost
    from channels.social import services
    from network.models import Kim
    from newsroom.tests.factories import kim_writer, story_published

    settings.SITE_URL = live_server.url.replace("127.0.0.1", "localhost")
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 1280, "height": 900})
    # The fake login dialog is the one outside address this browser may reach
    # (routes registered later take precedence).
    page.context.route(f"{fake_graph.url}/**", lambda route: route.continue_())

    kim = Kim.objects.create(name="KIM Maju Bersama", region_id="64.02.06.1001")
    make_user("regency_admin", "64.02", email="admin@example.org")
    editor = make_user("editor", "64.02", email="redaksi@example.org")
    member = kim_writer(make_user("kim_member", "64.02.06", full_name="Nur"), kim)
    article = story_published(member=member, editor=editor, kim=kim)

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
    sign_in("redaksi@example.org")
    page.goto(f"{live_server.url}/kabar/staf/{article.pk}/")
    page.click("#post-social")
    boxes = page.locator("#social-publish input[name=account]")
    expect(boxes).to_have_count(2)
    for i in range(2):
        boxes.nth(i).check()
    page.click("#social-publish button[type=submit]")
    page.wait_for_selector("#social-posts .social-post")
    # Sent by the outbox task (run here as a worker would, if not run already).
    for channel in ("facebook", "instagram"):
        outbox.outbox_send_due(channel=channel)
    page.reload()
    links = page.locator("#social-posts .social-post-status a")
    expect(links).to_have_count(2)
    hrefs = {links.nth(i).get_attribute("href") or "" for i in range(2)}
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
