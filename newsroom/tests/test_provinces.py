"""Two provinces on one deployment (Kaltim 64, Kaltara 65): each province's
newsroom (editors, reach, review queue) stays inside its province; the public
local-potential directory lists every province served."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import Role, User
from network.models import Kim
from newsroom import services
from newsroom.models import Article
from newsroom.tests.factories import kim_writer, story_publish, story_published
from regions.models import Region
from regions.tests.kaltara import KALTARA, VILLAGE, kaltara_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_provinces")]


@dataclass
class Desk:
    editor: User
    draft: Article
    published: Article
    potential: Article


def _desk(make_user, province: str, district: str, village: str, tag: str) -> Desk:
    kim = Kim.objects.create(name=f"KIM {tag}", region_id=village)
    writer = kim_writer(
        make_user(Role.KIM_MEMBER, district, full_name=f"Penulis {tag}"), kim
    )
    editor = make_user(Role.EDITOR, province, full_name=f"Editor {tag}")
    draft = services.article_create(
        actor=writer,
        kim=kim,
        kind="umkm",
        title=f"Draf {tag} menunggu tinjauan",
        lead="Lead.",
        body="<p>Isi.</p>",
    )
    services.article_submit(actor=writer, article=draft)
    published = story_published(
        member=writer,
        editor=editor,
        kim=kim,
        title=f"Kabar {tag} terbit",
        lead="Lead.",
        body="<p>Isi.</p>",
    )
    potential = story_publish(
        services.potential_create(
            actor=writer,
            kim=kim,
            category="produk_lokal",
            name=f"Kuliner {tag}",
            place=Region.objects.get(kode=village),
            title=f"Potensi kuliner {tag}",
            lead="Lead.",
            body="<p>Isi.</p>",
        ),
        member=writer,
        editor=editor,
    )
    return Desk(editor, draft, published, potential)


@pytest.fixture
def desks(make_user) -> dict[str, Desk]:
    return {
        "64": _desk(make_user, "64", "64.02.06", "64.02.06.1001", "Kaltim"),
        "65": _desk(make_user, KALTARA, "65.01.01", VILLAGE, "Kaltara"),
    }


PAIRS = (("64", "65"), ("65", "64"))


def test_editors_see_and_change_only_their_province(
    client: Client, desks: dict[str, Desk]
) -> None:
    for own, other in PAIRS:
        client.force_login(desks[own].editor)
        html = client.get("/kabar/staf/").content.decode()
        assert desks[own].draft.title in html
        assert desks[other].draft.title not in html
        assert client.get(f"/kabar/staf/{desks[own].draft.pk}/").status_code == 200
        for url in (
            f"/kabar/staf/{desks[other].draft.pk}/",
            f"/kabar/staf/{desks[other].draft.pk}/pratinjau/",
            f"/kabar/staf/{desks[other].published.pk}/sebarkan/",
        ):
            assert client.get(url).status_code in (403, 404), url
        response = client.post(
            f"/kabar/staf/{desks[other].draft.pk}/aksi/", {"action": "approve"}
        )
        assert response.status_code in (403, 404)
        desks[other].draft.refresh_from_db()
        assert desks[other].draft.status == Article.Status.SUBMITTED


def test_reach_stays_in_province(client: Client, desks: dict[str, Desk]) -> None:
    for own, other in PAIRS:
        client.force_login(desks[own].editor)
        response = client.get("/kabar/staf/jangkauan/")
        assert response.status_code == 200
        assert response.context["region"].kode == own
        html = response.content.decode()
        assert desks[own].published.title in html
        assert desks[other].published.title not in html
        other_page = client.get("/kabar/staf/jangkauan/", {"wilayah": other})
        assert other_page.status_code == 404


def test_province_news_lists_only_that_province(
    client: Client, desks: dict[str, Desk]
) -> None:
    html = client.get("/kabar/wilayah/64/").content.decode()
    assert "Kabar Kaltim terbit" in html and "Kabar Kaltara terbit" not in html
    html = client.get("/kabar/wilayah/65/").content.decode()
    assert "Kabar Kaltara terbit" in html and "Kabar Kaltim terbit" not in html


def test_potential_directory_is_national(
    client: Client, desks: dict[str, Desk], settings
) -> None:
    html = client.get("/kabar/potensi/").content.decode()
    assert "Kuliner Kaltim" in html and "Kuliner Kaltara" in html
    assert 'href="/kabar/potensi/65/"' in html and 'href="/kabar/potensi/64/"' in html
    html = client.get("/kabar/potensi/65/").content.decode()
    assert "Kuliner Kaltara" in html and "Kuliner Kaltim" not in html
    # Another province than those served does not exist here.
    assert client.get("/kabar/potensi/11/").status_code == 404
    # One province: its own directory, as before (by regency, no province).
    settings.PROVINCES = ["64"]
    html = client.get("/kabar/potensi/?kategori=produk_lokal").content.decode()
    assert "Kuliner Kaltim" in html
    assert 'href="/kabar/potensi/64.02/?kategori=produk_lokal"' in html
    assert 'href="/kabar/potensi/65/' not in html


def test_news_home_is_national(client: Client, desks: dict[str, Desk]) -> None:
    html = client.get("/kabar/").content.decode()
    assert "Kabar Kaltim terbit" in html and "Kabar Kaltara terbit" in html
    assert 'href="/kabar/wilayah/65/"' in html and 'href="/kabar/wilayah/64/"' in html
    assert client.get("/kabar/wilayah/11/").status_code == 404


def _auth(user: User) -> dict[str, str]:
    from accounts.services import api_token_create

    _, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_edits_and_sending_stay_in_province(
    client: Client, desks: dict[str, Desk]
) -> None:
    for own, other in PAIRS:
        auth = _auth(desks[own].editor)
        target = desks[other].draft
        response = client.patch(
            f"/api/v1/articles/{target.pk}",
            {"title": "Diubah lewat API"},
            content_type="application/json",
            **auth,
        )
        assert response.status_code in (403, 404)
        response = client.post(
            f"/api/v1/articles/{target.pk}/workflow",
            {"action": "approve"},
            content_type="application/json",
            **auth,
        )
        assert response.status_code in (403, 404)
        target.refresh_from_db()
        assert target.title != "Diubah lewat API"
        assert target.status == Article.Status.SUBMITTED
        response = client.post(
            "/api/v1/disseminations",
            {
                "article_id": desks[other].published.pk,
                "audience": {"region_codes": [other]},
                "channels": ["email"],
            },
            content_type="application/json",
            **auth,
        )
        assert response.status_code in (403, 404)


def test_feeds_are_national(client: Client, desks: dict[str, Desk], settings) -> None:
    """The potential and news feeds speak for every province served, not for
    the home province alone; a province's own feed holds only its stories."""
    import feedparser

    feed = feedparser.parse(client.get("/kabar/potensi/rss/").content)
    titles = {e.title for e in feed.entries}
    assert {"Potensi kuliner Kaltim", "Potensi kuliner Kaltara"} <= titles
    assert feed.feed.title == "Potensi daerah provinsi-provinsi yang dilayani"
    own = feedparser.parse(client.get("/kabar/potensi/65/rss/").content)
    assert {e.title for e in own.entries} == {"Potensi kuliner Kaltara"}
    news = feedparser.parse(client.get("/kabar/rss/").content)
    assert news.feed.title == "Kabar provinsi-provinsi yang dilayani"
    settings.PROVINCES = ["64"]
    assert client.get("/kabar/potensi/65/rss/").status_code == 404
    home = feedparser.parse(client.get("/kabar/potensi/rss/").content)
    assert home.feed.title == "Potensi Daerah Kalimantan Timur"
    assert (
        "Kalimantan Timur"
        in feedparser.parse(client.get("/kabar/rss/").content).feed.title
    )


def test_the_bots_subscribe_asks_for_a_region_when_national(
    channel_settings, settings
) -> None:  # type: ignore[no-untyped-def]
    """``/langganan`` alone on a national deployment asks which region (naming
    the provinces served) and subscribes nobody; a province named is
    subscribed; one province served keeps the old default."""
    from channels.models import OutboxMessage
    from channels.routes import Inbound
    from newsroom.models import Subscriber
    from newsroom.services.subscribers import subscribe_command

    kaltara_create()
    ids = iter(range(1, 100))

    def say(text: str) -> str:
        pk = next(ids)
        assert subscribe_command(
            Inbound(id=pk, channel="telegram", kind="command", address="77", text=text)
        )
        return OutboxMessage.objects.get(reference=f"reply:{pk}").body

    asked = say("")
    assert "/langganan" in asked
    assert "Kalimantan Timur" in asked and "Kalimantan Utara" in asked
    assert not Subscriber.objects.exists()
    assert "Kalimantan Utara" in say("Kalimantan Utara")
    assert Subscriber.objects.get(telegram_chat_id="77").region_id == KALTARA
    settings.PROVINCES = ["64"]
    say("")
    assert Subscriber.objects.get(telegram_chat_id="77").region_id == "64"
    # A region of a province not served is not found.
    assert "tidak ditemukan" in say("Kalimantan Utara")


def test_the_subscribe_form_has_no_default_province_when_national(
    client: Client, settings
) -> None:
    """The web form offers the provinces served and, serving several, selects
    none for the reader (it selected the home province)."""
    kaltara_create()
    html = client.get("/kabar/langganan/").content.decode()
    assert f'<option value="{KALTARA}">' in html
    assert '<option value="64">' in html
    settings.PROVINCES = ["64"]
    html = client.get("/kabar/langganan/").content.decode()
    assert '<option value="64" selected>' in html
    assert f'<option value="{KALTARA}"' not in html


def test_potential_links_lead_to_the_province_not_the_national_directory(
    client: Client, desks: dict[str, Desk], rf
) -> None:
    """Serving several provinces, ``/kabar/potensi/`` is national: the home
    province's crumb and its section's link lead to ``/kabar/potensi/64/`` (they
    were left out or led to the national directory)."""
    from newsroom.panels import potential_section

    html = client.get("/kabar/potensi/64.02.06/").content.decode()
    assert 'href="/kabar/potensi/64/"' in html
    section = potential_section(rf.get("/"), Region.objects.get(kode="64"))
    assert 'href="/kabar/potensi/64/"' in section


def _item(actor: User, codes: list[str], region: Region | None = None):  # type: ignore[no-untyped-def]
    return services.dissemination_create(
        actor=actor,
        item_url="http://testserver/cek-fakta/1/",
        title="Hoaks banjir",
        summary="Klarifikasi.",
        item_ref="factcheck:1",
        audience={"region_codes": codes},
        channels=["email"],
        region=region,
    )


def test_a_platform_admins_item_lies_in_a_province_served(
    channel_settings, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    """Someone with no region (a platform admin) sending an item without a
    region: serving several provinces, the item is the province's its audience
    lies in, or they must name the region (it was the home province's); one
    province served keeps the home province."""
    from django.core.exceptions import ValidationError

    kaltara_create()
    admin = make_user(Role.PROVINCE_ADMIN, None, is_superuser=True)
    assert _item(admin, ["65.01", "65.71"]).region_id == KALTARA
    with pytest.raises(ValidationError) as raised:
        _item(admin, ["64.02", "65.01"])
    assert "region" in raised.value.message_dict
    named = _item(admin, ["64.02", "65.01"], Region.objects.get(kode=KALTARA))
    assert named.region_id == KALTARA
    settings.PROVINCES = ["64"]
    assert _item(admin, ["64.02"]).region_id == "64"
    # Kaltara not served: its regions are unknown to the audience.
    with pytest.raises(ValidationError) as raised:
        _item(admin, ["65.01"], Region.objects.get(kode="64"))
    assert "audience" in raised.value.message_dict


def test_the_api_asks_a_platform_admin_for_the_region(
    client: Client, channel_settings, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    kaltara_create()
    auth = _auth(make_user(Role.PROVINCE_ADMIN, None, is_superuser=True))
    body = {
        "item_url": "http://testserver/cek-fakta/2/",
        "item_ref": "factcheck:2",
        "title": "Hoaks",
        "audience": {"region_codes": ["64.02", "65.01"]},
        "channels": ["email"],
    }
    response = client.post(
        "/api/v1/disseminations", body, content_type="application/json", **auth
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["region"]
    response = client.post(
        "/api/v1/disseminations",
        {**body, "region": KALTARA},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    settings.PROVINCES = ["64"]
    response = client.post(
        "/api/v1/disseminations",
        {**body, "audience": {"region_codes": ["64.02"]}, "region": KALTARA},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404


def test_reach_of_a_platform_admin_offers_the_provinces(
    client: Client, desks: dict[str, Desk], make_user, settings
) -> None:
    """With no region of their own and none named, a platform admin chooses
    the province (the page showed Kaltim's reach); a province not served is
    a 404; each province's page lists its own regencies' reports only."""
    client.force_login(make_user(Role.PROVINCE_ADMIN, None, is_superuser=True))
    response = client.get("/kabar/staf/jangkauan/")
    assert response.status_code == 200
    assert response.context["region"] is None
    html = response.content.decode()
    assert 'href="?wilayah=64"' in html and 'href="?wilayah=65"' in html
    assert desks["64"].published.title not in html
    response = client.get("/kabar/staf/jangkauan/", {"wilayah": KALTARA})
    assert response.context["region"].kode == KALTARA
    assert {r.kode[:2] for r in response.context["regencies"]} == {KALTARA}
    assert client.get("/kabar/staf/jangkauan/", {"wilayah": "11"}).status_code == 404
    month = response.context["months"][0][0]
    assert client.get(f"/kabar/staf/laporan/65.01/{month}.pdf").status_code == 200
    settings.PROVINCES = ["64"]
    response = client.get("/kabar/staf/jangkauan/")
    assert response.context["region"].kode == "64"
    assert client.get("/kabar/staf/jangkauan/?wilayah=65").status_code == 404
    assert client.get(f"/kabar/staf/laporan/65.01/{month}.pdf").status_code == 404


def test_region_feed_of_a_province_not_served_is_404(
    client: Client, desks: dict[str, Desk], settings
) -> None:
    """As the region's page (``/kabar/wilayah/65/``): the feed of a province
    not served is not found (it listed that province's news)."""
    assert client.get("/kabar/wilayah/65/rss/").status_code == 200
    settings.PROVINCES = ["64"]
    assert client.get("/kabar/wilayah/65/").status_code == 404
    assert client.get("/kabar/wilayah/65/rss/").status_code == 404


def test_the_home_provinces_news_page_is_a_province_page_when_national(
    client: Client, desks: dict[str, Desk]
) -> None:
    """Serving several provinces, ``/kabar/wilayah/64/`` searches Kaltim's
    news and links Kaltim's potential directory (it searched everything and
    linked the national directory, as the single-province home does)."""
    html = client.get("/kabar/wilayah/64/").content.decode()
    assert '<input type="hidden" name="wilayah" value="64">' in html
    assert 'href="/kabar/potensi/64/" id="link-potensi"' in html


def test_the_home_provinces_news_page_is_the_home_when_one_province(
    client: Client, desks: dict[str, Desk], settings
) -> None:
    settings.PROVINCES = ["64"]
    html = client.get("/kabar/wilayah/64/").content.decode()
    assert 'name="wilayah"' not in html
    assert 'href="/kabar/potensi/" id="link-potensi"' in html
