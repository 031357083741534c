"""Walk-ins at the door (issue 15): the organiser registers and checks in
someone who turns up, also for an invitation-only event whose registration has
closed; seats are counted by who is present, during the event only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from network import services
from network.models import Attendance, Event, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(make_event) -> Event:
    """An invitation-only FGD for two, on now, registration closed."""
    return make_event(
        kind=Event.Kind.FGD,
        registration=Event.Registration.INVITED,
        starts_at=timezone.now() - timedelta(minutes=20),
        ends_at=timezone.now() + timedelta(hours=2),
        registration_closes_at=timezone.now() - timedelta(days=1),
        capacity=2,
    )


@pytest.fixture
def organiser(make_user):
    return make_user(Role.REGENCY_ADMIN, "64.02")


def _walk_in(client: Client, event: Event, name: str, phone: str = "") -> object:
    return client.post(
        f"/staf/acara/{event.pk}/",
        {"form": "walkin", "w-full_name": name, "w-phone": phone},
    )


def test_organiser_registers_a_walk_in_for_an_invitation_only_event(
    client: Client, invited: Event, organiser
) -> None:
    client.force_login(organiser)
    page = client.get(f"/staf/acara/{invited.pk}/").content.decode()
    assert 'id="walk-in"' in page
    response = _walk_in(client, invited, "Pak Darto", "0812 5555 0101")
    assert response.status_code == 302
    participant = Participant.objects.get(person__full_name="Pak Darto")
    assert participant.event == invited
    attendance = participant.attendance
    assert attendance.mode == Attendance.Mode.ONSITE
    assert attendance.method == Attendance.Method.ORGANISER
    assert attendance.checked_in_by == organiser
    # The public still cannot register.
    client.logout()
    client.post(invited.get_absolute_url(), {"full_name": "X", "phone": "0812 1"})
    assert Participant.objects.count() == 1


def test_seats_are_counted_by_who_is_present(invited: Event, organiser) -> None:
    # Two were invited (the capacity); one did not come.
    came = services.participant_register(
        actor=organiser, event=invited, full_name="Hadir", invited=True
    )
    services.participant_register(
        actor=organiser, event=invited, full_name="Tidak datang", invited=True
    )
    with pytest.raises(ValidationError):  # registering is full …
        services.participant_register(actor=organiser, event=invited, full_name="Z")
    services.attendance_record(
        participant=came,
        mode=Attendance.Mode.ONSITE,
        method=Attendance.Method.ORGANISER,
        actor=organiser,
    )
    # … but a seat is free at the door.
    services.participant_walk_in(actor=organiser, event=invited, full_name="Tamu")
    with pytest.raises(ValidationError, match="penuh"):
        services.participant_walk_in(actor=organiser, event=invited, full_name="Lagi")
    assert Attendance.objects.filter(event=invited).count() == 2


def test_a_registered_person_at_the_door_is_checked_in_not_added(
    invited: Event, organiser
) -> None:
    services.participant_register(
        actor=organiser,
        event=invited,
        full_name="Bu Sari",
        phone="0812 5555 0102",
        invited=True,
    )
    again = services.participant_walk_in(
        actor=organiser, event=invited, full_name="Sari", phone="0812-5555-0102"
    )
    assert again.person.full_name == "Bu Sari"
    assert Participant.objects.count() == 1 and again.attendance


def test_walk_ins_only_during_the_event_and_by_the_organiser(
    client: Client, make_event, organiser, make_user
) -> None:
    later = make_event(registration=Event.Registration.INVITED)  # in three days
    with pytest.raises(ValidationError):
        services.participant_walk_in(actor=organiser, event=later, full_name="A")
    client.force_login(organiser)
    assert 'id="walk-in"' not in client.get(f"/staf/acara/{later.pk}/").content.decode()
    now_on = make_event(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.03"))  # another regency
    _walk_in(client, now_on, "B")
    assert not Participant.objects.exists()
