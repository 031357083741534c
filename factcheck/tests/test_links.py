"""Link tips: the linked page's metadata read in a task, matched with the text,
a better answer sent once; pages that cannot be read leave the tip as it was."""

from collections.abc import Iterator

import pytest
from django.test import Client

from accounts.models import Role
from channels.models import OutboxMessage
from factcheck import links, services
from factcheck.models import Channel, Claim, Decision, FactCheck, Tip
from factcheck.services.links import link_reply_key
from factcheck.tasks import tip_link_read_task
from factcheck.tests.conftest import tip_from
from factcheck.tests.pages import PageServer, start_page_server

pytestmark = pytest.mark.django_db

TOWER_TITLE = "Menara BTS baru di desa-desa Kukar menyebabkan kanker"
PAGE = f"""<!doctype html><html><head><title>Berita Viral Hari Ini</title>
<meta property="og:title" content="{TOWER_TITLE}">
<meta property="og:description" content="Tower BTS program Kukar bebas blankspot
 memancarkan radiasi yang menyebabkan kanker, warga diminta menolak.">
<meta property="og:site_name" content="Portal Kabar">
<meta name="description" content="dipakai hanya tanpa og:description">
</head><body><p>isi</p></body></html>"""


@pytest.fixture
def site(settings) -> Iterator[PageServer]:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]  # the fake site is on loopback
    server = start_page_server()
    server.pages["/berita"] = ("text/html; charset=utf-8", PAGE)
    yield server
    server.close()


def send_link(capture, text: str) -> Tip:
    """A tip sent on Telegram; its link is read once the tip is committed."""
    with capture(execute=True):
        outcome = tip_from(Channel.TELEGRAM, "5550001", text=text, send_reply=True)
    assert outcome.tip is not None
    return Tip.objects.get(pk=outcome.tip.pk)


def test_metadata_is_parsed_og_first() -> None:
    meta = links.page_meta_parse(PAGE)
    assert meta.title == TOWER_TITLE
    assert meta.description.startswith("Tower BTS program Kukar bebas blankspot mem")
    assert meta.site == "Portal Kabar"
    plain = links.page_meta_parse(
        "<title> Judul &amp; biasa </title><meta name=description content=Ringkas>"
    )
    assert (plain.title, plain.description, plain.site) == (
        "Judul & biasa",
        "Ringkas",
        "",
    )


def test_url_is_found_in_the_text() -> None:
    assert links.url_find("cek ini (https://a.example/x?y=1).") == (
        "https://a.example/x?y=1"
    )
    assert links.url_find("tanpa tautan sama sekali") == ""
    assert links.url_find("ftp://a.example/berkas") == ""


def test_a_tip_of_just_the_link_ends_up_matched_and_answered_once(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    tip = send_link(django_capture_on_commit_callbacks, f"{site.url}/berita")
    tower = FactCheck.objects.get(external_id="t-tower")
    assert tip.link_title == TOWER_TITLE and tip.link_site == "Portal Kabar"
    assert tip.link_error == "" and tip.link_fetched_at is not None
    assert tip.decision == Decision.MATCH and tip.matched == tower
    assert tip.claim.factcheck == tower
    assert tip.claim.status == Claim.Status.PUBLISHED
    improved = OutboxMessage.objects.get(dedupe_key=link_reply_key(tip.pk))
    assert "SALAH" in improved.body and tower.title in improved.body
    # The first answer went too, before the page was read.
    assert OutboxMessage.objects.filter(origin="factcheck").count() == 2

    # Run again (a retried task): nothing is fetched or sent again.
    requests = len(site.requests)
    assert tip_link_read_task.enqueue(tip.pk).return_value == "skipped"
    assert services.tip_link_read(tip_id=tip.pk) == "skipped"
    assert len(site.requests) == requests
    assert OutboxMessage.objects.filter(origin="factcheck").count() == 2


def test_the_answer_is_sent_once_even_if_stored_twice(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        outcome = tip_from(
            Channel.TELEGRAM, "5550002", text=f"{site.url}/berita", send_reply=True
        )
    assert outcome.tip is not None
    assert services.tip_link_read(tip_id=outcome.tip.pk) == "improved"
    # Two workers that both fetched before either stored: the second stores
    # nothing, and even a forced second send is deduplicated.
    Tip.objects.filter(pk=outcome.tip.pk).update(link_fetched_at=None)
    services.tip_link_read(tip_id=outcome.tip.pk)
    key = link_reply_key(outcome.tip.pk)
    assert OutboxMessage.objects.filter(dedupe_key=key).count() == 1


def test_a_tip_without_a_link_reads_nothing(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    tip = send_link(django_capture_on_commit_callbacks, "Kata orang jembatan retak")
    assert tip.link_url == "" and tip.link_fetched_at is None
    assert site.requests == []


@pytest.mark.parametrize(
    "setup, error",
    [
        ("private", "address not allowed"),
        ("slow", "timed out"),
        ("huge", "larger than 1048576 bytes"),
        ("not_html", "not a web page"),
        ("missing", "HTTP 404"),
    ],
)
def test_a_page_that_cannot_be_read_leaves_the_tip_as_it_was(
    corpus, site, settings, django_capture_on_commit_callbacks, setup, error
) -> None:
    url = f"{site.url}/{setup}"
    if setup == "private":
        settings.FETCH_ALLOWED_HOSTS = []  # 127.0.0.1 is refused like any
    elif setup == "slow":
        site.delays["/slow"] = 6
        site.pages["/slow"] = ("text/html", PAGE)
    elif setup == "huge":
        site.huge["/huge"] = 2 * 1024 * 1024 * 1024
    elif setup == "not_html":
        site.pages["/not_html"] = ("application/pdf", PAGE)
    tip = send_link(django_capture_on_commit_callbacks, f"Benarkah ini? {url}")
    assert tip.link_url == url
    assert tip.link_error == error
    assert (tip.link_title, tip.link_description, tip.link_site) == ("", "", "")
    assert tip.decision == Decision.NONE and tip.matched is None
    assert not OutboxMessage.objects.filter(dedupe_key=link_reply_key(tip.pk))
    if setup == "slow":  # may answer later: left unread, to be tried again
        assert tip.link_fetched_at is None
    else:
        assert tip.link_fetched_at is not None
        assert services.tip_link_read(tip_id=tip.pk) == "skipped"


def test_a_site_that_was_down_is_read_again_later_and_answered_once(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from factcheck.services.links import tip_links_retry_due

    site.statuses["/berita"] = 503
    tip = send_link(django_capture_on_commit_callbacks, f"{site.url}/berita")
    assert (tip.link_error, tip.link_fetched_at) == ("HTTP 503", None)
    assert tip_links_retry_due() == 0  # too soon after the tip
    later = timezone.now() + timedelta(minutes=11)
    assert tip_links_retry_due(now=later) == 1  # tried again: still down
    assert Tip.objects.get(pk=tip.pk).link_fetched_at is None

    del site.statuses["/berita"]  # the site is back
    with django_capture_on_commit_callbacks(execute=True):
        assert tip_links_retry_due(now=later) == 1
    tip.refresh_from_db()
    assert tip.link_fetched_at is not None and tip.link_error == ""
    assert tip.link_title == TOWER_TITLE
    assert tip.decision != Decision.NONE
    assert OutboxMessage.objects.filter(dedupe_key=link_reply_key(tip.pk)).count() == 1
    assert tip_links_retry_due(now=later) == 0
    assert services.tip_link_read(tip_id=tip.pk) == "skipped"


def test_a_site_down_for_hours_is_given_up(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    site.statuses["/berita"] = 502
    tip = send_link(django_capture_on_commit_callbacks, f"{site.url}/berita")
    assert tip.link_fetched_at is None
    Tip.objects.filter(pk=tip.pk).update(
        received_at=tip.received_at - timedelta(hours=3)
    )
    assert services.tip_link_read(tip_id=tip.pk) == "error"
    tip.refresh_from_db()
    assert tip.link_fetched_at is not None and tip.link_error == "HTTP 502"
    assert not OutboxMessage.objects.filter(dedupe_key=link_reply_key(tip.pk))


def test_the_desk_sees_the_linked_page_or_why_it_was_not_read(
    client: Client, corpus, site, make_user, django_capture_on_commit_callbacks
) -> None:
    read = send_link(django_capture_on_commit_callbacks, f"{site.url}/berita")
    failed = send_link(django_capture_on_commit_callbacks, f"cek {site.url}/hilang")
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get(read.claim.get_absolute_url()).content.decode()
    assert "Halaman tautan:" in html and f"Portal Kabar: {TOWER_TITLE}" in html
    html = client.get(failed.claim.get_absolute_url()).content.decode()
    assert "Tautan tidak terbaca: HTTP 404" in html


def test_a_web_tip_is_matched_again_without_a_message(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.tip_submit(channel=Channel.WEB, text=f"{site.url}/berita")
    assert outcome.tip is not None
    tip = Tip.objects.get(pk=outcome.tip.pk)
    assert tip.decision == Decision.MATCH and tip.link_title == TOWER_TITLE
    assert not OutboxMessage.objects.exists()


def test_the_web_form_shows_the_answer_once_the_page_is_read(corpus, site) -> None:
    """The result box says the link is being read and polls a signed address
    until the task has read it; then it shows the verdict, and stops."""
    client = Client()
    response = client.post(
        "/cek-fakta/", {"text": f"{site.url}/berita"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Membaca halaman" in body and "Belum pernah diperiksa" not in body
    tip = Tip.objects.get()
    assert tip.link_fetched_at is None  # the task runs after the commit
    poll = body.split('hx-get="', 1)[1].split('"', 1)[0]
    assert poll.startswith("/cek-fakta/tautan/") and str(tip.pk) not in poll[18:20]

    waiting = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 3s"' in waiting

    assert services.tip_link_read(tip_id=tip.pk) == "improved"
    done = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert Tip.objects.get().matched.title in done  # type: ignore[union-attr]
    assert "Sudah pernah diperiksa" in done

    page = client.get(poll)  # without JavaScript: the whole tip page
    assert page.status_code == 200 and "<html" in page.content.decode()

    forged = poll.rstrip("/").rsplit("/", 1)[0] + "/1:forged/"
    assert client.get(forged).status_code == 404


def test_the_web_form_stops_waiting_for_a_page_that_is_never_read(corpus, site) -> None:
    from datetime import timedelta

    from factcheck.views import link_watch_token

    client = Client()
    site.statuses["/berita"] = 503
    client.post("/cek-fakta/", {"text": f"{site.url}/berita"})
    tip = Tip.objects.get()
    Tip.objects.filter(pk=tip.pk).update(
        received_at=tip.received_at - timedelta(minutes=3)
    )
    done = client.get(
        f"/cek-fakta/tautan/{link_watch_token(tip)}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-trigger" not in done and "Belum pernah diperiksa" in done


def test_a_page_that_settles_the_match_closes_the_question_put_to_the_sender(
    corpus, site, django_capture_on_commit_callbacks
) -> None:
    """Asked "is it one of these?" on the text alone, the sender's linked page
    then makes the match sure: the answer comes, the question closes, and a
    late press changes nothing."""
    from factcheck.models import ConfirmationState, TipConfirmation
    from factcheck.services.confirmations import confirmation_answer

    paraphrase = "katanya tower sinyal baru di kampung bikin kanker, tolak aja"
    with django_capture_on_commit_callbacks(execute=False):
        outcome = tip_from(
            Channel.TELEGRAM,
            "5550009",
            text=f"{paraphrase} {site.url}/berita",
            send_reply=True,
        )
    assert outcome.tip is not None and outcome.decision == Decision.SUGGEST
    question = TipConfirmation.objects.get(tip=outcome.tip)
    assert question.state == ConfirmationState.PENDING

    assert services.tip_link_read(tip_id=outcome.tip.pk) == "improved"
    tip = Tip.objects.get(pk=outcome.tip.pk)
    tower = FactCheck.objects.get(external_id="t-tower")
    assert tip.decision == Decision.MATCH and tip.matched == tower
    assert tip.claim.status == Claim.Status.PUBLISHED
    question.refresh_from_db()
    assert question.state == ConfirmationState.UNKNOWN

    late = confirmation_answer(
        token=question.token, choice=2, channel=Channel.TELEGRAM, contact="5550009"
    )
    assert late.state == "closed"
    assert Tip.objects.get(pk=tip.pk).matched == tower
