"""A KIM coordinator helps at the door (issue 15): they check in participants
of events held where their KIM is, by scanning each participant's QR code; not
those of events elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from network import services
from network.models import Attendance, Event
from regions.models import Region

pytestmark = pytest.mark.django_db


def _participant(event: Event):  # type: ignore[no-untyped-def]
    return services.participant_register(
        actor=None, event=event, full_name="Warga Jahab", phone="0812 4444 0001"
    )


def test_coordinator_checks_in_at_an_event_held_in_their_kecamatan(
    client: Client, coordinator, make_event
) -> None:
    event = make_event(starts_at=timezone.now() - timedelta(minutes=10))
    participant = _participant(event)
    client.force_login(coordinator)
    url = f"/acara/hadir/{participant.token}/"
    assert 'id="organiser-checkin"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.method == Attendance.Method.ORGANISER
    assert attendance.checked_in_by == coordinator
    # Seeing participants' personal data stays with the organisers.
    assert client.get(f"/staf/acara/{event.pk}/").status_code in (403, 404)


def test_coordinator_cannot_check_in_elsewhere(
    client: Client, coordinator, make_event
) -> None:
    event = make_event(
        region=Region.objects.get(kode="64.03.01"),
        organiser_region=Region.objects.get(kode="64.03"),
        starts_at=timezone.now() - timedelta(minutes=10),
    )
    participant = _participant(event)
    client.force_login(coordinator)
    url = f"/acara/hadir/{participant.token}/"
    assert 'id="organiser-checkin"' not in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert not Attendance.objects.exists()
