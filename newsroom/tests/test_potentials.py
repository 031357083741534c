"""Local potential (Potensi Daerah): services, staff and public pages, the API,
the feeds and the schema.org markup of each category."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from newsroom import services
from newsroom.models import Article, Potential
from newsroom.tests.factories import story_publish
from regions.models import Region

pytestmark = pytest.mark.django_db

DERAWAN = "64.03.07.2004"  # the village of Pulau Derawan, Berau
TENGGARONG = "64.02.06"


def _potential(actor: Any, kim: Any, **overrides: Any) -> Article:
    fields: dict[str, Any] = {
        "category": "produk_lokal",
        "name": "Amplang Udang Jahab",
        "place": Region.objects.get(kode="64.02.06.1001"),
        "title": "Amplang Udang dari Jahab",
        "lead": "Kerupuk amplang buatan ibu-ibu Jahab.",
        "body": "<p>Digoreng setiap pagi.</p>",
        "lat": -0.4897,
        "lng": 116.9383,
        "phone": "0812-0000-0041",
        "price_range": "Rp20.000-Rp45.000",
        "opening_hours": "Setiap hari 08.00-17.00 WITA",
    }
    fields.update(overrides)
    return services.potential_create(actor=actor, kim=kim, **fields)


def _json_ld(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of a page (extruct is not installed: the script
    elements are read directly, as a crawler would)."""
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


# --- services -------------------------------------------------------------------------
def test_create_keeps_facts_beside_an_ordinary_article(member, kim) -> None:  # type: ignore[no-untyped-def]
    article = _potential(member, kim, address="  Jl. Pesut   No. 3 ")
    assert article.kind == "produk_lokal" and article.status == Article.Status.DRAFT
    potential = Potential.objects.get(article=article)
    assert potential.category == "produk_lokal" and potential.place_id == (
        "64.02.06.1001"
    )
    assert potential.address == "Jl. Pesut No. 3"
    # The place is one of the regions concerned: the story shows on its pages.
    assert "64.02.06.1001" in {r.kode for r in article.regions.all()}
    assert article.revisions.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"lat": 116.99, "lng": -0.42}, "lat", "tertukar"),
        ({"lat": 48.85, "lng": 2.35}, "lat", "di luar Indonesia"),
        ({"lat": -0.42, "lng": None}, "lat", "keduanya"),
        ({"place": None}, "place", "wilayah"),
        ({"phone": "hubungi saya"}, "phone", "angka"),
        ({"starts_on": date(2026, 9, 20)}, "starts_on", "budaya"),
        ({"category": "pengumuman"}, "category", "kategori"),
        ({"body": "<p>" + "x" * 41_000 + "</p>"}, "body", "terlalu panjang"),
        ({"name": "n" * 151}, "name", "150"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    member, kim, overrides, field, words
) -> None:
    with pytest.raises(ValidationError) as caught:
        _potential(member, kim, **overrides)
    messages = " ".join(caught.value.message_dict[field])
    assert words in messages, messages
    assert not Article.objects.exists() and not Potential.objects.exists()


def test_culture_event_dates_must_be_in_order(member, kim) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        _potential(
            member,
            kim,
            category="budaya",
            starts_on=date(2026, 9, 27),
            ends_on=date(2026, 9, 20),
        )
    assert "sebelum" in " ".join(caught.value.message_dict["ends_on"])
    assert not Article.objects.exists()


def test_update_changes_facts_and_text_and_keeps_the_place_listed(  # type: ignore[no-untyped-def]
    member, kim
) -> None:
    article = _potential(member, kim)
    derawan = Region.objects.get(kode=DERAWAN)
    services.potential_update(
        actor=member,
        article=article,
        category="wisata",
        place=derawan,
        lat=2.287,
        lng=118.244,
        title="Amplang dan Derawan",
        regions=[],
    )
    article.refresh_from_db()
    potential = Potential.objects.get(article=article)
    assert article.kind == "wisata" and potential.category == "wisata"
    assert potential.place_id == DERAWAN and potential.lat == 2.287
    assert DERAWAN in {r.kode for r in article.regions.all()}
    assert article.revisions.count() == 2
    # A refused edit leaves both the facts and the text as they were.
    with pytest.raises(ValidationError):
        services.potential_update(
            actor=member, article=article, title="Baru", lat=95.0, lng=5.0
        )
    article.refresh_from_db()
    assert article.title == "Amplang dan Derawan"
    assert Potential.objects.get(article=article).lat == 2.287


def test_the_article_form_cannot_change_its_category(member, kim) -> None:  # type: ignore[no-untyped-def]
    article = _potential(member, kim)
    with pytest.raises(ValidationError) as caught:
        services.article_update(actor=member, article=article, kind="pengumuman")
    assert "kategori" in " ".join(caught.value.message_dict["kind"])


def test_same_workflow_and_rules_as_articles(  # type: ignore[no-untyped-def]
    member, kim, editor, berau_editor
) -> None:
    article = _potential(member, kim)
    services.article_submit(actor=member, article=article)
    # Submitted: the KIM member may no longer edit it, a Berau editor never.
    with pytest.raises(PermissionDenied):
        services.potential_update(actor=member, article=article, name="Lain")
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=berau_editor, article=article)
    services.article_approve(actor=editor, article=article)
    services.article_publish(actor=editor, article=article)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


# --- staff pages ----------------------------------------------------------------------
def _form(place: str = "Jahab", **overrides: str) -> dict[str, str]:
    data = {
        "category": "wisata",
        "name": "Air Terjun Contoh",
        "place": place,
        "lat": "-0.49",
        "lng": "116.94",
        "address": "",
        "phone": "0541 123456",
        "price_range": "Tiket Rp10.000",
        "opening_hours": "Setiap hari 07.00-17.00 WITA",
        "starts_on": "",
        "ends_on": "",
        "title": "Air Terjun Contoh di Jahab",
        "lead": "Air terjun kecil di tepi kampung.",
        "body": "Airnya jernih.\n\nJalan setapak sudah diperbaiki.",
        "regions": "",
        "tags": "wisata, Jahab",
        "source_links": "",
    }
    data.update(overrides)
    return data


def test_member_writes_a_potential_story_through_the_form(  # type: ignore[no-untyped-def]
    client: Client, member, kim
) -> None:
    client.force_login(member)
    page = client.get("/kabar/staf/tulis-potensi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-point-lat" in html and "newsroom/point-picker.js" in html
    response = client.post(
        "/kabar/staf/tulis-potensi/", {"author": f"kim:{kim.pk}", **_form()}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kabar/staf/{article.pk}/"
    assert article.kind == "wisata" and article.body.startswith("<p>Airnya")
    potential = Potential.objects.get(article=article)
    assert (potential.place_id, potential.lat, potential.lng) == (
        "64.02.06.1001",
        -0.49,
        116.94,
    )
    # Its edit page shows the facts again and saves them.
    edit = client.get(f"/kabar/staf/{article.pk}/").content.decode()
    assert 'value="Air Terjun Contoh"' in edit and "data-point-map" in edit
    response = client.post(
        f"/kabar/staf/{article.pk}/",
        {"author": f"kim:{kim.pk}", **_form(name="Air Terjun Jahab", lat="", lng="")},
    )
    assert response.status_code == 302
    potential.refresh_from_db()
    assert potential.name == "Air Terjun Jahab" and potential.lat is None


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"lat": "200", "lng": "116.9"}, "di luar Indonesia"),
        ({"lat": "116.9", "lng": "-0.4"}, "tertukar"),
        ({"place": ""}, "Pilih wilayah"),
        ({"place": "Zzqxw Vbnmk"}, "tidak ditemukan"),
        ({"body": "x" * 40_001}, "40000"),
        ({"price_range": "p" * 101}, "100"),
    ],
)
def test_form_shows_clear_errors_and_stores_nothing(  # type: ignore[no-untyped-def]
    client: Client, member, kim, overrides, words
) -> None:
    client.force_login(member)
    response = client.post(
        "/kabar/staf/tulis-potensi/", {"author": f"kim:{kim.pk}", **_form(**overrides)}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Article.objects.exists() and not Potential.objects.exists()


# --- public directory and pages -------------------------------------------------------
@pytest.fixture
def kaltim_potential(member, kim, editor, make_user) -> dict[str, Article]:  # type: ignore[no-untyped-def]
    admin = make_user("province_admin", "64")
    from regions.models import Region as R

    province = R.objects.get(kode="64")
    stories = {
        "product": story_publish(_potential(member, kim), member=member, editor=editor),
        "tourism": services.potential_create(
            actor=admin,
            office=province,
            category="wisata",
            name="Pulau Derawan",
            place=R.objects.get(kode=DERAWAN),
            lat=2.287,
            lng=118.244,
            title="Pulau Derawan",
            lead="Penyu hijau di bawah dermaga.",
            body="<p>Air jernih.</p>",
            phone="+62 812 0000 0032",
            price_range="Perahu: tarif disepakati",
            opening_hours="Setiap hari",
        ),
        "event": services.potential_create(
            actor=admin,
            office=province,
            category="budaya",
            name="Festival Erau",
            place=R.objects.get(kode=TENGGARONG),
            title="Erau di Tenggarong",
            lead="Pesta adat Kesultanan Kutai.",
            body="<p>Seminggu upacara adat.</p>",
            starts_on=date(2026, 9, 20),
            ends_on=date(2026, 9, 27),
            price_range="Gratis",
        ),
        "tradition": services.potential_create(
            actor=admin,
            office=province,
            category="budaya",
            name="Tenun ulap doyo",
            place=R.objects.get(kode="64.07.11.2008"),
            title="Ulap Doyo",
            lead="Tenun serat daun doyo.",
            body="<p>Ditenun turun-temurun.</p>",
        ),
        "site": services.potential_create(
            actor=admin,
            office=province,
            category="budaya",
            name="Kedaton Kutai",
            place=R.objects.get(kode="64.02.06.1005"),
            lat=-0.4285,
            lng=116.9841,
            title="Kedaton Kutai",
            lead="Istana kesultanan.",
            body="<p>Bangunan bersejarah.</p>",
        ),
    }
    for key in ("tourism", "event", "tradition", "site"):
        article = stories[key]
        services.article_submit(actor=admin, article=article)
        services.article_approve(actor=admin, article=article)
        stories[key] = services.article_publish(actor=admin, article=article)
    # A draft is never listed.
    _potential(member, kim, title="Masih draf", name="Draf")
    return stories


def test_directory_filters_by_region_and_category_and_paginates(  # type: ignore[no-untyped-def]
    client: Client, kaltim_potential
) -> None:
    html = client.get("/kabar/potensi/").content.decode()
    assert "Potensi Daerah Kalimantan Timur" in html
    for name in ("Amplang Udang Jahab", "Pulau Derawan", "Festival Erau"):
        assert name in html
    assert "Draf" not in html
    # The province lists its regencies that have stories, with counts.
    chips = re.search(r'<ul class="chips plain" id="potensi-wilayah">(.*?)</ul>', html)
    assert chips and "Kabupaten Berau" in chips[1] and "Kota Samarinda" not in chips[1]
    berau = client.get("/kabar/potensi/64.03/").content.decode()
    assert "Pulau Derawan" in berau and "Festival Erau" not in berau
    # Down to the district and the village.
    kukar = client.get("/kabar/potensi/64.02/").content.decode()
    assert "/kabar/potensi/64.02.06/" in kukar
    village = client.get("/kabar/potensi/64.02.06.1001/").content.decode()
    assert "Amplang Udang Jahab" in village and "Festival Erau" not in village
    culture = client.get("/kabar/potensi/", {"kategori": "budaya"}).content.decode()
    assert "Festival Erau" in culture and "Pulau Derawan" not in culture
    assert client.get("/kabar/potensi/99.99/").status_code == 404
    from django.core.cache import cache

    from newsroom import selectors

    cache.clear()

    original = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 2
    try:
        first = client.get("/kabar/potensi/").content.decode()
        third = client.get("/kabar/potensi/", {"page": 3}).content.decode()
    finally:
        selectors.PAGE_SIZE = original
    assert "1 / 3" in first and 'rel="next"' in first
    assert "3 / 3" in third and 'rel="prev"' in third


def test_directory_is_linked_from_region_page_home_and_news(  # type: ignore[no-untyped-def]
    client: Client, kaltim_potential
) -> None:
    region_page = client.get("/wilayah/64.03/").content.decode()
    assert 'id="potensi-daerah"' in region_page
    assert "/kabar/potensi/64.03/" in region_page and "Pulau Derawan" in region_page
    news = client.get("/kabar/").content.decode()
    assert 'id="link-potensi"' in news and 'href="/kabar/potensi/"' in news


def test_directory_and_story_pages_fit_a_phone(  # type: ignore[no-untyped-def]
    client: Client, kaltim_potential
) -> None:
    for url in ("/kabar/potensi/", kaltim_potential["tourism"].get_absolute_url()):
        response = client.get(url)
        html = response.content.decode()
        assert 'name="viewport"' in html
        # Light: no map library and no big inline payload on public pages.
        assert "leaflet" not in html.lower()
        assert len(response.content) < 60_000


def test_story_page_shows_facts_and_schema_org_per_category(  # type: ignore[no-untyped-def]
    client: Client, kaltim_potential
) -> None:
    expected = {
        "product": "LocalBusiness",
        "tourism": "TouristAttraction",
        "event": "Event",
        "site": "LandmarksOrHistoricalBuildings",
        "tradition": "CreativeWork",
    }
    found: dict[str, dict[str, Any]] = {}
    for key, schema_type in expected.items():
        article = kaltim_potential[key]
        html = client.get(article.get_absolute_url()).content.decode()
        blocks = _json_ld(html)
        news, subject = blocks
        assert news["@type"] == "NewsArticle"
        assert subject["@type"] == schema_type
        assert news["about"] == {"@id": subject["@id"]}
        assert subject["url"].endswith(article.get_absolute_url())
        found[key] = subject
    business = found["product"]
    assert business["telephone"] == "0812-0000-0041"
    assert business["priceRange"] == "Rp20.000-Rp45.000"
    assert business["openingHours"] == "Setiap hari 08.00-17.00 WITA"
    assert business["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": -0.4897,
        "longitude": 116.9383,
    }
    assert business["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "ID",
        "streetAddress": "Jahab, Tenggarong",
        "addressLocality": "Kabupaten Kutai Kartanegara",
        "addressRegion": "Kalimantan Timur",
    }
    attraction = found["tourism"]
    assert attraction["geo"]["latitude"] == 2.287
    assert attraction["address"]["addressLocality"] == "Kabupaten Berau"
    assert attraction["telephone"] == "+62 812 0000 0032"
    assert attraction["openingHoursSpecification"]["description"] == "Setiap hari"
    assert attraction["additionalProperty"]["value"] == "Perahu: tarif disepakati"
    event = found["event"]
    assert (event["startDate"], event["endDate"]) == ("2026-09-20", "2026-09-27")
    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["streetAddress"] == "Tenggarong"
    assert event["offers"]["description"] == "Gratis"
    assert "geo" in found["site"] and "geo" not in found["tradition"]
    assert found["tradition"]["spatialCoverage"]["address"]["addressLocality"] == (
        "Kabupaten Kutai Barat"
    )
    html = client.get(kaltim_potential["tourism"].get_absolute_url()).content.decode()
    assert 'href="tel:+6281200000032"' in html
    assert "openstreetmap.org/?mlat=2.287&amp;mlon=118.244" in html


def test_json_ld_cannot_be_broken_out_of(member, kim, editor, client: Client) -> None:  # type: ignore[no-untyped-def]
    article = _potential(member, kim, name="</script><script>alert(1)</script>")
    story_publish(article, member=member, editor=editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert _json_ld(html)[1]["name"] == "</script><script>alert(1)</script>"


def test_feeds_list_potential_stories(client: Client, kaltim_potential) -> None:  # type: ignore[no-untyped-def]
    rss = ElementTree.fromstring(client.get("/kabar/potensi/rss/").content)  # noqa: S314
    titles = [t.text for t in rss.iter("title")]
    assert "Pulau Derawan" in titles and "Masih draf" not in titles
    atom = client.get("/kabar/potensi/64.03/atom/")
    assert atom.status_code == 200 and b"Pulau Derawan" in atom.content
    assert b"Erau" not in atom.content
    # They are ordinary articles: in the news feeds too.
    assert b"Pulau Derawan" in client.get("/kabar/rss/").content
    assert b"Pulau Derawan" in client.get("/kabar/jenis/wisata/rss/").content


# --- API ------------------------------------------------------------------------------
def test_api_lists_and_details_potential(client: Client, kaltim_potential) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/potentials").json()
    assert set(data) == {"count", "page", "page_size", "pages", "items"}
    assert data["count"] == 5
    berau = client.get("/api/v1/potentials", {"region": "64.03"}).json()
    assert [i["name"] for i in berau["items"]] == ["Pulau Derawan"]
    item = berau["items"][0]
    assert item["category"] == "wisata" and item["region"] == DERAWAN
    assert item["lat"] == 2.287 and item["url"].endswith("/kabar/baca/pulau-derawan/")
    culture = client.get("/api/v1/potentials", {"category": "budaya"}).json()
    assert culture["count"] == 3
    detail = client.get(f"/api/v1/potentials/{item['slug']}").json()
    assert detail["phone"] == "+62 812 0000 0032"
    assert detail["regions"] == ["64", "64.03", "64.03.07", DERAWAN]
    assert detail["schema_org"]["@type"] == "TouristAttraction"
    by_id = client.get(f"/api/v1/potentials/{item['id']}").json()
    assert by_id["name"] == "Pulau Derawan"
    assert client.get("/api/v1/potentials/tidak-ada").status_code == 404
    bad = client.get("/api/v1/potentials", {"category": "hoaks"})
    assert bad.status_code == 400 and "Kategori" in bad.json()["detail"]
    assert client.get("/api/v1/potentials", {"region": "99"}).status_code == 400
    # A draft is not found by the API either.
    draft = Potential.objects.get(name="Draf")
    assert client.get(f"/api/v1/potentials/{draft.article_id}").status_code == 404


# --- demo -----------------------------------------------------------------------------
def test_demo_loads_kaltim_local_potential_once(kaltim) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    names = set(
        Potential.objects.filter(article__status="published").values_list(
            "name", flat=True
        )
    )
    assert {
        "Amplang ikan pipih Samarinda",
        "Pulau Derawan",
        "Festival Erau Tenggarong",
    } <= names
    count = Potential.objects.count()
    call_command("load_demo", verbosity=0)
    assert Potential.objects.count() == count


def test_tourism_is_wisata_here_and_pariwisata_as_a_kim_topic() -> None:
    """One msgid has one translation in the merged catalogue: the potential
    category has its own context, so network's KIM topic keeps its word."""
    from django.utils import translation

    from network.models import FocusArea
    from newsroom.models import PotentialCategory

    with translation.override("id"):
        assert str(PotentialCategory.TOURISM.label) == "Wisata"
        assert str(FocusArea.TOURISM.label) == "Pariwisata"
