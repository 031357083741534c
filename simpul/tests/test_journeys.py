"""The journey suite (issue 15): each person's main journey, walked in Chromium on
the demo data, checking what the person sees and what the database holds after.

Citizens and volunteers walk on a 360 px phone, staff on a desktop screen. Each
journey loads only the demo loaders it needs (the same ones ``manage.py
load_demo`` runs) so it stays under about 30 s; the single-step browser tests
of each app stay beside that app.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factcheck.tests.desk_steps import verdict_draft

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


def _e164(phone: str) -> str:
    from network.services._common import clean_phone

    return clean_phone(phone) or ""


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
    obs = _eventually(
        lambda: Observation.objects.get(note="Di dermaga tidak ada sinyal sama sekali")
    )
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


def test_kim_member_reports_an_activity_and_writes_a_story(
    page, live_server, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import User
    from network.demo import MEMBER_EMAIL, load_demo
    from network.models import Activity, Kim
    from newsroom.models import Article

    _demo_accounts()
    load_demo()
    kim = Kim.objects.get(name="KIM Jahab Informatif")
    page.set_viewport_size(PHONE)

    # 1. Reports what the KIM did, from the staff home's KIM panel.
    sign_in(MEMBER_EMAIL)
    page.click("#member-of >> text=laporkan kegiatan")
    page.wait_for_url(f"**/staf/kim/{kim.pk}/kegiatan/baru/")
    _fits(page)
    page.select_option("select[name=kind]", "diseminasi")
    page.fill("input[name=title]", "Sosialisasi cek fakta di balai desa Jahab")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=place]", "Balai Kelurahan Jahab")
    page.fill("input[name=participants]", "27")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staf/")
    assert "Kegiatan dilaporkan" in page.inner_text(".messages")
    activity = Activity.objects.get(title="Sosialisasi cek fakta di balai desa Jahab")
    assert activity.kim == kim and activity.status == Activity.Status.SUBMITTED
    assert activity.reported_by == User.objects.get(email=MEMBER_EMAIL)
    assert activity.participants == 27

    # 2. Writes a story for the KIM and submits it for review.
    page.goto(live_server.url + "/kabar/staf/tulis/")
    _fits(page)
    page.select_option("select[name=author]", f"kim:{kim.pk}")
    page.select_option("select[name=kind]", "umkm")
    page.fill("input[name=title]", "Amplang Ikan Pipih dari Jahab")
    page.fill("textarea[name=lead]", "Ibu-ibu Jahab membuat amplang ikan pipih.")
    page.fill("textarea[name=body]", "Amplang digoreng tiap pagi.\n\nDijual di pasar.")
    page.click("#article-form button[type=submit]")
    page.wait_for_selector("#article-status")
    page.click("button[value=submit]")
    page.wait_for_selector("text=Diajukan untuk ditinjau")
    article = Article.objects.get(title="Amplang Ikan Pipih dari Jahab")
    assert article.kim == kim and article.status == Article.Status.SUBMITTED


def test_fact_checker_and_reviewer_publish_a_verdict_to_the_kim_network(
    page, live_server, sign_in, make_user
) -> None:  # type: ignore[no-untyped-def]
    from factcheck.demo import demo_ensure
    from factcheck.models import Claim
    from factcheck.tests.conftest import NEW_RUMOUR
    from newsroom.models import Dissemination

    _demo_accounts()
    demo_ensure()
    make_user("fact_checker", "64", email="peninjau@example.org")

    # A citizen asks about a new rumour (phone).
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/cek-fakta/")
    page.fill("textarea[name=text]", NEW_RUMOUR)
    page.select_option("select[name=region]", "64.02")
    page.click("#tip-box button[type=submit]")
    page.wait_for_selector("#tip-result")
    claim = _eventually(lambda: Claim.objects.get(text__contains="Kota Bangun"))

    # The fact-checker drafts the verdict (desktop).
    page.set_viewport_size(DESKTOP)
    sign_in("cekfakta@demo.simpul.id")
    page.goto(live_server.url + "/staf/cek-fakta/")
    # The demo desk is busy: she searches for the new rumour.
    page.fill("input[name=q]", "Kota Bangun")
    page.click(f"#claim-rows a[href='/staf/cek-fakta/klaim/{claim.pk}/']")
    page.wait_for_url(f"**/staf/cek-fakta/klaim/{claim.pk}/")
    verdict_draft(
        page,
        title="Jembatan Kota Bangun tidak ditutup",
        explanation="Dinas PU memastikan jembatan tetap dibuka; tidak ada retak.",
        conclusion="Kabar penutupan permanen jembatan Kota Bangun adalah hoaks.",
    )

    # A second person reviews and publishes it, also to the KIM network.
    sign_in("peninjau@example.org")
    page.goto(live_server.url + f"/staf/cek-fakta/klaim/{claim.pk}/")
    page.click("#review")
    page.wait_for_selector("form#publish")
    page.check("form#publish input[name=to_network]")
    page.click("form#publish button[type=submit]")
    page.wait_for_url("**/staf/cek-fakta/jaringan/*/")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.reviewed_by.email == "peninjau@example.org"
    assert claim.drafted_by.email == "cekfakta@demo.simpul.id"
    factcheck = claim.factcheck
    assert factcheck.is_published
    sending = Dissemination.objects.get(item_ref=f"factcheck:{factcheck.pk}")
    assert "64.02" in str(sending.audience)
    # The page shows where it went, by region name.
    expect(page.locator(".network-regions").first).to_contain_text("Kutai Kartanegara")

    # The public sees the verdict.
    page.context.clear_cookies()
    page.goto(live_server.url + factcheck.get_absolute_url())
    assert "Jembatan Kota Bangun tidak ditutup" in page.inner_text("h1")


def test_editor_writes_publishes_and_disseminates_an_article(
    page, live_server, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from newsroom.demo import load_demo
    from newsroom.models import Article, Dissemination

    _demo_accounts()
    load_demo()
    page.set_viewport_size(DESKTOP)
    sign_in("redaksi@demo.simpul.id")
    page.goto(live_server.url + "/kabar/staf/tulis/")
    page.select_option("select[name=kind]", index=1)
    page.fill("input[name=title]", "Jadwal Layanan Adminduk Keliling Kukar")
    page.fill("textarea[name=lead]", "Disdukcapil membuka layanan keliling.")
    page.fill("textarea[name=body]", "Layanan dibuka di kantor camat.\n\nBawa KK.")
    page.click("#article-form button[type=submit]")
    page.wait_for_selector("#article-status")
    article = Article.objects.get(title="Jadwal Layanan Adminduk Keliling Kukar")
    for action in ("submit", "approve", "publish"):
        page.click(f"button[value={action}]")
        page.wait_for_load_state()
        page.wait_for_selector("#article-status")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    page.click("text=Sebarkan ke sasaran")
    page.wait_for_url(f"**/kabar/staf/{article.pk}/sebarkan/")
    page.check("input[name=channels][value=email]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kabar/staf/**")
    sending = Dissemination.objects.get(item_ref=f"article:{article.pk}")
    assert sending.channels == ["email"]
    assert sending.audience["region_codes"] == ["64.02"]
    # The editor sees the sending and its progress.
    assert "Jadwal Layanan Adminduk Keliling Kukar" in page.inner_text("main")

    page.context.clear_cookies()
    page.goto(live_server.url + "/kabar/")
    assert "Jadwal Layanan Adminduk Keliling Kukar" in page.inner_text("main")


def test_regency_admin_reads_the_dashboard_exports_and_reimports_members(
    page, live_server, sign_in, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from network.demo import load_demo
    from network.models import Kim, Membership

    _demo_accounts()
    load_demo()
    kukar_kims = Kim.objects.filter(region__kode__startswith="64.02.").count()
    members = Membership.objects.count()
    page.set_viewport_size(DESKTOP)
    sign_in("kukar@demo.simpul.id")

    # 1. The KIM dashboard of the regency: the same count as the registry.
    page.click("text=Angka wilayah Anda")
    page.wait_for_url("**/kim/statistik/64.02/")
    first_stat = page.locator("ul.stats li strong").first
    assert first_stat.inner_text().strip() == str(kukar_kims)

    # 2. Downloads the member list (Excel) from the staff KIM list.
    page.goto(live_server.url + "/staf/kim/")
    with page.expect_download() as download:
        page.click("a[href='/staf/kim/anggota-ekspor/?format=xlsx']")
    sheet_path = tmp_path / "anggota.xlsx"
    download.value.save_as(sheet_path)
    book = load_workbook(sheet_path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    name_col = header.index("nama_anggota") + 1
    phone_col = header.index("telepon") + 1
    row = 2
    old_name = sheet.cell(row, name_col).value
    phone = sheet.cell(row, phone_col).value
    assert isinstance(phone, str) and not phone.startswith("'")  # text, as typed
    sheet.cell(row, name_col).value = f"{old_name} Perbaikan"
    book.save(sheet_path)

    # 3. Corrects a name and imports the sheet again: updated, nothing doubled.
    page.goto(live_server.url + "/staf/kim/impor/")
    page.set_input_files("input[name=file]", str(sheet_path))
    page.click("main form button[type=submit]")
    result = page.locator("#import-result")
    expect(result).to_be_visible()
    assert page.locator("#import-errors").count() == 0
    assert Membership.objects.count() == members
    assert Membership.objects.filter(person__full_name=f"{old_name} Perbaikan").exists()
    assert Membership.objects.filter(
        person__phone=_e164(phone)
    ).get().person.full_name == (f"{old_name} Perbaikan")


def test_planner_plans_sites_for_a_kecamatan_and_saves_a_programme(
    page, live_server, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from connectivity import hooks
    from connectivity.models import Programme, SitingPlan

    _demo_accounts()
    hooks.demo()
    page.set_viewport_size(DESKTOP)
    sign_in("kukar@demo.simpul.id")

    page.goto(live_server.url + "/sinyal/perencanaan/")
    page.fill("input[name=region]", "Tabang, Kabupaten Kutai Kartanegara (64.02.12)")
    page.fill("input[name=budget]", "3")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/sinyal/perencanaan/*/")
    plan = SitingPlan.objects.get()
    # The finished plan speaks plain Indonesian: villages, not grid cells.
    expect(page.locator("#plan-to-programme")).to_be_visible(timeout=60_000)
    body = page.inner_text("main")
    assert "grid:" not in body
    assert plan.status == "done"

    page.click("#plan-to-programme")
    page.wait_for_url(f"**/sinyal/program/baru/?rencana={plan.pk}")
    assert page.input_value("input[name=region]").startswith("Tabang, ")
    page.fill("input[name=slug]", "menara-tabang-2027")
    page.fill("input[name=name]", "Menara Tabang 2027")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sinyal/program/menara-tabang-2027/")
    assert "Menara Tabang 2027" in page.inner_text("h1")
    programme = Programme.objects.get(slug="menara-tabang-2027")
    assert programme.region_id == "64.02.12"
    assert programme.villages.exists()
    assert programme.villages.count() == programme.target_villages


def test_kim_coordinator_checks_in_participants_at_the_door(
    page, live_server, sign_in
) -> None:  # type: ignore[no-untyped-def]
    from network import services
    from network.demo import COORDINATOR_EMAIL, load_demo
    from network.models import Attendance, Event

    _demo_accounts()
    load_demo()
    # The day of the demo's coming training: it has just begun.
    event = Event.objects.get(title="Pelatihan Literasi Digital Angkatan II")
    event.starts_at = timezone.now() - timedelta(minutes=10)
    event.ends_at = timezone.now() + timedelta(hours=3)
    event.save(update_fields=["starts_at", "ends_at"])
    people = [
        services.participant_register(
            actor=None, event=event, full_name=name, phone=phone
        )
        for name, phone in (
            ("Rahmat Peserta", "0812 6666 0001"),
            ("Wulan Peserta", "0812 6666 0002"),
        )
    ]
    page.set_viewport_size(PHONE)
    sign_in(COORDINATOR_EMAIL)
    for participant in people:
        # Scanning the participant's QR code opens this link.
        page.goto(live_server.url + f"/acara/hadir/{participant.token}/")
        assert participant.person.full_name in page.inner_text("main")
        _fits(page)
        page.click("#organiser-checkin")
        expect(page.locator("#checked-in")).to_be_visible()
    attendances = Attendance.objects.filter(event=event)
    assert attendances.count() == 2
    assert {a.checked_in_by.email for a in attendances} == {COORDINATOR_EMAIL}
    assert {a.method for a in attendances} == {Attendance.Method.ORGANISER}
    # A participant opening their own QR link from home changes nothing.
    page.context.clear_cookies()
    page.goto(live_server.url + f"/acara/hadir/{people[0].token}/")
    assert page.locator("#organiser-checkin").count() == 0
