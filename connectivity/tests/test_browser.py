"""A citizen files a "no signal" report while offline; it is sent when the
connection returns, once."""

import pytest
from playwright.sync_api import expect

from connectivity.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offline_report_is_sent_when_the_connection_returns(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/sinyal/lapor/?desa=64.02.12.2005")
    assert "Tidak ada sinyal" in page.inner_text("h1")
    page.context.set_offline(True)
    page.select_option("select[name=technology]", "none")
    page.fill("textarea[name=note]", "Di dermaga tidak ada sinyal sama sekali")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-status.ok")
    assert "tersimpan" in page.inner_text("#report-status")
    assert "1" in page.inner_text("#report-waiting")
    assert Observation.objects.count() == 0

    page.context.set_offline(False)
    # A locator wait, not wait_for_function: the CSP refuses string evaluation.
    expect(page.locator("#report-waiting")).to_have_text("")
    obs = Observation.objects.get()
    assert obs.region_id == "64.02.12.2005"
    assert obs.status == "unconfirmed" and obs.method == "citizen_report"
    assert obs.note == "Di dermaga tidak ada sinyal sama sekali"

    # Reloading (or a second "online") does not send it again.
    page.reload()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(300)
    assert Observation.objects.count() == 1


def test_regency_admin_plans_ten_sites_on_the_map(
    page, live_server, sign_in, make_user
) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Role
    from connectivity import hooks

    hooks.demo()
    make_user(Role.REGENCY_ADMIN, "64.02", email="kukar@example.org")
    sign_in("kukar@example.org")

    page.goto(live_server.url + "/sinyal/wilayah/64.02/")
    page.click("[data-map-load]")  # maps load when asked (or scrolled to)
    page.wait_for_selector("#sinyal-map[data-ready='1']")
    assert "model elevasi" in page.inner_text("#map-note")
    page.goto(live_server.url + "/sinyal/perencanaan/?wilayah=64.02")
    page.click("[data-map-load]")  # maps load when asked (or scrolled to)
    page.wait_for_selector("#sinyal-map[data-ready='1']")
    page.fill("input[name=budget]", "10")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/sinyal/perencanaan/*/")
    page.click("[data-map-load]")  # maps load when asked (or scrolled to)
    page.wait_for_selector("#sinyal-map[data-ready='1']")
    before = page.inner_text("#share-before").strip().rstrip("%")
    after = page.inner_text("#share-after").strip().rstrip("%")
    assert int(after) > int(before)
    assert page.locator("path.planned-site").count() == 10
