import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from network.models import BoardMember, Forum, Membership, Person
from newsroom import services
from newsroom.channels import sms_text
from newsroom.models import Delivery, Dissemination, OptOut, ShortLink, Subscriber
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
    return services.dissemination_create(
        actor=editor,
        item_url="http://testserver" + published.get_absolute_url(),
        title=published.title,
        summary=published.lead,
        item_ref=published.item_ref,
        region=published.region,
        audience={"region_codes": ["64.02"], **audience},
        channels=channels,
        article=published,
    )


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
    whatsapp = fake.paths("/555/messages")
    assert len(whatsapp) == 1 and whatsapp[0]["to"] == "6281200000001"
    assert whatsapp[0]["type"] == "template"
    params = whatsapp[0]["template"]["components"][0]["parameters"]
    link = ShortLink.objects.get(dissemination=dissemination, channel="whatsapp")
    assert params[2]["text"] == f"http://testserver/s/{link.code}"
    assert fake.paths("/bot123:abc/sendMessage")[0]["chat_id"] == "777"
    sms = fake.paths("/sms/messages")
    assert len(sms) == 1 and len(sms[0]["text"]) <= 160 and "/s/" in sms[0]["text"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "joko@example.org",
        "siti@example.org",
    ]
    assert "/kabar/berhenti/" in mail.outbox[0].body
    assert deliveries.get(channel="whatsapp").provider_id.startswith("wamid.")

    # Sending the same item again reaches nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = _send(editor, published, kim_members=True)
    again.refresh_from_db()
    assert again.recipients == 0
    assert len(fake.requests) == 3 and len(mail.outbox) == 2


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
    dissemination.refresh_from_db()
    assert dissemination.recipients == 25 and services.disseminations_stalled() == []
    # Sending twice sends each message once.
    services.deliveries_send(channel="email")
    services.deliveries_send(channel="email")
    assert len(mail.outbox) == 25


def test_failed_channel_retries_with_backoff_and_does_not_block_others(
    channel_settings, published, editor, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = channel_settings
    _subscribers()

    def telegram_down(path, body):  # type: ignore[no-untyped-def]
        if "/sendMessage" in path:
            return 502, {"ok": False}
        return fake.default(path, body)

    fake.respond = telegram_down
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    rows = {d.channel: d for d in Delivery.objects.filter(dissemination=dissemination)}
    assert rows["telegram"].status == "queued" and rows["telegram"].attempts == 1
    assert "502" in rows["telegram"].error
    delay = rows["telegram"].next_attempt_at - timezone.now()
    assert timedelta(seconds=30) < delay <= timedelta(minutes=1)
    assert {rows[c].status for c in ("whatsapp", "sms", "email")} == {"sent"}
    # Not due yet: the periodic task leaves it alone.
    assert services.channels_with_due_deliveries() == []
    # Still down at each retry: 1, 2, 4, 8 minutes apart, then failed.
    moment = timezone.now()
    for attempt in range(2, 6):
        moment += timedelta(minutes=2 ** (attempt - 1))
        services.deliveries_send(channel="telegram", now=moment)
        rows["telegram"].refresh_from_db()
        assert rows["telegram"].attempts == attempt
    assert rows["telegram"].status == "failed"
    # A refusal (4xx) fails at once without retry.
    fake.respond = lambda path, body: (400, {"error": "bad number"})
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
    assert services.deliveries_send(channel="email", now=night)["sent"] == 0
    assert services.deliveries_send(channel="email", now=morning)["sent"] == 1
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
    assert services.deliveries_send(channel="email", now=night)["sent"] == 2


def test_opt_out_is_honoured(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _subscribers()
    link = services.opt_out_url("p:+6281200000001")
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert not OptOut.objects.exists()  # GET only asks
    assert client.post(path).status_code == 200
    assert OptOut.objects.filter(recipient_key="p:+6281200000001").exists()
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


def _wa_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()


def test_callbacks_are_authenticated_and_update_status(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    wa = Delivery.objects.get(dissemination=dissemination, channel="whatsapp")
    sms = Delivery.objects.get(dissemination=dissemination, channel="sms")

    def statuses(status: str) -> bytes:
        payload = {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"value": {"statuses": [
                {"id": wa.provider_id, "status": status, "timestamp": "1"}
            ]}}]}],
        }  # fmt: skip
        return json.dumps(payload).encode()

    url = "/api/v1/callbacks/whatsapp"
    body = statuses("read")
    bad = client.post(
        url, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256="sha256=00"
    )
    assert bad.status_code == 401
    assert client.post(url, body, content_type="application/json").status_code == 401
    ok = client.post(
        url, body, content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=_wa_signature(body),
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json() == {"updated": 1}
    wa.refresh_from_db()
    assert wa.status == "read" and wa.read_at and wa.delivered_at
    # A late "delivered" does not undo "read".
    late = statuses("delivered")
    client.post(
        url, late, content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=_wa_signature(late),
    )  # fmt: skip
    wa.refresh_from_db()
    assert wa.status == "read"

    sms_url = "/api/v1/callbacks/sms"
    report = {"id": sms.provider_id, "status": "delivered"}
    assert (
        client.post(sms_url, report, content_type="application/json").status_code == 401
    )
    assert (
        client.post(
            sms_url,
            report,
            content_type="application/json",
            HTTP_X_GATEWAY_SECRET="salah",
        ).status_code
        == 401
    )
    ok = client.post(
        sms_url, report, content_type="application/json",
        HTTP_X_GATEWAY_SECRET="sms-callback-secret",
    )  # fmt: skip
    assert ok.json() == {"updated": 1}
    sms.refresh_from_db()
    assert sms.status == "delivered"
    # Telegram reports nothing: "sent" stays.
    assert (
        Delivery.objects.get(dissemination=dissemination, channel="telegram").status
        == "sent"
    )


def test_telegram_bot_subscribes_and_unsubscribes(channel_settings, client) -> None:  # type: ignore[no-untyped-def]
    url = "/api/v1/callbacks/telegram"

    def say(text: str, secret: str = "tg-secret"):  # type: ignore[no-untyped-def]  # noqa: S107
        update = {
            "update_id": 1,
            "message": {"chat": {"id": 4242, "first_name": "Rina"}, "text": text},
        }
        return client.post(
            url, update, content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
        )  # fmt: skip

    assert say("/start", secret="salah").status_code == 401
    answer = say("/langganan Tenggarong").json()
    assert answer["method"] == "sendMessage" and "Tenggarong" in answer["text"]
    subscriber = Subscriber.objects.get(telegram_chat_id="4242")
    assert subscriber.region_id == "64.02.06" and subscriber.name == "Rina"
    assert "berhenti" in say("/berhenti").json()["text"]
    subscriber.refresh_from_db()
    assert subscriber.opted_out_at is not None
    say("/start")
    subscriber.refresh_from_db()
    assert subscriber.opted_out_at is None and subscriber.region_id == "64"


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
        assert response.status_code == 401, url


def test_authenticated_callbacks_of_the_wrong_shape_get_400(
    channel_settings, published, editor, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        dissemination = _send(editor, published)
    wa = Delivery.objects.get(dissemination=dissemination, channel="whatsapp")
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
            HTTP_X_HUB_SIGNATURE_256=_wa_signature(body),
        )  # fmt: skip
        assert response.status_code == 400, payload
    wa.refresh_from_db()
    assert wa.status == before
    for update in [[], {"update_id": 1, "message": {"chat": [], "text": "/start"}}]:
        response = client.post(
            "/api/v1/callbacks/telegram", update, content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="tg-secret",
        )  # fmt: skip
        assert response.status_code == 400
