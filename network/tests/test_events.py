import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Role
from network import selectors, services
from network.models import Attendance, Certificate, Event, Participant, QuizAttempt
from regions.models import Region

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
# The staff form for a new public training in Kecamatan Tenggarong.
EVENT_FORM = {
    "kind": "training",
    "title": "Pelatihan",
    "region": "64.02.06",
    "venue": "Aula",
    "starts_at": "2030-01-10T09:00",
    "registration": "public",
    "is_published": "on",
}


@pytest.fixture
def training(make_event) -> Event:
    event = make_event(online_url="https://meet.example.org/x")
    services.question_add(
        actor=None,
        event=event,
        text="Hoaks adalah …",
        choices=["Berita bohong", "Berita resmi"],
        correct=0,
    )
    services.question_add(
        actor=None,
        event=event,
        text="OTP boleh dibagikan?",
        choices=["Ya", "Tidak"],
        correct=1,
    )
    return event


def _answers(event: Event, right: int) -> dict[int, int]:
    answers = {}
    for i, q in enumerate(event.questions.prefetch_related("choices")):
        choices = list(q.choices.all())
        pick = next(c for c in choices if c.is_correct == (i < right))
        answers[q.pk] = pick.pk
    return answers


def test_fgd_times_are_wita_and_counts_are_annotated(make_event) -> None:
    event = make_event(
        kind=Event.Kind.FGD,
        title="FGD KIM 2022",
        organiser_region=Region.objects.get(kode="64"),
        venue="Ballroom Hotel Grand Fatma",
        starts_at=datetime(2022, 7, 12, 9, 0, tzinfo=WITA),
    )
    for i in range(5):
        p = services.participant_register(
            actor=None, event=event, full_name=f"P {i}", phone=f"08120000080{i}"
        )
        services.attendance_record(
            participant=p, mode="onsite" if i < 3 else "online", method="qr"
        )
    got = selectors.event_list().get(pk=event.pk)
    assert (got.onsite_count, got.online_count) == (3, 2)
    assert "09.00 WITA" in services.event_when_label(event)
    assert event.starts_at.astimezone(ZoneInfo("UTC")).hour == 1


def test_registration_capacity_and_duplicates(training) -> None:
    training.capacity = 1
    training.save()
    services.participant_register(
        actor=None, event=training, full_name="A", phone="081200000081"
    )
    with pytest.raises(Exception) as exc:
        services.participant_register(
            actor=None, event=training, full_name="B", phone="081200000082"
        )
    assert "penuh" in str(exc.value) or "full" in str(exc.value)


def test_invited_events_refuse_public_registration(client: Client, training) -> None:
    training.registration = Event.Registration.INVITED
    training.save()
    response = client.post(
        f"/acara/{training.pk}/", {"full_name": "A", "phone": "081200000081"}
    )
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_register_check_in_by_qr_link_take_tests_and_get_a_certificate(
    client: Client, training
) -> None:
    response = client.post(
        f"/acara/{training.pk}/",
        {"full_name": "Siti Peserta", "phone": "0812 0000 0081", "origin": "KIM A"},
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    home = response["Location"]
    assert home == f"/acara/peserta/{participant.token}/"
    html = client.get(home).content.decode()
    assert "<svg" in html  # the QR code
    link = re.search(r'id="checkin-link" href="([^"]+)"', html).group(1)
    assert link.endswith(f"/acara/hadir/{participant.token}/")
    # Opening the QR link does not check in by itself (link previews); POST does.
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert not Attendance.objects.exists()
    client.post(path, {"mode": "onsite"})
    client.post(path, {"mode": "online"})  # a second scan changes nothing
    attendance = Attendance.objects.get()
    assert (attendance.mode, attendance.method) == ("onsite", "qr")
    # Certificate needs the post-test; the post-test needs the pre-test.
    assert client.get(f"{home}sertifikat.pdf").status_code == 302
    assert client.get(f"{home}tes/post/").status_code == 200
    post_first = {f"q{k}": v for k, v in _answers(training, 2).items()}
    client.post(f"{home}tes/post/", post_first)
    assert not QuizAttempt.objects.exists()
    client.post(
        f"{home}tes/pre/", {f"q{k}": v for k, v in _answers(training, 1).items()}
    )
    client.post(f"{home}tes/post/", post_first)
    scores = dict(QuizAttempt.objects.values_list("phase", "score"))
    assert scores == {"pre": 50, "post": 100}
    response = client.get(f"{home}sertifikat.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    certificate = Certificate.objects.get()
    # Verify publicly.
    page = client.get("/sertifikat/cek/", {"kode": certificate.code.lower()}).content
    assert b"Siti Peserta" in page and b'id="verified"' in page
    page = client.get("/sertifikat/cek/", {"kode": "XXXXX-XXXXX"}).content
    assert b'id="not-found"' in page
    result = selectors.training_result(event=training)
    assert (result.tested, result.mean_gain) == (1, 50.0)


def test_event_qr_at_the_venue_registers_and_checks_in(
    client: Client, training
) -> None:
    url = f"/acara/{training.pk}/absen/{training.checkin_token}/"
    assert client.get(f"/acara/{training.pk}/absen/salah/").status_code == 404
    response = client.post(url, {"full_name": "Walk In", "phone": "081200000090"})
    assert response.status_code == 302
    assert Attendance.objects.get().participant.person.full_name == "Walk In"


def test_organiser_checks_in_and_exports_participants(
    client: Client, make_user, training
) -> None:
    p = services.participant_register(
        actor=None, event=training, full_name="Budi", phone="081200000081"
    )
    outsider = make_user(Role.REGENCY_ADMIN, "64.03")
    client.force_login(outsider)
    assert client.get(f"/staf/acara/{training.pk}/").status_code == 404
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    html = client.get(f"/staf/acara/{training.pk}/").content.decode()
    assert "Budi" in html and "<svg" in html
    client.post(
        f"/staf/acara/{training.pk}/",
        {"form": "checkin", "participant": p.pk, "mode": "online"},
    )
    assert Attendance.objects.get().method == "organiser"
    response = client.get(f"/staf/acara/{training.pk}/", {"format": "csv"})
    # The phone as text Excel keeps (no 6.28E+12), the mode in words.
    assert "Budi,0812-0000-0081,,,,Daring," in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_staff_create_event_with_speakers_and_question(
    client: Client, make_user, kaltim
) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post("/staf/acara/baru/", EVENT_FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.organiser_region_id == "64.02"
    assert timezone.localtime(event.starts_at).hour == 9
    url = f"/staf/acara/{event.pk}/"
    client.post(
        url, {"form": "speaker", "s-name": "Helmi Hafidz", "s-talk_title": "Diseminasi"}
    )
    client.post(
        url,
        {
            "form": "question",
            "q-text": "Apa itu hoaks?",
            "q-choice_1": "Bohong",
            "q-choice_2": "Fakta",
            "q-correct": "0",
        },
    )
    assert event.speakers.get().name == "Helmi Hafidz"
    assert event.questions.get().choices.filter(is_correct=True).get().text == "Bohong"
    html = client.get(f"/acara/{event.pk}/").content.decode()
    assert "Helmi Hafidz" in html


def test_event_pages_public(client: Client, training) -> None:
    assert "Pelatihan Literasi Digital" in client.get("/acara/").content.decode()
    assert client.get(f"/acara/{training.pk}/").status_code == 200
    assert client.get("/acara/", {"format": "xlsx"}).content[:2] == b"PK"


def test_event_capacity_out_of_range_is_a_form_error(
    client: Client, make_user, kaltim
) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    for capacity in ("1000000", "99999999999"):
        response = client.post(
            "/staf/acara/baru/", {**EVENT_FORM, "capacity": capacity}
        )
        assert response.status_code == 200
        assert "capacity" in response.content.decode() or "kapasitas" in (
            response.content.decode().lower()
        )
    assert not Event.objects.exists()
    response = client.post("/staf/acara/baru/", {**EVENT_FORM, "capacity": "150"})
    assert response.status_code == 302 and Event.objects.get().capacity == 150


def test_event_list_exports_show_wita_and_indonesian_kinds(
    client: Client, training
) -> None:
    """The CSV and the XLSX show the same WITA clock time (the CSV showed UTC)."""
    import io
    from datetime import UTC, datetime

    from openpyxl import load_workbook

    Event.objects.filter(pk=training.pk).update(
        starts_at=datetime(2026, 12, 16, 1, 0, tzinfo=UTC)
    )
    body = client.get("/acara/", {"format": "csv"}).content.decode("utf-8-sig")
    row = body.splitlines()[1]
    assert "2026-12-16 09:00" in row and "+00:00" not in row
    assert "Pelatihan literasi digital" in row or "training" not in row
    data = client.get("/acara/", {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["D2"].value == datetime(2026, 12, 16, 9, 0)  # type: ignore[index]
