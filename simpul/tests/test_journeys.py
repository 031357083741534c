"""The journey suite (issue 15): each person's main journey, walked in Chromium on
the demo data, checking what the person sees and what the database holds after.

Citizens and volunteers walk on a 360 px phone, staff on a desktop screen. Each
journey loads only the demo loaders it needs (the same ones ``manage.py
load_demo`` runs) so it stays under about 30 s; the single-step browser tests
of each app stay beside that app.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "rahasia-Kaltim-2026"  # the sign_in fixture's


def _demo_accounts() -> None:
    """The demo accounts, with the test password (the demo shows random ones)."""
    from accounts.models import User
    from accounts.services import demo_accounts_ensure

    demo_accounts_ensure()
    for user in User.objects.filter(email__endswith="@demo.simpul.id"):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _eventually(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    """What a request the page sent wrote, once it has (the page may show its
    answer a moment before the server's transaction is visible to the test)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except Exception:
            if time.monotonic() > deadline:
                raise
        else:
            if value or time.monotonic() > deadline:
                return value
        time.sleep(0.2)


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_citizen_checks_a_hoax_registers_reports_no_signal_and_asks_ppid(
    page, live_server
) -> None:  # type: ignore[no-untyped-def]
    from connectivity.models import Observation
    from datahub import services as datahub
    from factcheck.demo import demo_ensure
    from factcheck.models import MatchPair
    from network.demo import load_demo
    from network.models import Participant
    from regions.models import Region

    demo_ensure()
    load_demo()
    # The PPID office of the demo's Kecamatan Tenggarong (datahub/demo.py).
    datahub.office_ensure(
        region=Region.objects.get(kode="64.02.06"),
        kind="kecamatan",
        name="Kecamatan Tenggarong",
    )
    page.set_viewport_size(PHONE)

    # 1. A forwarded message: is it a hoax?
    page.goto(live_server.url + "/")
    page.click("header details.menu summary")  # the phone's folded menu
    page.click("header nav >> text=Cek fakta")
    page.wait_for_url("**/cek-fakta/")
    page.fill(
        "textarea[name=text]",
        "katanya tower sinyal baru di kampung bikin kanker, tolak aja",
    )
    page.click("#tip-box button[type=submit]")
    result = page.locator("#tip-result")
    expect(result).to_contain_text("Apakah salah satu ini pesan yang Anda terima?")
    _fits(page)
    result.locator(".fc-candidates li").first.locator("button").click()
    expect(result).to_contain_text("SALAH")
    assert _eventually(lambda: MatchPair.objects.get()).source == "tipster_web"

    # 2. Registers for the coming training.
    page.goto(live_server.url + "/acara/")
    page.click("text=Pelatihan Literasi Digital Angkatan II")
    page.wait_for_url("**/acara/*/")
    _fits(page)
    page.fill("input[name=full_name]", "Siti Warga Tenggarong")
    page.fill("input[name=phone]", "0812 7777 0015")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/acara/peserta/*/")
    assert "Anda sudah terdaftar" in page.inner_text(".messages")
    _fits(page)
    participant = Participant.objects.get(person__full_name="Siti Warga Tenggarong")
    assert participant.event.title == "Pelatihan Literasi Digital Angkatan II"
    # The online session is reached through the participant's own link only.
    assert "meet.example.org" not in page.content()
    assert page.locator("#online-link").count() == 1

    # 3. No signal at the river port.
    page.goto(live_server.url + "/sinyal/lapor/?desa=64.02.12.2005")
    assert "Tidak ada sinyal" in page.inner_text("h1")
    page.select_option("select[name=technology]", "none")
    page.fill("textarea[name=note]", "Di dermaga tidak ada sinyal sama sekali")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-status.ok")
    _fits(page)
    expect(page.locator("#report-waiting")).to_have_text("")
    obs = _eventually(lambda: Observation.objects.get(note="Di dermaga tidak ada sinyal sama sekali"))
    assert obs.region_id == "64.02.12.2005" and obs.status == "unconfirmed"

    # 4. Asks the kecamatan for public information (PPID).
    page.goto(live_server.url + "/ppid/ajukan/")
    page.select_option("select[name=office]", label="Kecamatan Tenggarong")
    page.fill("input[name=requester_name]", "Siti Warga Tenggarong")
    page.fill("input[name=requester_address]", "Jl. Pesut 12, Tenggarong")
    page.fill("input[name=requester_email]", "siti.warga@example.org")
    page.fill("input[name=requester_phone]", "0812 7777 0015")
    page.fill("textarea[name=information]", "Anggaran kegiatan posyandu tahun 2025.")
    page.fill("textarea[name=purpose]", "Penelitian.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ppid/lacak/**")
    _fits(page)
    from datahub.models import InfoRequest

    request = InfoRequest.objects.get(requester_email="siti.warga@example.org")
    assert request.tracking_number.startswith("PPID-64.02.06-")
    assert request.tracking_number in page.inner_text("main")
