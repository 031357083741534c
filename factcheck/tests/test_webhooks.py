"""Telegram and WhatsApp webhooks, with replies sent to local fake servers."""

import hashlib
import hmac
import json

import pytest
from django.test import Client

from factcheck.models import (
    Claim,
    OutgoingMessage,
    Tip,
    Tipster,
    WebhookDelivery,
)
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR

pytestmark = pytest.mark.django_db
TG = "/tipline/telegram/"
WA = "/tipline/whatsapp/"


def tg_update(update_id: int, text: str | None, chat: int = 4242) -> dict:
    message: dict = {
        "message_id": update_id,
        "date": 1720000000,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "first_name": "Warga"},
    }
    if text is not None:
        message["text"] = text
    else:
        message["sticker"] = {"file_id": "x"}
    return {"update_id": update_id, "message": message}


def post_tg(client: Client, update: dict, header: str = "tg-secret"):
    return client.post(
        TG,
        json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": header},
    )


def wa_payload(msg_id: str, text: str | None, sender: str = "6281234567890") -> dict:
    message: dict = {"from": sender, "id": msg_id, "timestamp": "1720000000"}
    if text is None:
        message.update(type="sticker", sticker={"id": "s"})
    else:
        message.update(type="text", text={"body": text})
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": "1055"},
                            "contacts": [{"wa_id": sender, "profile": {"name": "W"}}],
                            "messages": [message],
                        },
                    }
                ],
            }
        ],
    }


def post_wa(client: Client, payload: dict, key: str = "wa-app-secret"):
    body = json.dumps(payload).encode()
    signature = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        WA,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": f"sha256={signature}"},
    )


def test_telegram_rejects_a_bad_secret_and_logs_it(
    client: Client, channels, caplog
) -> None:
    response = post_tg(client, tg_update(1, KNOWN_HOAX), header="wrong")
    assert response.status_code == 403
    response = client.post(TG, "{}", content_type="application/json")
    assert response.status_code == 403
    assert "rejected" in caplog.text
    assert not Tip.objects.exists() and not WebhookDelivery.objects.exists()


def test_telegram_known_hoax_gets_the_verdict_at_once(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_tg(client, tg_update(10, KNOWN_HOAX))
    assert response.status_code == 200 and response.json()["result"] == "match"
    (sent,) = channels.sent("/sendMessage")
    assert sent.path == "/bot123:abc/sendMessage"
    assert sent.body["chat_id"] == "4242"
    assert "PENIPUAN" in sent.body["text"]
    assert "https://cekfakta.example/blt" in sent.body["text"]
    assert OutgoingMessage.objects.get().status == OutgoingMessage.Status.SENT


def test_telegram_replays_are_processed_once(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert post_tg(client, tg_update(11, NEW_RUMOUR)).json()["result"] in (
            "none",
            "suggest",
        )
        assert post_tg(client, tg_update(11, NEW_RUMOUR)).json()["result"] == (
            "duplicate"
        )
    assert Tip.objects.count() == 1
    (sent,) = channels.sent("/sendMessage")
    assert "sedang mengeceknya" in sent.body["text"]


def test_telegram_commands_and_bad_messages_get_polite_replies(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    cases = [
        ("/start", "start", "Cek Fakta"),
        (None, "not_text", "hanya dapat memeriksa pesan teks"),
        ("🙏🙏🙏", "invalid", "Maaf"),
        ("x" * 20_000, "invalid", "terlalu panjang"),
        ("<script>alert(1)</script>", "invalid", "kosong"),
        ("WILAYAH Kukar", "region", "Kutai Kartanegara"),
        ("/berhenti", "stop", "tidak akan menerima"),
    ]
    for n, (text, result, reply) in enumerate(cases, start=100):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_tg(client, tg_update(n, text))
        assert response.status_code == 200
        assert response.json()["result"] == result, text
        assert reply in channels.sent("/sendMessage")[-1].body["text"], text
    tipster = Tipster.objects.get()
    assert tipster.region_id == "64.02" and not tipster.subscribed
    assert not Tip.objects.exists()


def test_telegram_delete_request_removes_the_contact(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_tg(client, tg_update(200, NEW_RUMOUR))
        assert post_tg(client, tg_update(201, "HAPUS")).json()["result"] == "delete"
    assert not Tipster.objects.exists()
    assert Tip.objects.get().tipster is None
    goodbye = channels.sent("/sendMessage")[-1].body
    assert goodbye["chat_id"] == "4242" and "sudah kami hapus" in goodbye["text"]
    assert OutgoingMessage.objects.filter(contact_encrypted="").count() == 2


def test_telegram_is_rate_limited_per_chat(
    client: Client, corpus, channels, settings
) -> None:
    settings.TIPLINE_RATE = "2/m"
    results = [
        post_tg(client, tg_update(300 + n, NEW_RUMOUR + f" {n}")).json()["result"]
        for n in range(3)
    ]
    assert results[-1] == "rate_limited"
    other_chat = post_tg(client, tg_update(400, NEW_RUMOUR, chat=777)).json()
    assert other_chat["result"] != "rate_limited"


def test_whatsapp_webhook_verification(client: Client, channels) -> None:
    ok = client.get(
        WA,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "wa-verify",
            "hub.challenge": "42",
        },
    )
    assert ok.status_code == 200 and ok.content == b"42"
    bad = client.get(
        WA, {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "42"}
    )
    assert bad.status_code == 403


def test_whatsapp_rejects_bad_signatures(client: Client, channels, caplog) -> None:
    response = post_wa(client, wa_payload("wamid.1", KNOWN_HOAX), key="wrong")
    assert response.status_code == 403
    unsigned = client.post(
        WA,
        json.dumps(wa_payload("wamid.1", KNOWN_HOAX)),
        content_type="application/json",
    )
    assert unsigned.status_code == 403
    assert "bad signature" in caplog.text
    assert not Tip.objects.exists()


def test_whatsapp_tip_is_answered_through_the_graph_api(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_wa(client, wa_payload("wamid.A", KNOWN_HOAX))
        assert response.json()["results"] == ["match"]
        replay = post_wa(client, wa_payload("wamid.A", KNOWN_HOAX))
        assert replay.json()["results"] == ["duplicate"]
        assert post_wa(client, wa_payload("wamid.B", None)).json()["results"] == [
            "not_text"
        ]
    first, second = channels.sent("/v21.0/1055/messages")
    assert first.body["to"] == "6281234567890"
    assert "PENIPUAN" in first.body["text"]["body"]
    assert "teks" in second.body["text"]["body"]
    assert first.headers["Authorization"] == "Bearer wa-token"
    tipster = Tipster.objects.get()
    assert tipster.masked == "+62812•••••890"
    assert Claim.objects.get().tip_count == 1


def test_failed_sends_are_kept_for_a_retry(
    client: Client, corpus, channels, django_capture_on_commit_callbacks
) -> None:
    from factcheck.tasks import outgoing_retry_task

    channels.fail_with = 500
    with django_capture_on_commit_callbacks(execute=True):
        post_wa(client, wa_payload("wamid.F", NEW_RUMOUR))
    message = OutgoingMessage.objects.get()
    assert message.status == OutgoingMessage.Status.FAILED and "500" in message.error
    channels.fail_with = 0
    outgoing_retry_task.call()
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and message.attempts == 2


def test_non_ascii_secret_headers_are_refused_not_crashed(
    client: Client, corpus, channels
) -> None:
    assert (
        post_tg(client, tg_update(500, NEW_RUMOUR), header="rahasia-é").status_code
        == 403
    )
    body = json.dumps(wa_payload("wamid.NA", NEW_RUMOUR)).encode()
    response = client.post(
        WA, body, content_type="application/json",
        headers={"X-Hub-Signature-256": "sha256=é" + "0" * 63},
    )  # fmt: skip
    assert response.status_code == 403
    verify = client.get(
        WA, {"hub.mode": "subscribe", "hub.verify_token": "é", "hub.challenge": "1"}
    )
    assert verify.status_code == 403
    assert not Tip.objects.exists() and not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "update",
    [
        [],
        {"update_id": 600, "message": []},
        {"update_id": 601, "message": {"chat": [], "text": "x"}},
        {"update_id": 602, "message": {"chat": {"id": {"a": 1}}, "text": "x"}},
        {"update_id": 603, "message": {"chat": {"id": 1}, "text": ["x"]}},
        {"update_id": {"nested": True}},
    ],
)
def test_telegram_payloads_of_the_wrong_shape_get_400(
    client: Client, corpus, channels, update
) -> None:  # type: ignore[no-untyped-def]
    response = post_tg(client, update)
    assert response.status_code == 400
    assert not Tip.objects.exists() and not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"value": []},
        {"value": {"messages": {"id": "x"}}},
        {"value": {"messages": [{"id": "w1", "from": "62812", "type": "text",
                                 "text": "bukan objek"}]}},
        {"value": {"messages": [{"id": ["w2"], "from": "62812"}]}},
    ],
)  # fmt: skip
def test_whatsapp_payloads_of_the_wrong_shape_get_400(
    client: Client, corpus, channels, change
) -> None:  # type: ignore[no-untyped-def]
    response = post_wa(client, {"entry": [{"changes": [change]}]})
    assert response.status_code == 400
    assert not Tip.objects.exists() and not WebhookDelivery.objects.exists()


def test_deeply_nested_webhook_payload_gets_400(
    client: Client, corpus, channels
) -> None:
    response = client.post(
        TG, '{"update_id": 700, "x": ' + "[" * 5000 + "]" * 5000 + "}",
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secret"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()
