"""Done-when of issue 14, on a 360 px phone: the no-signal report opens offline,
is kept while there is no signal and sent when it returns, under the village its
typed name means; a name no village has waits "perlu diperbaiki" with the
server's reason until it is fixed: never lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from connectivity.models import Observation
from core.tests.offline import open_then_go_offline, phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_signal_report_written_offline_with_a_typed_village(
    page, live_server
) -> None:  # type: ignore[no-untyped-def]
    phone(page)
    open_then_go_offline(page, live_server.url + "/sinyal/lapor/")
    expect(page.locator("h1")).to_contain_text("sinyal")  # opened with no network

    page.fill("input[name=region]", "Ma. Aloh")
    page.select_option("select[name=technology]", "none")
    page.fill("textarea[name=note]", "Di dermaga tidak ada sinyal")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-status")).to_contain_text("tersimpan")
    expect(page.locator("#report-waiting")).to_contain_text("1")

    # A name no village has: kept too, refused by the server once online.
    page.fill("input[name=region]", "Kampung Entah Berantah")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-waiting")).to_contain_text("2")
    assert Observation.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#report-waiting")).to_have_text("")
    obs = Observation.objects.get()
    assert obs.region_id == "64.02.01.2003"  # Muara Aloh, Muara Muntai
    assert obs.note == "Di dermaga tidak ada sinyal"

    refused = page.locator("#report-outbox .outbox-fix")
    expect(refused).to_contain_text("perlu diperbaiki")
    expect(refused).to_contain_text("tidak ditemukan")
    # Still there after a reload: nothing is dropped.
    page.reload()
    expect(page.locator("#report-outbox .outbox-fix")).to_have_count(1)
    expect(page.locator("#outbox-status")).to_contain_text("perlu diperbaiki")

    page.locator("#report-outbox .outbox-fix a").click()
    expect(page.locator("input[name=region]")).to_have_value("Kampung Entah Berantah")
    page.fill("input[name=region]", "muara aloh")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-status")).to_contain_text("Muara Aloh")
    expect(page.locator("#report-outbox .outbox-fix")).to_have_count(0)
    assert Observation.objects.filter(region_id="64.02.01.2003").count() == 2


def test_reports_queued_by_the_previous_release_are_still_sent(
    page, live_server
) -> None:  # type: ignore[no-untyped-def]
    phone(page)
    page.goto(live_server.url + "/sinyal/lapor/")
    # The release before the outbox kept reports in localStorage, a typed name cut
    # to its first word ("Muara"): that one must be shown for fixing, not lost.
    page.evaluate(
        """() => localStorage.setItem("simpul.sinyal.reports", JSON.stringify([
          {idempotency_key: "old-release-0001", region: "64.02.12.2005",
           technology: "none", operator: "", note: "", lat: null, lng: null},
          {idempotency_key: "old-release-0002", region: "Muara",
           technology: "none", operator: "", note: "", lat: null, lng: null}]))"""
    )
    page.reload()
    expect(page.locator("#report-outbox .outbox-fix")).to_contain_text("Muara")
    expect(page.locator("#report-outbox .outbox-sent")).to_have_count(1)
    assert Observation.objects.get().region_id == "64.02.12.2005"
    assert page.evaluate("() => localStorage.getItem('simpul.sinyal.reports')") is None
