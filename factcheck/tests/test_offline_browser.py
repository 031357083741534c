"""The tip form ("Cek dulu sebelum sebar") opens and is sent with the network off:
kept in the outbox, sent once the signal returns, one tip however often sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.tests.offline import open_then_go_offline, phone
from factcheck.models import Tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tip_written_offline_is_sent_once_when_the_signal_returns(
    page, live_server
) -> None:  # type: ignore[no-untyped-def]
    phone(page)
    open_then_go_offline(page, live_server.url + "/cek-fakta/")
    page.fill(
        "textarea[name=text]", "Pesan berantai: air kelapa campur garam obat covid"
    )
    page.click("form[data-outbox] button[type=submit]")
    expect(page.locator("[data-outbox-message]")).to_contain_text("tersimpan")
    expect(page.locator("#outbox-status")).to_contain_text("1 menunggu dikirim")
    assert not Tip.objects.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox-status")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a flaky reconnect
    page.goto(live_server.url + "/kotak-keluar/")
    expect(page.locator(".outbox-sent")).to_have_count(1)
    assert Tip.objects.count() == 1
