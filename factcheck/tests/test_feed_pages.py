"""The staff page of the scheduled fact-check feeds, through the test client,
importing from a local fake server."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.models import AuditEntry, Role
from factcheck import services
from factcheck.models import FactCheck, FeedSource
from factcheck.tests.test_feeds import REVIEWS

pytestmark = pytest.mark.django_db

PAGE = "/staf/cek-fakta/umpan/"


def feed_audit(action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="factcheck.feedsource", action=action)
    )


def test_feeds_page_is_for_the_province_desk_only(client: Client, make_user) -> None:
    assert client.get(PAGE).status_code == 302  # to sign in
    for role, region in (
        (Role.KIM_MEMBER, "64.02.06"),
        (Role.EDITOR, "64"),
        (Role.REGENCY_ADMIN, "64.03"),
        (Role.FACT_CHECKER, "64.03"),  # feeds fill the whole province's archive
    ):
        user = make_user(role, region)
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert (
            client.post(
                PAGE, {"name": "X", "url": "https://x.example/f", "format": "rss"}
            ).status_code
            == 403
        )
        with pytest.raises(PermissionDenied):
            services.feed_create(
                actor=user, name="X", url="https://x.example/f", format="rss"
            )
    assert not FeedSource.objects.exists()
    for role in (Role.FACT_CHECKER, Role.PROVINCE_ADMIN):
        client.force_login(make_user(role, "64"))
        assert client.get(PAGE).status_code == 200
        assert PAGE in client.get("/staf/cek-fakta/").content.decode()


def test_a_feed_is_added_listed_and_audited(client: Client, make_user) -> None:
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    client.force_login(admin)
    response = client.post(
        PAGE,
        {
            "name": "Cek Fakta Contoh",
            "url": "https://cekfakta.example/feed.xml",
            "format": "rss",
            "publisher": " TBH Contoh ",
        },
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    feed = FeedSource.objects.get()
    assert (feed.name, feed.url, feed.format, feed.publisher, feed.active) == (
        "Cek Fakta Contoh",
        "https://cekfakta.example/feed.xml",
        "rss",
        "TBH Contoh",
        True,
    )
    [entry] = feed_audit("create")
    assert entry.actor == admin and entry.changes["url"] == feed.url
    html = client.get(PAGE).content.decode()
    assert "Umpan ditambahkan." in html
    assert "Cek Fakta Contoh" in html and "RSS/Atom" in html and "TBH Contoh" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "bukan alamat"}, "Masukkan URL yang valid."),
        ({"url": "ftp://cekfakta.example/feed"}, "diawali http:// atau https://"),
        ({"format": "atom-xml"}, "Masukkan pilihan yang valid."),
        ({"name": ""}, "Bidang ini tidak boleh kosong."),
        ({"url": "https://ada.example/feed"}, "Umpan dengan URL telah ada."),
    ],
)
def test_bad_feeds_are_refused_with_an_indonesian_error(
    client: Client, make_user, data: dict, message: str
) -> None:
    FeedSource.objects.create(name="Ada", url="https://ada.example/feed", format="rss")
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    response = client.post(
        PAGE,
        {"name": "Baru", "url": "https://baru.example/f", "format": "rss", **data},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(FeedSource.objects.values_list("name", flat=True)) == ["Ada"]
    assert not feed_audit("create")


def test_a_feed_is_turned_off_and_on_imported_now_and_deleted(
    client: Client, make_user, feed_server, django_capture_on_commit_callbacks, settings
) -> None:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]  # the fake server is on loopback
    feed_server.pages["/claimreview.json"] = (
        "application/ld+json",
        json.dumps(REVIEWS),
    )
    checker = make_user(Role.FACT_CHECKER, "64")
    client.force_login(checker)
    feed = services.feed_create(
        actor=checker,
        name="CR",
        url=feed_server.url + "/claimreview.json",
        format="claimreview",
    )
    base = f"{PAGE}{feed.pk}"
    assert client.get(f"{base}/impor/").status_code == 405

    assert client.post(f"{base}/aktif/", {"active": "0"}).status_code == 302
    feed.refresh_from_db()
    assert not feed.active
    assert feed_audit("update")[0].changes == {"active": [True, False]}
    # An inactive feed is not imported, not even on request.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}/impor/")
    assert (
        "Aktifkan umpan ini sebelum mengimpornya." in client.get(PAGE).content.decode()
    )
    assert not feed_server.requests and not FactCheck.objects.exists()

    client.post(f"{base}/aktif/", {"active": "1"})
    feed.refresh_from_db()
    assert feed.active
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{base}/impor/")
    assert response.status_code == 302 and len(callbacks) == 1
    assert not feed_server.requests  # nothing is fetched within the request
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the commit: the worker's task runs
    assert [r.path for r in feed_server.requests] == ["/claimreview.json"]
    assert FactCheck.objects.count() == 2
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None and feed.last_result.startswith("2 baru")
    html = client.get(PAGE).content.decode()
    assert "Impor diminta" in html and "2 baru, 0 berubah" in html
    assert feed_audit("other")[0].actor == checker

    response = client.post(f"{base}/hapus/")
    assert response.status_code == 302
    assert not FeedSource.objects.exists()
    assert feed_audit("delete")[0].changes == {"url": feed.url}
    assert FactCheck.objects.count() == 2  # what it brought stays
    assert client.post(f"{base}/hapus/").status_code == 404
    assert client.post(f"{PAGE}999/bongkar/").status_code == 404


def test_feed_actions_are_closed_to_others(client: Client, make_user) -> None:
    feed = FeedSource.objects.create(
        name="CR", url="https://cr.example/feed", format="claimreview"
    )
    client.force_login(make_user(Role.FACT_CHECKER, "64.03"))
    for action in ("aktif", "impor", "hapus"):
        assert client.post(f"{PAGE}{feed.pk}/{action}/").status_code == 403
    feed.refresh_from_db()
    assert (
        feed.active
        and not AuditEntry.objects.filter(object_type="factcheck.feedsource").exists()
    )
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(make_user(Role.FACT_CHECKER, "64"))
    assert csrf.post(f"{PAGE}{feed.pk}/hapus/").status_code == 403
    assert FeedSource.objects.filter(pk=feed.pk).exists()
