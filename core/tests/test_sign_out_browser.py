"""Signing out on a shared phone forgets the pages the service worker kept for
reading offline (static/js/simpul.js, data-forget-pages), and keeps the outbox."""

from __future__ import annotations

import pytest

from core.tests.offline import KEPT, phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Whether a page cache still holds the given address.
HOLDS = """async (url) => {
  for (const name of await caches.keys()) {
    if (!name.startsWith("simpul-pages")) continue;
    if (await (await caches.open(name)).match(url)) return true;
  }
  return false;
}"""


def test_signing_out_forgets_the_pages_kept_offline(
    page, live_server, make_user, sign_in
) -> None:  # type: ignore[no-untyped-def]
    phone(page)
    make_user("kim_member", "64.02", email="relawan@example.org")
    sign_in("relawan@example.org")
    kept = live_server.url + "/kim/"
    page.goto(kept)
    assert page.evaluate(KEPT), "the page was not kept for offline use"

    page.locator("header details summary").first.click()
    page.locator("form[data-forget-pages] button").click()
    page.wait_for_url(lambda url: "/kim/" not in url)
    page.wait_for_load_state("load")
    assert not page.evaluate(HOLDS, kept)
