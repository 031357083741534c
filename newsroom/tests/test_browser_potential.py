"""A KIM member writes a local-potential story, taking its point from the map;
an editor approves and publishes it; a visitor on a 360 px phone finds it in
the region's Potensi Daerah and opens it."""

import pytest
from playwright.sync_api import expect

from newsroom.models import Article, Potential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_potential_story_from_map_to_phone_directory(  # type: ignore[no-untyped-def]
    page, live_server, sign_in, make_user
) -> None:
    from network.models import Kim, Membership, Person

    kim = Kim.objects.create(name="KIM Derawan Bahari", region_id="64.03.07.2004")
    member = make_user("kim_member", "64.03.07", email="ani@example.org")
    Membership.objects.create(
        kim=kim, person=Person.objects.create(full_name="Ani", user=member)
    )
    make_user("editor", "64.03", email="redaksi-berau@example.org")

    sign_in("ani@example.org")
    page.goto(live_server.url + "/kabar/staf/tulis-potensi/")
    page.select_option("select[name=author]", f"kim:{kim.pk}")
    page.select_option("select[name=category]", "wisata")
    page.fill("input[name=name]", "Dermaga Penyu")
    page.fill("input[name=place]", "Pulau Derawan, Pulau Derawan")
    page.fill("input[name=phone]", "0554 000 111")
    page.fill("input[name=opening_hours]", "Setiap hari")
    page.fill("input[name=title]", "Melihat Penyu dari Dermaga Derawan")
    page.fill("textarea[name=lead]", "Penyu hijau berenang di bawah dermaga.")
    page.fill("textarea[name=body]", "Datang pagi hari.\n\nJangan sentuh penyu.")
    # The map loads on request; a tap fills the latitude and longitude.
    page.click("[data-map-load]")
    map_box = page.locator("[data-point-map].leaflet-container")
    expect(map_box).to_be_visible()
    map_box.click(position={"x": 120, "y": 100})
    expect(page.locator("input[name=lat]")).not_to_have_value("")
    lat = float(page.input_value("input[name=lat]"))
    lng = float(page.input_value("input[name=lng]"))
    assert -11 <= lat <= 6.5 and 94 <= lng <= 141.5
    page.click("#article-form button[type=submit]")
    page.wait_for_selector("#article-status")
    article = Article.objects.get()
    potential = Potential.objects.get(article=article)
    assert potential.place_id == "64.03.07.2004"
    assert potential.lat is not None and potential.lng is not None
    assert abs(potential.lat - lat) < 1e-4 and abs(potential.lng - lng) < 1e-4
    page.click("button[value=submit]")
    expect(page.locator("#article-status")).to_have_text("Diajukan untuk ditinjau")

    sign_in("redaksi-berau@example.org")
    page.goto(live_server.url + f"/kabar/staf/{article.pk}/")
    page.click("button[value=approve]")
    page.click("button[value=publish]")
    expect(page.locator("#article-status")).to_have_text("Terbit")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/kabar/potensi/")
    page.click("#potensi-wilayah a:has-text('Kabupaten Berau')")
    expect(page.locator("h1")).to_have_text("Potensi Daerah Kabupaten Berau")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("a:has-text('Dermaga Penyu')")
    expect(page.locator("#potensi")).to_contain_text("0554 000 111")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
