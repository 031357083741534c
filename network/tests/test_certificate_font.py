"""Certificates print names outside Latin-1 with an embedded font (issue 11)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.tests.pdf_checks import assert_embedded_font_with
from network import services
from network.certificates import certificate_pdf
from network.models import Attendance, Event

pytestmark = pytest.mark.django_db
NAME = "Đặng Thị Ñoño"


def test_certificate_embeds_its_font_and_prints_vietnamese_names(make_event) -> None:
    event = make_event(
        kind=Event.Kind.WORKSHOP,
        title="Rapat Forum KIM Sanga-Sanga",
        venue="Balai Desa",
        starts_at=timezone.now() - timedelta(hours=3),
    )
    participant = services.participant_register(
        actor=None, event=event, full_name=NAME, phone="081234567890"
    )
    services.attendance_record(
        participant=participant,
        mode=Attendance.Mode.ONSITE,
        method=Attendance.Method.QR,
    )
    certificate = services.certificate_issue(participant=participant)
    pdf = certificate_pdf(certificate, verify_url="https://simpul.example/cek")
    assert_embedded_font_with(pdf, NAME, "Sanga-Sanga", certificate.code)
