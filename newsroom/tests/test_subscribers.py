"""A subscriber's own requests through channels: "DATA" lists the newsroom's
subscription and messages, "HAPUS" erases them (UU 27/2022), end to end on the
WhatsApp webhook."""

from __future__ import annotations

import json

import pytest

from channels.models import InboundEvent, OutboxMessage, WebhookCall
from channels.testing import whatsapp_payload, whatsapp_signature, whatsapp_text
from network.models import Membership, Person
from newsroom import services
from newsroom.models import Delivery, Subscriber
from newsroom.tests.factories import story_disseminate
from regions.models import Region

pytestmark = pytest.mark.django_db
WATI = "+6281200000001"


def _say(post_hook, client, text: str, key: str):  # type: ignore[no-untyped-def]
    body = json.dumps(
        whatsapp_payload(messages=[whatsapp_text(WATI.lstrip("+"), text, key)])
    ).encode()
    return post_hook(
        client,
        "/hooks/whatsapp/",
        body,
        HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(body, "wa-app-secret"),
    )


@pytest.fixture
def reached(
    channel_settings, published, editor, kim, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """Wati subscribes on WhatsApp and is a KIM member under the same number;
    Siti subscribes by SMS; one dissemination reaches both."""
    tenggarong = Region.objects.get(kode="64.02.06")
    services.subscriber_create(
        channel="whatsapp", phone="0812-0000-0001", region=tenggarong, name="Wati"
    )
    services.subscriber_create(
        channel="sms", phone="+6281200000002", region=tenggarong, name="Siti"
    )
    Membership.objects.create(
        kim=kim, person=Person.objects.create(full_name="Wati", phone=WATI)
    )
    with django_capture_on_commit_callbacks(execute=True):
        story_disseminate(editor, published, ["whatsapp", "sms"], kim_members=True)
    assert Delivery.objects.filter(address=WATI).count() == 1
    return channel_settings


def test_data_lists_the_subscription_and_the_messages(
    reached, client, post_hook
) -> None:  # type: ignore[no-untyped-def]
    _say(post_hook, client, "DATA", "wamid.d1")
    reply = reached.whatsapp.bodies("/messages")[-1]["text"]["body"]
    assert "Langganan kabar: Tenggarong" in reply
    assert "Pesan kabar yang dikirim kepada Anda: 1" in reply
    assert "Anggota KIM: KIM Maju" in reply


def test_hapus_leaves_no_row_that_names_the_number(reached, client, post_hook) -> None:  # type: ignore[no-untyped-def]
    _say(post_hook, client, "HAPUS", "wamid.h1")
    assert not Subscriber.objects.filter(channel="whatsapp").exists()
    erased = Delivery.objects.get(channel="whatsapp")
    assert erased.address == "" and erased.recipient_key.startswith("erased:")
    assert not Person.objects.filter(phone=WATI).exists()
    assert Membership.objects.filter(
        person__full_name="Wati"
    ).exists()  # kept by the KIM
    digits = WATI.lstrip("+")
    for model, fields in [
        (Delivery, ["address", "recipient_key"]),
        (OutboxMessage, ["to", "dedupe_key", "body"]),
        (InboundEvent, ["address", "text"]),
        (WebhookCall, ["body"]),
        (Subscriber, ["phone"]),
    ]:
        for field in fields:
            assert not model.objects.filter(
                **{f"{field}__contains": digits}
            ).exists(), (
                model.__name__,
                field,
            )
    # Nobody else is touched: Siti's subscription and delivery stay whole.
    siti = Delivery.objects.get(channel="sms")
    assert siti.address == "+6281200000002" and siti.recipient_key.endswith("0002")
    assert Subscriber.objects.filter(channel="sms").count() == 1
    # The erasure is confirmed to the number (channels' reply, sent before the
    # content of that reply is itself erased from the outbox row).
    assert "dihapus" in reached.whatsapp.bodies("/messages")[-1]["text"]["body"]


def test_the_email_link_erases_the_subscription(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.subscriber_create(
        channel="email",
        email="siti@example.org",
        region=Region.objects.get(kode="64.02"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        story_disseminate(editor, published, ["email"])
    link = channel_settings.mail[0].extra_headers["List-Unsubscribe"].strip("<>")
    client.post(link.removeprefix("http://testserver"), {"erase": "1"})
    assert not Subscriber.objects.exists()
    assert Delivery.objects.get().address == ""
    assert not OutboxMessage.objects.filter(to__contains="siti").exists()
