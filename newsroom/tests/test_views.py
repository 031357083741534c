import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import AuditEntry
from newsroom import services
from newsroom.models import Article, Comment
from newsroom.tests.conftest import photo

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-Kaltim-2026"


def test_article_page_has_cards_json_ld_share_buttons_and_feeds(
    client: Client, published
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta property="og:title" content="Amplang Udang Khas Tenggarong">' in html
    assert 'name="twitter:card"' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert (
        data["@type"] == "NewsArticle" and data["author"]["name"] == "KIM Maju Bersama"
    )
    for share in (
        "wa.me",
        "facebook.com/sharer",
        "x.com/intent",
        "t.me/share",
        "share_copy",
    ):
        assert share in html
    assert "1 menit baca" in html
    feeds = re.findall(
        r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', html
    )
    assert "/kabar/wilayah/64.02.06.1001/rss/" in feeds
    assert (
        "/kabar/jenis/umkm/rss/" in feeds
        and f"/kabar/kim/{published.kim_id}/rss/" in feeds
    )
    assert "Tinggalkan balasan" in html


def test_pages_are_light(client: Client, published, editor) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = Article.objects.get(pk=published.pk)
    services.article_image_add(
        actor=editor,
        article=article,
        image=SimpleUploadedFile("a.jpg", photo().read()),
        caption="Amplang",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'loading="lazy"' in html and "480w" in html
    # The page itself and what it loads before lazy images.
    total = len(html.encode())
    static = Path(settings.BASE_DIR)
    for asset in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        for root in (static / "static", static / "newsroom" / "static"):
            if (root / asset).exists():
                total += (root / asset).stat().st_size
    total += (static / "node_modules/htmx.org/dist/htmx.min.js").stat().st_size
    assert total < 300 * 1024, total
    home = client.get("/kabar/").content
    assert len(home) < 100 * 1024


def test_portal_homes_list_stories_and_link_feeds(
    client: Client, published, kim
) -> None:  # type: ignore[no-untyped-def]
    urls = ["/kabar/", "/kabar/wilayah/64.02/", "/kabar/wilayah/64.02.06/"]
    urls += [f"/kabar/kim/{kim.pk}/", "/kabar/jenis/umkm/", "/kabar/tag/umkm/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Amplang Udang Khas Tenggarong" in html, url
        assert 'rel="alternate" type="application/rss+xml"' in html
        assert 'type="application/atom+xml"' in html
    assert "Amplang" not in client.get("/kabar/wilayah/64.03/").content.decode()
    assert client.get("/kabar/wilayah/99/").status_code == 404
    assert client.get("/kabar/jenis/gosip/").status_code == 404
    # The region page shows the latest stories.
    assert (
        "Amplang Udang Khas Tenggarong"
        in client.get("/wilayah/64.02/").content.decode()
    )


def test_feeds_rss_and_atom(client: Client, published, kim) -> None:  # type: ignore[no-untyped-def]
    for url in ("/kabar/rss/", "/kabar/wilayah/64.02/rss/", f"/kabar/kim/{kim.pk}/rss/",
                "/kabar/jenis/umkm/rss/"):  # fmt: skip
        response = client.get(url)
        assert response["Content-Type"].startswith("application/rss+xml"), url
        root = ElementTree.fromstring(response.content)  # noqa: S314
        items = root.findall("./channel/item")
        assert [i.findtext("title") for i in items] == ["Amplang Udang Khas Tenggarong"]
    atom = client.get("/kabar/wilayah/64.02/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Amplang Udang" in atom.content
    assert b"<item>" not in client.get("/kabar/wilayah/64.03/rss/").content


def test_sitemap(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and b"sitemap-kabar.xml" in index.content
    section = client.get("/sitemap-kabar.xml").content.decode()
    assert published.get_absolute_url() in section


def test_search_in_indonesian(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/kabar/cari/", {"q": "amplang tenggarong"}).content.decode()
    assert "Amplang Udang Khas Tenggarong" in html
    html = client.get("/kabar/cari/", {"q": "belida"}).content.decode()  # in the body
    assert "Amplang Udang Khas Tenggarong" in html
    html = client.get("/kabar/cari/", {"q": "pesut"}).content.decode()
    assert "Amplang Udang Khas Tenggarong" not in html


def test_cache_is_dropped_when_content_changes(
    client: Client, published, editor
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = published.get_absolute_url()
    client.get(url)
    client.get("/kabar/")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    cached_queries = len(queries)
    services.article_update(actor=editor, article=published, title="Amplang Baru")
    # Runs the on-commit invalidation (tests wrap everything in a transaction).
    from newsroom import cache

    cache._bump_now()
    assert "Amplang Baru" in client.get(url).content.decode()
    assert "Amplang Baru" in client.get("/kabar/").content.decode()
    assert cached_queries <= 2
    services.article_unpublish(actor=editor, article=published)
    cache._bump_now()
    assert client.get(url).status_code == 404


def test_comment_is_held_for_moderation(client: Client, published, editor) -> None:  # type: ignore[no-untyped-def]
    from newsroom.forms import CommentForm

    url = published.get_absolute_url()
    stamp = CommentForm.new_stamp()
    import time

    time.sleep(0)  # the stamp is checked against a minimum fill time
    response = client.post(
        url + "balas/", {"name": "Budi", "body": "Mantap!", "stamp": stamp}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    # Sent at once: kept as spam (a person needs a few seconds).
    assert comment.status == "spam" and comment.spam_reason == "too fast"
    comment.status = "pending"
    comment.save()
    assert "Mantap!" not in client.get(url).content.decode()
    client.force_login(editor)
    page = client.get("/kabar/staf/komentar/").content.decode()
    assert "Mantap!" in page
    client.post("/kabar/staf/komentar/", {"comment": comment.pk, "status": "approved"})
    client.logout()
    from newsroom import cache

    cache._bump_now()
    assert "Mantap!" in client.get(url).content.decode()


def test_comments_are_rate_limited(client: Client, published, settings) -> None:  # type: ignore[no-untyped-def]
    url = published.get_absolute_url() + "balas/"
    codes = [
        client.post(url, {"name": "Bot", "body": f"Halo {i}"}).status_code
        for i in range(6)
    ]
    assert codes[-1] == 429 and 429 not in codes[:5]


def test_staff_write_review_publish_through_pages(
    client: Client, member, editor, berau_editor, kim
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(member)
    response = client.post(
        "/kabar/staf/tulis/",
        {
            "author": f"kim:{kim.pk}",
            "kind": "budaya",
            "title": "Festival Erau Tenggarong",
            "lead": "Pesta adat Kutai kembali digelar.",
            "body": "Paragraf satu.\n\nParagraf dua <script>x</script>.",
            "regions": "64.02.06",
            "tags": "Erau, budaya",
            "source_links": "https://kukarkab.go.id",
        },
    )
    article = Article.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/kabar/staf/{article.pk}/"
    )
    assert (
        article.body.startswith("<p>Paragraf satu.</p>")
        and "script" not in article.body
    )
    staff_url = f"/kabar/staf/{article.pk}/"
    client.post(staff_url + "aksi/", {"action": "submit"})
    client.force_login(berau_editor)
    assert client.get(staff_url).status_code == 404
    assert client.post(staff_url + "aksi/", {"action": "approve"}).status_code == 404
    assert "Festival Erau" not in client.get("/kabar/staf/").content.decode()
    client.force_login(editor)
    assert (
        "Festival Erau" in client.get("/kabar/staf/?status=submitted").content.decode()
    )
    client.post(staff_url + "aksi/", {"action": "request_changes", "note": "Foto?"})
    article.refresh_from_db()
    assert article.status == "changes_requested"
    client.force_login(member)
    assert "Foto?" in client.get(staff_url).content.decode()
    client.post(staff_url + "aksi/", {"action": "submit"})
    client.force_login(editor)
    client.post(staff_url + "aksi/", {"action": "approve"})
    client.post(staff_url + "aksi/", {"action": "publish"})
    article.refresh_from_db()
    assert article.status == "published"
    assert AuditEntry.objects.filter(
        action="publish", object_id=str(article.pk)
    ).exists()
    assert client.get(f"/kabar/staf/{article.pk}/pratinjau/").status_code == 200


def test_staff_pages_need_sign_in(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    for url in ("/kabar/staf/", "/kabar/staf/tulis/", f"/kabar/staf/{published.pk}/",
                "/kabar/staf/jangkauan/"):  # fmt: skip
        assert client.get(url).status_code == 302


def test_image_upload_through_page(client: Client, member, kim) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = services.article_create(
        actor=member, kim=kim, kind="umkm", title="Tenun", lead="Tenun ulap doyo.",
        body="<p>Kain.</p>",
    )  # fmt: skip
    client.force_login(member)
    with photo() as f:
        client.post(
            f"/kabar/staf/{article.pk}/foto/",
            {"image": f, "caption": "Penenun", "credit": "KIM"},
        )
    assert article.images.count() == 1
    bad = client.post(
        f"/kabar/staf/{article.pk}/foto/",
        {"image": SimpleUploadedFile("x.jpg", b"not an image")},
    )
    assert bad.status_code == 302 and article.images.count() == 1


def test_cached_pages_keep_forms_working(published) -> None:  # type: ignore[no-untyped-def]
    """A whole page comes from the cache, with each visitor's own CSRF token."""
    import time

    from newsroom.forms import CommentForm

    url = published.get_absolute_url()
    Client().get(url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert "__SIMPUL_CSRF__" not in html
    stamp = CommentForm.new_stamp()
    time.sleep(0)
    response = visitor.post(
        url + "balas/",
        {"name": "Ani", "body": "Bagus", "stamp": stamp, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(name="Ani").exists()
    assert (
        Client(enforce_csrf_checks=True)
        .post(url + "balas/", {"name": "X", "body": "Y"})
        .status_code
        == 403
    )


def test_article_regions_typed_by_name(client: Client, member, kim) -> None:  # type: ignore[no-untyped-def]
    client.force_login(member)
    assert "data-region-picker" in client.get("/kabar/staf/tulis/").content.decode()
    response = client.post(
        "/kabar/staf/tulis/",
        {
            "author": f"kim:{kim.pk}",
            "kind": "budaya",
            "title": "Panen di Muara Aloh",
            "lead": "Panen raya.",
            "body": "Paragraf satu.",
            "regions": "Tenggarong Seberang; muara aloh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    codes = set(Article.objects.get().regions.values_list("kode", flat=True))
    assert {"64.02.16", "64.02.01.2003"} <= codes


def test_audience_regions_typed_by_name(
    client: Client, editor, published, channel_settings
) -> None:  # type: ignore[no-untyped-def]
    from newsroom.models import Dissemination

    client.force_login(editor)
    url = f"/kabar/staf/{published.pk}/sebarkan/"
    assert "data-region-picker" in client.get(url).content.decode()
    form = {"subscribers": "on", "channels": ["email"]}
    response = client.post(url, {**form, "region_codes": "Sumber Sari"})
    assert response.status_code == 200  # a village, and several of that name
    assert not Dissemination.objects.exists()
    response = client.post(url, {**form, "region_codes": "Kutai Kartanegara"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dissemination.objects.get().audience["region_codes"] == ["64.02"]
