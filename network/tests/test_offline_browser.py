"""Done-when of issue 14, on a 360 px phone: a KIM activity report with a photo
written offline is kept with its photo, refused by the server with the reason,
fixed from the Kotak keluar and sent: never lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.offline import open_then_go_offline, phone
from network.models import Activity, ActivityPhoto
from network.tests.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kim_activity_with_a_photo_written_offline(
    page, live_server, coordinator, kim, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    phone(page)
    page.goto(live_server.url + "/masuk/")
    page.fill("input[name=username]", coordinator.email)
    page.fill("input[name=password]", "rahasia-Kaltim-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/staf/")
    form_url = f"{live_server.url}/staf/kim/{kim.pk}/kegiatan/baru/"
    open_then_go_offline(page, form_url)
    expect(page.locator("h1")).to_contain_text("kegiatan")

    photo = tmp_path / "balai.png"
    photo.write_bytes(png_bytes((40, 30)))
    # Well ahead, so no clock (the browser's, the test's, the server's) near
    # midnight can read it as today.
    tomorrow = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page.select_option("select[name=kind]", "diseminasi")
    page.fill("input[name=title]", "Sosialisasi cek fakta di balai desa")
    page.fill("input[name=date]", tomorrow)  # a mistake the server refuses
    page.fill("input[name=participants]", "32")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("form[data-outbox] button[type=submit]")
    expect(page.locator("[data-outbox-message]")).to_contain_text("tersimpan")

    page.context.set_offline(False)
    page.goto(live_server.url + "/kotak-keluar/")  # the next page open sends it
    item = page.locator(".outbox-item")
    expect(item).to_contain_text("perlu diperbaiki")
    expect(item).to_contain_text("masa depan")
    assert not Activity.objects.exists()

    item.locator("a", has_text="Perbaiki").click()
    expect(page.locator("input[name=title]")).to_have_value(
        "Sosialisasi cek fakta di balai desa"
    )
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.click("form[data-outbox] button[type=submit]")  # the photo kept in the phone
    page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    activity = Activity.objects.get()
    assert activity.participants == 32
    assert ActivityPhoto.objects.filter(activity=activity).count() == 1
    page.goto(live_server.url + "/kotak-keluar/")
    expect(page.locator("#outbox-empty")).to_be_visible()
