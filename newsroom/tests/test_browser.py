"""A KIM member writes a local-potential story with a photo; an editor asks for a
change, then approves and schedules it; at the scheduled time it is published,
appears on the portal and in the feeds, is delivered by email and the fake
Telegram/WhatsApp/SMS servers; the reach page shows the deliveries and a click."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom import services
from newsroom.models import Article, Delivery, ShortLink
from newsroom.tests.conftest import photo
from regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_story_from_draft_to_subscribers(
    page, live_server, sign_in, make_user, channel_settings, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from network.models import Kim, Membership, Person

    fake = channel_settings
    settings.SITE_URL = live_server.url
    kim = Kim.objects.create(name="KIM Loa Ipuh Berdaya", region_id="64.02.06.1001")
    member = make_user("kim_member", "64.02.06", email="nur@example.org")
    Membership.objects.create(
        kim=kim, person=Person.objects.create(full_name="Nur", user=member)
    )
    make_user("editor", "64.02", email="redaksi@example.org")
    tenggarong = Region.objects.get(kode="64.02.06")
    services.subscriber_create(
        channel="email", email="warga@example.org", region=tenggarong
    )
    services.subscriber_create(
        channel="telegram", telegram_chat_id="501", region=tenggarong
    )
    services.subscriber_create(
        channel="whatsapp", phone="+6281200000031", region=tenggarong
    )
    services.subscriber_create(channel="sms", phone="+6281200000032", region=tenggarong)

    # The member writes the story and adds a photo.
    sign_in("nur@example.org")
    page.goto(live_server.url + "/kabar/staf/tulis/")
    page.select_option("select[name=author]", f"kim:{kim.pk}")
    page.select_option("select[name=kind]", "umkm")
    page.fill("input[name=title]", "Madu Kelulut Loa Ipuh")
    page.fill("textarea[name=lead]", "Warga Loa Ipuh memanen madu kelulut.")
    page.fill(
        "textarea[name=body]", "Madu dipanen tiap bulan.\n\nDijual lewat WhatsApp."
    )
    page.fill("input[name=tags]", "UMKM, madu")
    page.click("#article-form button[type=submit]")
    page.wait_for_selector("#article-status")
    article = Article.objects.get()
    picture = tmp_path / "madu.jpg"
    picture.write_bytes(photo().read())
    page.set_input_files("input[name=image]", str(picture))
    page.fill("input[name=caption]", "Panen madu kelulut")
    page.fill("input[name=credit]", "KIM Loa Ipuh")
    page.click("text=Tambah foto")
    page.wait_for_selector("text=Foto ditambahkan.")
    page.click("button[value=submit]")
    page.wait_for_selector("text=Diajukan untuk ditinjau")

    # The editor asks for a change.
    sign_in("redaksi@example.org")
    page.goto(live_server.url + f"/kabar/staf/{article.pk}/")
    page.fill("#id_note", "Sebutkan harga per botol.")
    page.click("button[value=request_changes]")
    page.wait_for_selector("text=Perlu perbaikan")

    # The member changes it and submits again.
    sign_in("nur@example.org")
    page.goto(live_server.url + f"/kabar/staf/{article.pk}/")
    assert "Sebutkan harga per botol." in page.inner_text("main")
    page.fill(
        "textarea[name=body]", "Madu dipanen tiap bulan.\n\nHarga Rp75.000 per botol."
    )
    page.click("#article-form button[type=submit]")
    page.wait_for_selector("text=Perubahan tersimpan.")
    page.click("button[value=submit]")
    page.wait_for_selector("text=Diajukan untuk ditinjau")

    # The editor approves and schedules it, to be sent to the subscribers.
    sign_in("redaksi@example.org")
    page.goto(live_server.url + f"/kabar/staf/{article.pk}/")
    page.click("button[value=approve]")
    page.wait_for_selector("text=Status: Disetujui.")
    when = timezone.localtime() + timedelta(hours=1)
    page.fill("#id_publish_at", when.strftime("%Y-%m-%dT%H:%M"))
    for channel in ("email", "telegram", "whatsapp", "sms"):
        page.check(f"input[name=send_channels][value={channel}]")
    page.click("button[value=schedule]")
    page.wait_for_selector("text=Status: Terjadwal.")
    page.goto(live_server.url + "/kabar/")
    assert "Madu Kelulut Loa Ipuh" not in page.inner_text("main")

    # The scheduled time comes: the periodic task publishes and sends it.
    assert services.articles_publish_due(now=when + timedelta(minutes=1)) == 1
    article.refresh_from_db()
    assert article.status == "published"
    page.context.clear_cookies()
    page.goto(live_server.url + "/kabar/wilayah/64.02/")
    page.click("text=Madu Kelulut Loa Ipuh")
    page.wait_for_selector("h1:has-text('Madu Kelulut Loa Ipuh')")
    assert "Harga Rp75.000 per botol." in page.inner_text("article")
    assert page.locator("figure img[loading=lazy]").count() == 1
    assert "Tinggalkan balasan" in page.inner_text("main")
    feed = page.request.get(live_server.url + "/kabar/wilayah/64.02/rss/").text()
    assert "Madu Kelulut Loa Ipuh" in feed

    deliveries = Delivery.objects.filter(dissemination__article=article)
    assert sorted(deliveries.values_list("channel", "status")) == [
        ("email", "sent"), ("sms", "sent"), ("telegram", "sent"), ("whatsapp", "sent"),
    ]  # fmt: skip
    assert [m.to for m in fake.mail] == [["warga@example.org"]]
    assert fake.telegram.bodies("/sendMessage")[0]["chat_id"] == "501"
    assert fake.whatsapp.bodies("/messages")[0]["to"] == "6281200000031"
    assert "Madu Kelulut" in fake.sms.bodies("/messages")[0]["text"]

    # A subscriber follows the WhatsApp short link.
    link = ShortLink.objects.get(dissemination__article=article, channel="whatsapp")
    page.goto(live_server.url + f"/s/{link.code}")
    page.wait_for_selector("h1:has-text('Madu Kelulut Loa Ipuh')")

    # Reach figures.
    sign_in("redaksi@example.org")
    page.goto(live_server.url + "/kabar/staf/jangkauan/?wilayah=64.02")
    assert page.inner_text("#reach-deliveries") == "4"
    assert page.inner_text("#reach-clicks") == "1"
