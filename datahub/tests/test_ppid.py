"""Public information requests: filing, statutory deadlines, the staff queue,
answers, refusals, objections, privacy of the requester, the yearly report."""

import time
from datetime import date

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEntry, Role
from accounts.services import api_token_create
from datahub import services
from datahub.models import InfoRequest, NonWorkingDay
from datahub.workdays import add_working_days, days_off, working_days_until

pytestmark = pytest.mark.django_db

FORM = {
    "requester_name": "Siti Aminah",
    "requester_address": "Jl. Pesut 12, Tenggarong",
    "requester_email": "siti@example.org",
    "requester_phone": "0812 3456 7890",
    "information": "Anggaran kegiatan posyandu tahun 2025.",
    "purpose": "Penelitian.",
    "delivery": "email",
}


def _file(office, received: date = date(2026, 1, 5), **extra):  # type: ignore[no-untyped-def]
    data = {k: v for k, v in FORM.items() if k != "delivery"}
    data.update(extra)
    return services.info_request_file(office=office, received_on=received, **data)


def test_deadline_skips_weekends_holidays_and_cuti_bersama() -> None:
    off = days_off([2026])
    # Friday 13 March 2026: Nyepi (19 March), Idul Fitri (21-22 March), cuti
    # bersama (18, 20, 23, 24 March), Good Friday (3 April) are not counted.
    assert add_working_days(date(2026, 3, 13), 10, off) == date(2026, 4, 6)
    # Isra Mi'raj (16 January) is not counted either.
    assert add_working_days(date(2026, 1, 5), 10, off) == date(2026, 1, 20)
    # No holiday in between: two calendar weeks.
    assert add_working_days(date(2026, 6, 1), 10, off) == date(2026, 6, 15)
    # Filed on a Saturday: counting starts on Monday.
    assert add_working_days(date(2026, 1, 10), 1, off) == date(2026, 1, 12)
    assert working_days_until(date(2026, 1, 5), date(2026, 1, 20), off) == 10
    assert working_days_until(date(2026, 1, 22), date(2026, 1, 20), off) == -2


def test_admins_add_days_off_the_package_does_not_know(offices) -> None:  # type: ignore[no-untyped-def]
    before = _file(offices["tenggarong"]).due_on
    NonWorkingDay.objects.create(date=date(2026, 1, 7), name="Cuti bersama tambahan")
    after = _file(offices["tenggarong"]).due_on
    assert before == date(2026, 1, 20) and after == date(2026, 1, 21)


def test_citizen_files_a_request_and_sees_the_deadline(
    client: Client, offices, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "today_local", lambda: date(2026, 3, 13))
    office = offices["tenggarong"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ppid/ajukan/", {**FORM, "office": office.pk})
    assert response.status_code == 302
    request = InfoRequest.objects.get()
    assert request.tracking_number == "PPID-64.02.06-2026-000001"
    assert request.requester_phone == "+6281234567890"
    assert request.due_on == date(2026, 4, 6)  # not 27 March: holidays skipped
    page = client.get(response["Location"]).content.decode()
    assert "PPID-64.02.06-2026-000001" in page
    assert "Senin, 6 April 2026" in page
    # The receipt is emailed once, by the task.
    assert len(mail.outbox) == 1
    assert "PPID-64.02.06-2026-000001" in mail.outbox[0].body
    assert (
        services.info_request_notify(request_id=request.pk, event="received") is False
    )
    # The number alone shows the status, not the answer page.
    track = client.get("/ppid/lacak/", {"nomor": request.tracking_number})
    assert "Kecamatan Tenggarong" in track.content.decode()
    wrong_key = f"/ppid/lacak/{request.tracking_number}/salah/"
    assert client.get(wrong_key).status_code == 404
    second = client.post("/ppid/ajukan/", {**FORM, "office": office.pk})
    assert second.status_code == 302
    assert InfoRequest.objects.latest("pk").tracking_number.endswith("-000002")


def test_request_needs_contact_and_a_valid_phone(client: Client, offices) -> None:  # type: ignore[no-untyped-def]
    office = offices["tenggarong"]
    data = {**FORM, "office": office.pk, "requester_email": "", "requester_phone": ""}
    response = client.post("/ppid/ajukan/", data)
    assert response.status_code == 400
    assert "email" in response.content.decode()
    data["requester_phone"] = "12"
    data["delivery"] = "pickup"
    assert client.post("/ppid/ajukan/", data).status_code == 400
    assert not InfoRequest.objects.exists()


def test_contact_data_is_seen_by_the_responsible_office_only(
    client: Client, offices, operator, make_user
) -> None:  # type: ignore[no-untyped-def]
    request = _file(offices["tenggarong"])
    page = f"/staf/ppid/{request.pk}/"
    client.force_login(operator)
    html = client.get(page).content.decode()
    assert "Siti Aminah" in html and "siti@example.org" in html
    assert "+6281234567890" in html
    # The regency office above sees the request, not the requester.
    kukar = make_user(Role.REGENCY_ADMIN, "64.02")
    client.force_login(kukar)
    html = client.get(page).content.decode()
    assert "Anggaran kegiatan posyandu" in html
    assert "Siti Aminah" not in html and "siti@example.org" not in html
    assert "Siti Aminah" not in client.get("/staf/ppid/").content.decode()
    # Another regency's office does not see it at all.
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    client.force_login(berau)
    assert client.get(page).status_code == 404
    assert request.tracking_number not in client.get("/staf/ppid/").content.decode()
    # The API says the same.
    client.logout()
    for user, visible in ((operator, True), (kukar, False)):
        _, key = api_token_create(user=user, name="t")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        item = client.get(f"/api/v1/data/requests/{request.pk}", **auth).json()
        assert (item["requester_email"] == "siti@example.org") is visible
        listed = client.get("/api/v1/data/requests", **auth).json()["items"]
        assert (listed[0]["requester_name"] == "Siti Aminah") is visible
    _, key = api_token_create(user=berau, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/data/requests/{request.pk}", **auth).status_code == 404
    assert client.get("/api/v1/data/requests", **auth).json()["items"] == []
    # The public status never carries contact data.
    status = client.get(f"/api/v1/data/requests/track/{request.tracking_number}")
    assert "Siti" not in status.content.decode()


def test_queue_shows_working_days_left(
    client: Client, offices, operator, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from datahub import selectors

    _file(offices["tenggarong"], received=date(2026, 1, 5))
    monkeypatch.setattr(selectors, "today_local", lambda: date(2026, 1, 9))
    client.force_login(operator)
    html = client.get("/staf/ppid/").content.decode()
    assert "sisa 6 hari kerja" in html
    monkeypatch.setattr(selectors, "today_local", lambda: date(2026, 1, 22))
    html = client.get("/staf/ppid/").content.decode()
    assert "2 hari kerja terlambat" in html


def test_staff_answer_with_documents_and_dataset(
    client: Client, offices, operator, published, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = _file(offices["tenggarong"])
    mail.outbox.clear()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staf/ppid/{request.pk}/",
            {
                "action": "answer",
                "answer": "Terlampir rincian anggaran.",
                "dataset": published.slug,
                "documents": [
                    SimpleUploadedFile("anggaran.pdf", b"%PDF-1.4 contoh"),
                ],
            },
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered" and request.closed_by == operator
    assert request.answer_dataset == published
    assert AuditEntry.objects.filter(
        object_type="datahub.inforequest", object_id=str(request.pk), action="update"
    ).exists()
    assert len(mail.outbox) == 1
    client.logout()
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Terlampir rincian anggaran." in page and published.title in page
    document = request.documents.get()
    download = client.get(f"{request.get_absolute_url()}dokumen/{document.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 contoh"
    # Closed requests cannot be answered again.
    client.force_login(operator)
    client.post(
        f"/staf/ppid/{request.pk}/",
        {"action": "refuse", "refusal_reason": "17h", "explanation": "x"},
    )
    request.refresh_from_db()
    assert request.status == "answered"


def test_extend_once_then_refuse_with_a_legal_reason(
    client: Client, offices, operator
) -> None:  # type: ignore[no-untyped-def]
    request = _file(offices["tenggarong"])
    client.force_login(operator)
    page = f"/staf/ppid/{request.pk}/"
    client.post(page, {"action": "extend", "reason": "Data masih dihimpun."})
    request.refresh_from_db()
    assert request.status == "extended"
    assert request.due_on == date(2026, 1, 29)  # 20 Jan + 7 working days
    response = client.post(page, {"action": "extend", "reason": "Lagi."})
    assert "Hanya permohonan yang belum diperpanjang" in response.content.decode()
    client.post(
        page,
        {
            "action": "refuse",
            "refusal_reason": "17h",
            "explanation": "Memuat data pribadi penerima bantuan.",
        },
    )
    request.refresh_from_db()
    assert request.status == "refused" and request.refusal_reason == "17h"
    assert AuditEntry.objects.filter(
        object_id=str(request.pk), changes__refusal_reason="17h"
    ).exists()
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Pasal 17 huruf h" in html


def test_objection_follows_the_same_tracking(client: Client, offices, operator) -> None:  # type: ignore[no-untyped-def]
    request = _file(offices["tenggarong"])
    services.info_request_refuse(
        actor=operator, request=request, reason="22-7a", explanation="Tidak dikuasai."
    )
    response = client.post(
        request.get_absolute_url(),
        {"reason": "a", "description": "Informasi itu ada di kantor camat."},
    )
    assert response.status_code == 302
    objection = request.objections.get()
    assert objection.tracking_number == f"{request.tracking_number}-K1"
    html = client.get(request.get_absolute_url()).content.decode()
    assert f"{request.tracking_number}-K1" in html
    client.force_login(operator)
    client.post(
        f"/staf/ppid/{request.pk}/",
        {"action": "respond", "objection": objection.pk, "response": "Ditinjau ulang."},
    )
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.responded_by == operator


def test_yearly_report_per_office(client: Client, offices, operator, make_user) -> None:  # type: ignore[no-untyped-def]
    answered = _file(offices["tenggarong"])
    services.info_request_answer(actor=operator, request=answered, answer="Ya.")
    refused = _file(offices["tenggarong"])
    services.info_request_refuse(
        actor=operator, request=refused, reason="17h", explanation="Pribadi."
    )
    _file(offices["tenggarong"])
    _file(offices["tanjung_redeb"])
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    html = client.get("/staf/ppid/laporan/", {"tahun": 2026}).content.decode()
    assert "Kecamatan Tenggarong" in html and "Tanjung Redeb" not in html
    csv_text = client.get(
        "/staf/ppid/laporan/", {"tahun": 2026, "format": "csv"}
    ).content.decode()
    row = csv_text.splitlines()[1].split(",")
    assert row[:7] == ["Kecamatan Tenggarong", "64.02.06", "3", "1", "1", "1", "0"]
    _, key = api_token_create(user=operator, name="t")
    report = client.get(
        "/api/v1/data/requests-report",
        {"year": 2026},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()["items"]
    assert report[0]["received"] == 3 and report[0]["refusals"] == {"17h": 1}


def test_api_files_and_answers_a_request(client: Client, offices, operator) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/data/requests",
        {**FORM, "office": offices["tenggarong"].slug},
        content_type="application/json",
    )
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["tracking_number"].startswith("PPID-64.02.06-")
    assert "/ppid/lacak/" in receipt["url"]
    request = InfoRequest.objects.get()
    _, key = api_token_create(user=operator, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answered = client.post(
        f"/api/v1/data/requests/{request.pk}/answer",
        {"answer": "Terlampir."},
        content_type="application/json",
        **auth,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    bad = client.post(
        "/api/v1/data/requests",
        {**FORM, "office": offices["tenggarong"].slug, "requester_email": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "requester_email"


def _post(client: Client, office) -> int:  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/data/requests",
        {**FORM, "office": office.slug},
        content_type="application/json",
    ).status_code


def test_api_filing_limit_is_not_consumed_by_reads(client: Client, offices) -> None:  # type: ignore[no-untyped-def]
    # The hourly limit once shared its counter with the per-minute limit of
    # every read: ten page loads left no request to file.
    for _ in range(10):
        assert client.get("/api/v1/regions/64").status_code == 200
    assert _post(client, offices["tenggarong"]) == 201


def test_api_filing_limit_is_not_lifted_after_a_minute(
    client: Client, offices, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ninja.throttling import SimpleRateThrottle

    start = time.time()
    now = [start]
    # The throttles' clock and the cache's expiry both move on.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    monkeypatch.setattr(time, "time", lambda: now[0])
    office = offices["tenggarong"]
    assert [_post(client, office) for _ in range(10)] == [201] * 10
    assert _post(client, office) == 429
    now[0] = start + 61
    assert client.get("/api/v1/regions/64").status_code == 200
    assert _post(client, office) == 429
    now[0] = start + 3601
    assert _post(client, office) == 201


def test_yearly_report_refuses_years_out_of_range(
    client: Client, offices, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    for year in ("99999", "1850", "\uff12\uff10\uff12\uff16", "-1", "abc"):
        response = client.get("/staf/ppid/laporan/", {"tahun": year})
        assert response.status_code == 400, year
        assert "Tahun harus antara 2000" in response.content.decode()
        csv = client.get("/staf/ppid/laporan/", {"tahun": year, "format": "csv"})
        assert csv.status_code == 400
    assert client.get("/staf/ppid/laporan/", {"tahun": 2026}).status_code == 200


def test_yearly_report_csv_escapes_formulas(
    client: Client, offices, operator, make_user
) -> None:  # type: ignore[no-untyped-def]
    office = offices["tenggarong"]
    office.name = "=cmd|'/C calc'!A0"
    office.save()
    _file(office)
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    body = client.get(
        "/staf/ppid/laporan/", {"tahun": 2026, "format": "csv"}
    ).content.decode("utf-8-sig")
    assert body.splitlines()[1].startswith("'=cmd|'/C calc'!A0,64.02.06,1,")


def test_yearly_report_api_refuses_years_out_of_range(
    client: Client, offices, operator
) -> None:  # type: ignore[no-untyped-def]
    _, key = api_token_create(user=operator, name="t")
    for year in (99999, 1850, -1):
        response = client.get(
            "/api/v1/data/requests-report",
            {"year": year},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 400, year
        assert response.json()["detail"]
