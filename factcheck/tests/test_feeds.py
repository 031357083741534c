"""Scheduled feed imports, fetched from a local server."""

import json

import pytest

from factcheck.models import FactCheck, FeedSource
from factcheck.tasks import feeds_import_due_task

pytestmark = pytest.mark.django_db

REVIEWS = [
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://cekfakta.example/feed/{n}",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "Cek Fakta Contoh"},
        "datePublished": f"2024-06-0{n}",
        "reviewRating": {"@type": "Rating", "alternateName": verdict},
    }
    for n, (claim, verdict) in enumerate(
        [
            ("Gempa besar akan melanda Balikpapan malam ini", "Hoaks"),
            ("Foto banjir Samarinda ternyata dari tahun 2019", "Konteks Keliru"),
        ],
        start=1,
    )
]
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>TBH Contoh</title>
<item><title>[SALAH] Pesut Mahakam dipasangi wifi</title>
<link>https://tbh.example/?p=9</link><guid>https://tbh.example/?p=9</guid>
<pubDate>Tue, 12 Jul 2022 10:00:00 +0800</pubDate></item></channel></rss>"""


def test_feeds_are_fetched_and_imported(feed_server, settings) -> None:
    # The fake server is on loopback, which the fetcher refuses unless listed.
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    feed_server.pages["/claimreview.json"] = (
        "application/ld+json",
        json.dumps(REVIEWS),
    )
    feed_server.pages["/feed.xml"] = ("application/rss+xml", RSS)
    cr = FeedSource.objects.create(
        name="CR", url=feed_server.url + "/claimreview.json", format="claimreview"
    )
    rss = FeedSource.objects.create(
        name="RSS", url=feed_server.url + "/feed.xml", format="rss", publisher="TBH"
    )
    broken = FeedSource.objects.create(
        name="404", url=feed_server.url + "/gone", format="rss"
    )
    FeedSource.objects.create(
        name="off", url=feed_server.url + "/off", format="rss", active=False
    )
    assert feeds_import_due_task.call() == 3
    assert FactCheck.objects.count() == 3
    assert FactCheck.objects.get(external_id="https://tbh.example/?p=9").publisher == (
        "TBH"
    )
    cr.refresh_from_db()
    rss.refresh_from_db()
    broken.refresh_from_db()
    assert cr.last_result.startswith("2 baru") and rss.last_result.startswith("1 baru")
    assert broken.last_result.startswith("galat: HTTP 404")
    feeds_import_due_task.call()
    cr.refresh_from_db()
    assert cr.last_result.startswith("0 baru, 0 berubah, 2 tetap")
    assert not any("/off" in r.path for r in feed_server.requests)


def test_a_feed_on_the_servers_own_network_is_not_fetched(feed_server) -> None:
    # No FETCH_ALLOWED_HOSTS: a feed typed as a loopback address is refused
    # before any connection, and the stored error tells nothing about the port.
    feed_server.pages["/feed.xml"] = ("application/rss+xml", RSS)
    feed = FeedSource.objects.create(
        name="internal", url=feed_server.url + "/feed.xml", format="rss"
    )
    feeds_import_due_task.call()
    feed.refresh_from_db()
    assert feed.last_result == "galat: alamat tidak diizinkan"
    assert not feed_server.requests and not FactCheck.objects.exists()


def test_a_feeds_pictures_are_fetched_once_and_answer_image_tips(
    feed_server, settings, django_capture_on_commit_callbacks
) -> None:
    """An RSS item's image enclosure and a ClaimReview's image are fetched
    after the import and attached as imported pictures; a tip of the same
    picture then matches the fact-check. A second import fetches nothing; a
    picture that is gone or not a picture leaves the fact-check as it was."""
    from factcheck import services
    from factcheck.models import FactCheckImage, ImageSource
    from factcheck.tests.screenshots import degrade, png_bytes, render_chat

    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    hoax = render_chat("Pesut Mahakam kini dipasangi wifi gratis oleh Pemkot", seed=4)
    url = feed_server.url
    feed_server.pages["/pesut.png"] = ("image/png", png_bytes(hoax))
    feed_server.pages["/bukan.png"] = ("image/png", b"<html>not a picture</html>")
    feed_server.pages["/feed.xml"] = (
        "application/rss+xml",
        RSS.replace(
            "</guid>",
            f'</guid><enclosure url="{url}/pesut.png" type="image/png" length="1"/>',
        ).replace(
            "</channel>",
            "<item><title>[HOAKS] Gambar rusak</title><link>https://tbh.example/?p=10"
            f'</link><description>&lt;img src="{url}/bukan.png"&gt;</description>'
            "</item><item><title>[HOAKS] Gambar hilang</title>"
            f'<link>https://tbh.example/?p=11</link><enclosure url="{url}/hilang.png"'
            ' type="image/jpeg" length="1"/></item></channel>',
        ),
    )
    review = {
        **REVIEWS[0],
        "image": {"@type": "ImageObject", "url": f"{url}/pesut.png"},
    }
    feed_server.pages["/cr.json"] = ("application/ld+json", json.dumps([review]))
    FeedSource.objects.create(
        name="RSS", url=url + "/feed.xml", format="rss", publisher="TBH"
    )
    FeedSource.objects.create(name="CR", url=url + "/cr.json", format="claimreview")
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_import_due_task.call() == 2
    assert FactCheck.objects.count() == 4
    pesut = FactCheck.objects.get(external_id="https://tbh.example/?p=9")
    review_fc = FactCheck.objects.get(url=REVIEWS[0]["url"])
    for fc in (pesut, review_fc):
        assert fc.images.get().source == ImageSource.IMPORTED
    assert FactCheckImage.objects.count() == 2  # not the broken nor the gone one

    fetched = [r.path for r in feed_server.requests if r.path.endswith(".png")]
    with django_capture_on_commit_callbacks(execute=True):
        feeds_import_due_task.call()
    again = [r.path for r in feed_server.requests if r.path.endswith(".png")]
    assert again == fetched  # nothing new or changed: no picture fetched

    FactCheck.objects.filter(pk=pesut.pk).update(status=FactCheck.Status.PUBLISHED)
    outcome = services.tip_submit(channel="web", text="", image=degrade(hoax, seed=40))
    assert outcome.decision == "match"
    assert outcome.factcheck is not None and outcome.factcheck.pk in {
        pesut.pk,
        review_fc.pk,
    }
