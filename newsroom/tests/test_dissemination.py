import json
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from channels import addresses
from channels import services as outbox
from channels.models import Consent, OutboxMessage
from channels.testing import (
    telegram_update,
    whatsapp_payload,
    whatsapp_signature,
    whatsapp_text,
)
from network.models import BoardMember, Forum, Membership, Person
from newsroom import selectors, services
from newsroom.channels import sms_text
from newsroom.models import Delivery, Dissemination, ShortLink, Subscriber
from newsroom.tests.factories import story_disseminate
from regions.models import Region

pytestmark = pytest.mark.django_db

ALL = ["whatsapp", "telegram", "sms", "email"]


def _subscribers() -> None:
    tenggarong = Region.objects.get(kode="64.02.06")
    services.subscriber_create(
        channel="whatsapp", phone="0812-0000-0001", region=tenggarong, name="Wati"
    )
    services.subscriber_create(
        channel="sms", phone="+6281200000002", region=Region.objects.get(kode="64.02")
    )
    services.subscriber_create(
        channel="email", email="siti@example.org", region=Region.objects.get(kode="64")
    )
    services.subscriber_create(
        channel="telegram", telegram_chat_id="777", region=tenggarong
    )
    # Elsewhere: not in the audience.
    services.subscriber_create(
        channel="email",
        email="berau@example.org",
        region=Region.objects.get(kode="64.03"),
    )


def _send(editor, published, channels=ALL, **audience):  # type: ignore[no-untyped-def]
    return story_disseminate(editor, published, channels, **audience)


def _opted_out(channel: str, address: str) -> bool:
    return Consent.objects.filter(
        channel=channel,
        address_hash=addresses.address_hash(channel, address),
        status=Consent.Status.OPTED_OUT,
    ).exists()


def test_fan_out_delivers_over_every_channel_once(
    channel_settings, published, editor, kim, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = channel_settings
    _subscribers()
    # A KIM member who is also a WhatsApp subscriber gets one message only.
    person = Person.objects.create(full_name="Wati", phone="+6281200000001")
    Membership.objects.create(kim=kim, person=person)
    other = Person.objects.create(full_name="Joko", email="joko@example.org")
    Membership.objects.create(kim=kim, person=other)
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published, kim_members=True)
    dissemination.refresh_from_db()
    deliveries = Delivery.objects.filter(dissemination=dissemination)
    assert dissemination.recipients == 5
    assert sorted(deliveries.values_list("channel", flat=True)) == [
        "email", "email", "sms", "telegram", "whatsapp",
    ]  # fmt: skip
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    # Each delivery is one outbox message of the newsroom, linked to it.
    messages = OutboxMessage.objects.filter(origin="newsroom")
    assert messages.count() == 5 and set(messages.values_list("status", flat=True)) == {
        "sent"
    }
    for delivery in deliveries:
        assert delivery.outbox_message.dedupe_key == services.outbox_key(
            dissemination.pk, delivery.recipient_key
        )
    whatsapp = fake.whatsapp.bodies("/messages")
    assert len(whatsapp) == 1 and whatsapp[0]["to"] == "6281200000001"
    # Outside the 24-hour window: the newsroom's template (title, summary, link).
    assert whatsapp[0]["type"] == "template"
    assert whatsapp[0]["template"]["name"] == "kabar_simpul"
    params = whatsapp[0]["template"]["components"][0]["parameters"]
    link = ShortLink.objects.get(dissemination=dissemination, channel="whatsapp")
    assert [p["text"] for p in params] == [
        published.title,
        published.lead,
        f"http://testserver/s/{link.code}",
    ]
    assert fake.telegram.bodies("/sendMessage")[0]["chat_id"] == "777"
    sms = fake.sms.bodies("/messages")
    assert len(sms) == 1 and len(sms[0]["text"]) <= 160 and "/s/" in sms[0]["text"]
    assert sorted(m.to[0] for m in fake.mail) == [
        "joko@example.org",
        "siti@example.org",
    ]
    # The email's unsubscribe link is channels' one.
    assert "http://testserver/berhenti/" in fake.mail[0].body
    assert deliveries.get(channel="whatsapp").provider_id.startswith("wamid.")

    # Sending the same item again reaches nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = _send(editor, published, kim_members=True)
    again.refresh_from_db()
    assert again.recipients == 0
    assert messages.count() == 5 and len(fake.mail) == 2
    assert len(fake.whatsapp.requests) + len(fake.telegram.requests) == 2


def test_killed_fan_out_resumes_without_duplicates(
    channel_settings, published, editor, kim
) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        person = Person.objects.create(
            full_name=f"Anggota {i}", email=f"a{i}@example.org"
        )
        Membership.objects.create(kim=kim, person=person)
    dissemination = _send(
        editor, published, channels=["email"], kim_members=True, subscribers=False
    )
    # The worker dies after the first batch of 10 …
    done = services.dissemination_fan_out(
        dissemination_id=dissemination.pk, batch_size=10, max_batches=1
    )
    assert done is False
    assert Delivery.objects.filter(dissemination=dissemination).count() == 10
    assert OutboxMessage.objects.filter(origin="newsroom").count() == 10
    dissemination.refresh_from_db()
    assert dissemination.fanout_finished_at is None
    # … the periodic task notices the stale fan-out …
    later = timezone.now() + timedelta(minutes=5)
    Dissemination.objects.filter(pk=dissemination.pk).update(
        fanout_heartbeat_at=later - timedelta(minutes=10)
    )
    assert services.disseminations_stalled() == [dissemination.pk]
    # … and runs it again (twice, as two workers might): no duplicates.
    assert services.dissemination_fan_out(
        dissemination_id=dissemination.pk, batch_size=10
    )
    assert services.dissemination_fan_out(
        dissemination_id=dissemination.pk, batch_size=10
    )
    keys = list(
        Delivery.objects.filter(dissemination=dissemination).values_list(
            "recipient_key", flat=True
        )
    )
    assert len(keys) == 25 == len(set(keys))
    assert OutboxMessage.objects.filter(origin="newsroom").count() == 25
    dissemination.refresh_from_db()
    assert dissemination.recipients == 25 and services.disseminations_stalled() == []
    # Sending twice sends each message once.
    outbox.outbox_send_due(channel="email")
    outbox.outbox_send_due(channel="email")
    assert len(channel_settings.mail) == 25
    # Each delivery now points at its message.
    assert not Delivery.objects.filter(outbox_message__isnull=True).exists()
    assert set(
        Delivery.objects.filter(dissemination=dissemination).values_list(
            "status", flat=True
        )
    ) == {"sent"}


def test_failed_channel_retries_with_backoff_and_does_not_block_others(
    channel_settings, published, editor, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = channel_settings
    _subscribers()
    fake.telegram.fail_next(502, {"ok": False}, times=20)
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    rows = {d.channel: d for d in Delivery.objects.filter(dissemination=dissemination)}
    assert rows["telegram"].status == "queued" and rows["telegram"].attempts == 1
    assert "502" in rows["telegram"].error
    delay = rows["telegram"].next_attempt_at - timezone.now()
    assert timedelta(seconds=30) < delay <= timedelta(minutes=1)
    assert {rows[c].status for c in ("whatsapp", "sms", "email")} == {"sent"}
    # Not due yet: the periodic task leaves it alone.
    assert outbox.channels_with_due_messages() == []
    # Still down at each retry: 1, 2, 4, 8, 16 minutes apart, then failed.
    for attempt in range(2, settings.CHANNELS_MAX_ATTEMPTS + 1):
        due = rows["telegram"].next_attempt_at
        wait = due - timezone.now()
        backoff = timedelta(minutes=2 ** (attempt - 2))
        assert backoff - timedelta(seconds=30) < wait <= backoff
        outbox.outbox_send_due(channel="telegram", now=due + timedelta(seconds=1))
        rows["telegram"].refresh_from_db()
        assert rows["telegram"].attempts == attempt
    assert rows["telegram"].status == "failed"
    # A refusal (4xx) fails at once without retry.
    fake.sms.fail_next(400, {"error": "bad number"})
    services.subscriber_create(
        channel="sms",
        phone="+6281200000099",
        region=Region.objects.get(kode="64.02.06"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = _send(editor, published, channels=["sms"])
    refused = Delivery.objects.get(dissemination=second)
    assert refused.status == "failed" and refused.attempts == 1


def test_quiet_hours_defer_non_urgent_messages(
    channel_settings, published, editor, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSROOM_QUIET_START_HOUR, settings.NEWSROOM_QUIET_END_HOUR = 21, 6
    _subscribers()
    night = timezone.make_aware(datetime(2026, 3, 2, 22, 30))  # WITA
    assert services.in_quiet_hours(night)
    assert not services.in_quiet_hours(night.replace(hour=6, minute=0))
    morning = services.quiet_hours_end(night)
    assert timezone.localtime(morning).isoformat().startswith("2026-03-03T06:00")
    dissemination = _send(editor, published, channels=["email"])
    services.dissemination_fan_out(dissemination_id=dissemination.pk, now=night)
    row = Delivery.objects.get(dissemination=dissemination)
    assert row.next_attempt_at == morning
    message = OutboxMessage.objects.get(
        dedupe_key=services.outbox_key(dissemination.pk, row.recipient_key)
    )
    assert (message.not_before, message.reference) == (morning, published.item_ref)
    assert outbox.outbox_send_due(channel="email", now=night)["sent"] == 0
    assert outbox.outbox_send_due(channel="email", now=morning)["sent"] == 1
    # Urgent items ignore quiet hours.
    services.subscriber_create(
        channel="email",
        email="baru@example.org",
        region=Region.objects.get(kode="64.02"),
    )
    urgent = services.dissemination_create(
        actor=editor,
        item_url="http://testserver/cek-fakta/9/",
        title="Hoaks banjir",
        summary="Foto lama.",
        item_ref="factcheck:9",
        audience={"region_codes": ["64.02"]},
        channels=["email"],
        urgent=True,
    )
    services.dissemination_fan_out(dissemination_id=urgent.pk, now=night)
    assert outbox.outbox_send_due(channel="email", now=night)["sent"] == 2


def test_opt_out_link_of_earlier_emails_still_works(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _subscribers()
    # Emails sent before the move to channels carry the newsroom's signed key.
    link = services.opt_out_url("p:+6281200000001")
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert not Consent.objects.filter(status="opted_out").exists()  # GET only asks
    assert client.post(path).status_code == 200
    assert _opted_out("whatsapp", "+6281200000001")
    assert _opted_out("sms", "+6281200000001")
    assert Subscriber.objects.get(phone="+6281200000001").opted_out_at is not None
    assert client.post("/kabar/berhenti/rusak/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    channels = set(
        Delivery.objects.filter(dissemination=dissemination).values_list(
            "channel", flat=True
        )
    )
    assert "whatsapp" not in channels and channels == {"sms", "email", "telegram"}
    # Subscribing again ends the opt-out on that channel.
    services.subscriber_create(
        channel="whatsapp",
        phone="0812-0000-0001",
        region=Region.objects.get(kode="64.02"),
    )
    assert not _opted_out("whatsapp", "+6281200000001")


def _whatsapp_post(client, payload):  # type: ignore[no-untyped-def]
    body = json.dumps(payload).encode()
    return client.post(
        "/hooks/whatsapp/", body, content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(body, "wa-app-secret"),
    )  # fmt: skip


def test_berhenti_holds_back_new_disseminations_on_that_channel(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = channel_settings
    _subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        stop = _whatsapp_post(
            client,
            whatsapp_payload(
                messages=[whatsapp_text("6281200000001", "BERHENTI", "wamid.in1")]
            ),
        )
    assert stop.status_code == 200
    assert _opted_out("whatsapp", "+6281200000001")
    confirmations = len(fake.whatsapp.requests)  # channels' own confirmation
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    rows = {d.channel: d for d in Delivery.objects.filter(dissemination=dissemination)}
    # Held for that person on WhatsApp: nothing went out; the others were sent.
    assert rows["whatsapp"].status == "held"
    assert rows["whatsapp"].outbox_message.status == "held"
    assert len(fake.whatsapp.requests) == confirmations
    assert {rows[c].status for c in ("sms", "email", "telegram")} == {"sent"}
    assert selectors.delivery_counts(dissemination=dissemination)["whatsapp"] == {
        "held": 1
    }
    client.force_login(editor)
    page = client.get(f"/kabar/staf/sebaran/{dissemination.pk}/").content.decode()
    held_only = "".join(f"<td>{n}</td>" for n in (0, 0, 0, 0, 0, 1))
    assert f"<td>whatsapp</td>{held_only}" in page


def test_forum_boards_and_permissions(
    channel_settings, published, editor, berau_editor, kim
) -> None:  # type: ignore[no-untyped-def]
    forum = Forum.objects.create(name="Forum KIM Kukar", region_id="64.02")
    chair = Person.objects.create(full_name="Ketua Forum", phone="+6281200000050")
    BoardMember.objects.create(forum=forum, person=chair, position="ketua")
    dissemination = _send(
        editor, published, channels=["sms"], subscribers=False, forum_boards=True
    )
    services.dissemination_fan_out(dissemination_id=dissemination.pk)
    row = Delivery.objects.get(dissemination=dissemination)
    assert (row.source, row.address) == ("forum_board", "+6281200000050")
    with pytest.raises(PermissionDenied):
        _send(berau_editor, published)
    with pytest.raises(ValidationError):
        _send(editor, published, channels=["pigeon"])
    channel_settings_off = ["sms"]
    from django.conf import settings

    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ValidationError):
        _send(editor, published, channels=channel_settings_off)


@pytest.fixture
def sent(channel_settings, published, editor, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The published article sent to the subscribers, its send tasks run."""
    _subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        return _send(editor, published)


def test_status_callbacks_on_the_channel_webhooks_update_deliveries_and_reach(
    sent, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    dissemination = sent
    wa = Delivery.objects.get(dissemination=dissemination, channel="whatsapp")
    sms = Delivery.objects.get(dissemination=dissemination, channel="sms")

    def statuses(status: str):  # type: ignore[no-untyped-def]
        return whatsapp_payload(
            statuses=[
                {
                    "id": wa.provider_id,
                    "status": status,
                    "timestamp": "1767225600",
                    "recipient_id": "6281200000001",
                }
            ]
        )

    body = json.dumps(statuses("read")).encode()
    bad = client.post(
        "/hooks/whatsapp/", body, content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256="sha256=00",
    )  # fmt: skip
    assert bad.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _whatsapp_post(client, statuses("read")).status_code == 200
    wa.refresh_from_db()
    assert wa.status == "read" and wa.read_at and wa.delivered_at
    reach = selectors.reach_by_item(dissemination_id=dissemination.pk)
    assert reach.read == 1 and reach.delivered == 1
    # A late "delivered", through the old newsroom URL (a deprecated alias of
    # the same webhook), does not undo "read".
    late = json.dumps(statuses("delivered")).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/callbacks/whatsapp", late, content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(late, "wa-app-secret"),
        )  # fmt: skip
    assert response.status_code == 200
    wa.refresh_from_db()
    assert wa.status == "read"

    report = {"id": sms.provider_id, "status": "delivered"}
    for url in ("/hooks/sms/", "/api/v1/callbacks/sms"):
        refused = client.post(
            url, report, content_type="application/json",
            HTTP_X_GATEWAY_SECRET="salah",
        )  # fmt: skip
        assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            "/api/v1/callbacks/sms", report, content_type="application/json",
            HTTP_X_GATEWAY_SECRET="sms-secret",
        )  # fmt: skip
    assert ok.status_code == 200
    sms.refresh_from_db()
    assert sms.status == "delivered" and sms.delivered_at
    # Telegram reports nothing: "sent" stays.
    assert (
        Delivery.objects.get(dissemination=dissemination, channel="telegram").status
        == "sent"
    )


def test_telegram_bot_subscribes_and_unsubscribes(
    channel_settings, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = channel_settings
    updates = iter(range(1, 100))

    def say(text: str, secret: str = "tg-secret", url: str = "/hooks/telegram/"):  # type: ignore[no-untyped-def]  # noqa: S107
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url, telegram_update(next(updates), 4242, text),
                content_type="application/json",
                HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
            )  # fmt: skip

    assert say("/langganan", secret="salah").status_code == 403
    assert say("/langganan Tenggarong").status_code == 200
    subscriber = Subscriber.objects.get(telegram_chat_id="4242")
    assert subscriber.region_id == "64.02.06"
    answer = fake.telegram.bodies("/sendMessage")[-1]
    assert answer["chat_id"] == "4242" and "Tenggarong" in answer["text"]
    # /berhenti is channels': the chat gets nothing more from any app.
    say("/berhenti")
    assert _opted_out("telegram", "4242")
    # The old newsroom URL is an alias of the same webhook.
    assert say("/langganan", url="/api/v1/callbacks/telegram").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.region_id == "64" and not _opted_out("telegram", "4242")
    assert "Wilayah tidak ditemukan" in (
        say("/langganan Atlantis") and fake.telegram.bodies("/sendMessage")[-1]["text"]
    )


def test_sms_text_fits_in_160_characters() -> None:
    text = sms_text(
        "Judul panjang sekali " * 10, "Ringkasan " * 30, "https://s.id/s/Abc1234"
    )
    assert len(text) <= 160 and text.endswith(" https://s.id/s/Abc1234")
    assert sms_text("Pendek", "Isi", "http://x/s/a") == "Pendek: Isi http://x/s/a"


def test_subscribe_form(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/kabar/langganan/",
        {"channel": "whatsapp", "phone": "0812 0000 0077", "region": "64.02",
         "topics": ["umkm"], "consent": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.phone == "+6281200000077" and subscriber.topic_list() == ["umkm"]
    bad = client.post(
        "/kabar/langganan/",
        {"channel": "sms", "phone": "12", "region": "64", "consent": "on"},
    )
    assert bad.status_code == 200 and Subscriber.objects.count() == 1


def test_callbacks_with_non_ascii_secrets_are_refused(channel_settings, client) -> None:  # type: ignore[no-untyped-def]
    sms = b'{"id": "x", "status": "delivered"}'
    for url, body, header in [
        ("/api/v1/callbacks/whatsapp", b"{}", {"X-Hub-Signature-256": "sha256=\u00e9"}),
        ("/api/v1/callbacks/sms", sms, {"X-Gateway-Secret": "rahasia-\u00e9"}),
        (
            "/api/v1/callbacks/telegram",
            b"{}",
            {"X-Telegram-Bot-Api-Secret-Token": "\u00e9"},
        ),
    ]:
        response = client.post(
            url, body, content_type="application/json", headers=header
        )
        # The old URLs are channels' hooks now: a wrong secret is 403 there.
        assert response.status_code == 403, url


def test_authenticated_callbacks_of_the_wrong_shape_change_nothing(
    sent, client
) -> None:  # type: ignore[no-untyped-def]
    wa = Delivery.objects.get(dissemination=sent, channel="whatsapp")
    before = wa.status
    for payload in [
        [],
        {"entry": {"changes": []}},
        {"entry": [{"changes": [{"value": []}]}]},
        {"entry": [{"changes": [{"value": {"statuses": [
            {"id": wa.provider_id, "status": "failed", "errors": "x"}
        ]}}]}]},
        {"entry": [{"changes": [{"value": {"statuses": [
            {"id": [wa.provider_id], "status": "read"}
        ]}}]}]},
    ]:  # fmt: skip
        body = json.dumps(payload).encode()
        response = client.post(
            "/api/v1/callbacks/whatsapp", body, content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(body, "wa-app-secret"),
        )  # fmt: skip
        # A provider sends a refused call again and again: ignored, answered 200.
        assert response.status_code == 200, payload
    wa.refresh_from_db()
    assert wa.status == before
    for update in [[], {"update_id": 1, "message": {"chat": [], "text": "/start"}}]:
        response = client.post(
            "/api/v1/callbacks/telegram", update, content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="tg-secret",
        )  # fmt: skip
        assert response.status_code == 200
