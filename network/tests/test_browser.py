"""In a phone-sized browser: a coordinator reports an activity with a photo; a
trainee registers, checks in with the link of their QR code, takes the pre- and
post-test, downloads the certificate and verifies it on the public page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from network import services, venue_code
from network.models import Activity, Attendance, Certificate, QuizAttempt
from network.qr import qr_svg
from network.tests.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reports_an_activity_with_a_photo(
    page, live_server, sign_in, coordinator, kim
) -> None:
    sign_in(coordinator.email)
    page.click("text=laporkan kegiatan")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/kegiatan/baru/")
    page.select_option("select[name=kind]", "diseminasi")
    page.fill("input[name=title]", "Sosialisasi cek fakta di balai desa")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=place]", "Balai Kelurahan Jahab")
    page.fill("input[name=participants]", "32")
    page.set_input_files(
        "input[name=photos]",
        files=[
            {
                "name": "kegiatan.png",
                "mimeType": "image/png",
                "buffer": png_bytes((64, 48)),
            }
        ],
    )
    page.click("button[type=submit]")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/")
    assert "Kegiatan dilaporkan" in page.inner_text(".messages")
    assert "Sosialisasi cek fakta di balai desa" in page.inner_text("main")
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.participants == 32
    assert activity.photos.count() == 1


def test_trainee_checks_in_by_qr_takes_tests_and_downloads_certificate(
    page, live_server, make_event
) -> None:
    event = make_event(
        title="Pelatihan Literasi Digital Tenggarong",
        venue="Aula Kecamatan Tenggarong",
        starts_at=timezone.now() - timedelta(hours=1),
    )
    for text, choices in [
        (
            "Apa yang dilakukan saat menerima pesan berantai?",
            ["Cek sumbernya", "Langsung sebarkan"],
        ),
        ("Kode OTP boleh diberikan kepada …", ["Petugas bank", "Tidak siapa pun"]),
    ]:
        services.question_add(
            actor=None,
            event=event,
            text=text,
            choices=choices,
            correct=0 if text.startswith("Apa") else 1,
        )

    page.goto(live_server.url + f"/acara/{event.pk}/")
    page.fill("input[name=full_name]", "Siti Rahmawati")
    page.fill("input[name=phone]", "0812 0000 0081")
    page.click("button[type=submit]")
    page.wait_for_url("**/acara/peserta/*/")
    assert "Anda sudah terdaftar" in page.inner_text(".messages")

    # The QR code on the page encodes the check-in link
    # (the organiser scans it); at the venue the trainee types the screen's code.
    link = page.inner_text("#checkin-link-text")
    assert link and re.search(r"/acara/hadir/[\w-]+/$", link)
    path = re.compile(r'<path[^>]* d="([^"]+)"')
    assert path.findall(page.inner_html(".qr")) == path.findall(qr_svg(link))
    home = page.url
    page.fill(
        "input[name=code]",
        venue_code.current_code(event.checkin_token, event.pk, timezone.now()),
    )
    page.click("#venue-code-form button")
    page.wait_for_selector("text=Kehadiran tercatat")
    assert Attendance.objects.get().method == Attendance.Method.QR

    for phase, right in (("pre", 1), ("post", 2)):
        page.goto(home)
        page.click(f"text=kerjakan {phase}-test")
        for i, question in enumerate(event.questions.prefetch_related("choices")):
            choices = list(question.choices.all())
            pick = next(c for c in choices if c.is_correct == (i < right))
            page.check(f"input[name=q{question.pk}][value='{pick.pk}']")
        page.click("button[type=submit]")
        page.wait_for_url(home)
        assert "Tes terkirim" in page.inner_text(".messages")
    assert dict(QuizAttempt.objects.values_list("phase", "score")) == {
        "pre": 50,
        "post": 100,
    }
    assert "Kenaikan nilai Anda: 50 poin" in page.inner_text("main")

    with page.expect_download() as download:
        page.click("#certificate-link")
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    code = Certificate.objects.get().code

    page.goto(live_server.url + "/sertifikat/cek/")
    page.fill("input[name=kode]", code)
    page.click("form.filters button")
    page.wait_for_selector("#verified")
    assert "Siti Rahmawati" in page.inner_text("#verified")
    assert "Pelatihan Literasi Digital Tenggarong" in page.inner_text("#verified")


def test_public_map_shows_the_demo_kims(page, live_server, kaltim) -> None:
    from network.demo import load_demo
    from network.models import Kim

    load_demo()
    page.goto(live_server.url + "/kim/")
    page.click("[data-map-load]")  # maps load when asked (or scrolled to)
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map path.kim-marker").count() == Kim.objects.count() >= 10
    page.select_option("select[name=kabupaten]", "64.02")
    # A locator wait, not wait_for_function: the CSP refuses string evaluation.
    expect(page.locator("#map path.kim-marker")).to_have_count(3)
    assert "KIM Jahab Informatif" in page.inner_text("#kim-results table")
    assert "KIM Manggar Pesisir" not in page.inner_text("#kim-results table")
