"""What the network keeps under a phone number, and its erasure (the person's own
"DATA" and "HAPUS", asked through channels)."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from channels import services as channels
from network import services
from network.models import BoardMember, Forum, Membership, Participant, Person

pytestmark = pytest.mark.django_db
PHONE = "+6281211110000"


@pytest.fixture
def records(kaltim, make_event):  # type: ignore[no-untyped-def]
    from network.models import Kim

    kim = Kim.objects.create(name="KIM Pesut", region_id="64.02.06.1001")
    person = Person.objects.create(full_name="Rina", phone=PHONE)
    Membership.objects.create(kim=kim, person=person)
    forum = Forum.objects.create(name="Forum KIM Kukar", region_id="64.02")
    BoardMember.objects.create(forum=forum, person=person, position="ketua")
    event = make_event()
    Participant.objects.create(event=event, person=person)
    # Another province's sign-up kept the number on the sign-up only.
    other = Person.objects.create(full_name="Rina")
    Participant.objects.create(event=make_event(), person=other, contact_phone=PHONE)
    return person


def test_summary_names_kims_boards_and_sign_ups(records) -> None:  # type: ignore[no-untyped-def]
    lines = services.phone_data_summary(channel="whatsapp", address=PHONE)
    assert lines == [
        "Anggota KIM: KIM Pesut",
        "Pengurus Forum KIM: Forum KIM Kukar",
        "Pendaftaran acara: 2",
    ]
    assert services.phone_data_summary(channel="telegram", address="4242") == []
    assert services.phone_data_summary(channel="sms", address="+6289999999999") == []


def test_erase_takes_the_number_off_every_record(records) -> None:  # type: ignore[no-untyped-def]
    # An old record that no longer validates (here its email) is erased anyway.
    Person.objects.filter(pk=records.pk).update(email="bukan-email")
    assert services.phone_erase(channel="sms", address=PHONE) == 2
    records.refresh_from_db()
    assert records.phone is None and records.memberships.count() == 1
    assert not Participant.objects.filter(contact_phone=PHONE).exists()
    entry = AuditEntry.objects.get(object_type="network.person")
    assert PHONE not in str(entry.changes) and "Rina" not in entry.object_repr
    assert services.phone_erase(channel="sms", address=PHONE) == 0
    assert services.phone_erase(channel="telegram", address="4242") == 0


def test_channels_asks_the_network_through_its_hook(records) -> None:  # type: ignore[no-untyped-def]
    assert "Pendaftaran acara: 2" in channels.data_summary(
        channel="whatsapp", address=PHONE
    )
    assert channels.address_erase(channel="whatsapp", address=PHONE)["network"] == 2
    assert not Person.objects.filter(phone=PHONE).exists()
