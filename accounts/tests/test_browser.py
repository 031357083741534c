"""A regency admin signs in, opens the regency page with its map, switches language."""

import pytest

from accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regency_admin_signs_in_opens_the_map_and_switches_language(
    page,
    live_server,
    sign_in,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    make_user(
        Role.REGENCY_ADMIN,
        "64.02",
        email="kukar@example.org",
        full_name="Dafip Haryanto",
        phone="+6281234567890",
    )
    sign_in("0812 3456 7890")
    assert "Halo, Dafip" in page.inner_text("h1")
    assert "Kabupaten Kutai Kartanegara" in page.inner_text("main")

    page.click("text=Kabupaten Kutai Kartanegara")
    page.wait_for_url("**/wilayah/64.02/")
    page.click("[data-map-load]")  # maps load when asked (or scrolled to)
    page.wait_for_selector("#map[data-ready='1']")
    # The regency outline and its 20 kecamatan are drawn from our own GeoJSON.
    assert page.locator("#map path.leaflet-interactive").count() == 20
    assert "Peta dasar tidak tersedia" in page.inner_text("#map-note")
    assert page.locator("ol.children li").count() == 20

    page.click("form.lang button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Districts" in page.inner_text("main")
    page.click("header details.menu summary")  # the phone's folded menu
    assert "Sign out" in page.inner_text("header")
    page.click("form.lang button[value=id]")
    page.wait_for_selector("html[lang=id]")
    page.click("header details.menu summary")
    assert "Keluar" in page.inner_text("header")
