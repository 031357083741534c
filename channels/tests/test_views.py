"""The webhooks: who may call, replays, bad payloads, and what the task makes of
each event (consent commands, routes to apps, status reports)."""

from __future__ import annotations

import json

import pytest

from channels import routes
from channels.models import Consent, InboundEvent, OutboxMessage, WebhookCall
from channels.testing import (
    telegram_update,
    whatsapp_payload,
    whatsapp_signature,
    whatsapp_text,
)
from channels.tests.fixtures import keep

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"


@pytest.fixture
def hooks(fake_telegram, fake_whatsapp, fake_sms, post_hook):
    """Post to the webhooks with the tasks run as on a worker."""

    class Hooks:
        def telegram(self, client, payload, secret="tg-secret"):  # noqa: S107
            return post_hook(
                client,
                "/hooks/telegram/",
                json.dumps(payload),
                HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
            )

        def whatsapp(self, client, payload, secret="wa-app-secret", raw=None):  # noqa: S107
            body = raw if raw is not None else json.dumps(payload).encode()
            signature = whatsapp_signature(body, secret)
            return post_hook(
                client, "/hooks/whatsapp/", body, HTTP_X_HUB_SIGNATURE_256=signature
            )

        def sms(self, client, payload, secret="sms-secret"):  # noqa: S107
            return post_hook(
                client, "/hooks/sms/", json.dumps(payload), HTTP_X_GATEWAY_SECRET=secret
            )

    return Hooks()


def test_telegram_secret_token_is_checked(client, hooks, caplog) -> None:
    response = hooks.telegram(client, telegram_update(1, 42, "halo"), secret="wrong")
    assert response.status_code == 403
    assert "bad secret token" in caplog.text
    assert not WebhookCall.objects.exists()


def test_telegram_text_is_routed_once(client, hooks) -> None:
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen), name="tips")
    update = telegram_update(10, 42, "Katanya jembatan ditutup")
    assert hooks.telegram(client, update).json()["result"] == "queued"
    assert hooks.telegram(client, update).json()["result"] == "duplicate"
    assert len(seen) == 1
    event = seen[0]
    assert (event.channel, event.kind, event.address) == ("telegram", "text", "42")
    assert event.text == "Katanya jembatan ditutup"
    assert InboundEvent.objects.get().handled_by == "tips"


def test_control_characters_from_a_person_are_taken_out_not_refused(
    client, hooks
) -> None:
    # The site-wide input guard answers 400 to a NUL elsewhere; a provider would
    # send a refused update again and again, so the hook keeps it, cleaned.
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen), name="tips")
    update = telegram_update(11, 42, "Jembatan\u0000 ditutup\u0007")
    assert hooks.telegram(client, update).json()["result"] == "queued"
    assert [e.text for e in seen] == ["Jembatan ditutup"]
    assert InboundEvent.objects.get().handled_by == "tips"
    refused = client.post(
        "/api/v1/factcheck/match",
        json.dumps({"text": "Jembatan\u0000"}),
        content_type="application/json",
    )
    assert refused.status_code == 400


def test_commands_and_buttons_are_routed_by_match(client, hooks, fake_telegram) -> None:
    got: list = []
    routes.register_route(
        kind="command",
        match="langganan",
        handler=keep(got, lambda e: ("sub", e.text)),
        order=0,  # before the newsroom's own /langganan route
    )
    routes.register_route(
        kind="button",
        match="fc:",
        handler=keep(got, lambda e: ("fc", e.button_id)),
    )
    hooks.telegram(client, telegram_update(1, 42, "/langganan@SimpulBot Tenggarong"))
    hooks.telegram(
        client,
        {
            "update_id": 2,
            "callback_query": {
                "id": "cq1",
                "from": {"id": 42},
                "data": "fc:yes",
                "message": {"message_id": 5, "chat": {"id": 42}},
            },
        },
    )
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[
                {
                    "from": "6281234567890",
                    "id": "wamid.b1",
                    "timestamp": "1",
                    "type": "interactive",
                    "interactive": {
                        "type": "list_reply",
                        "list_reply": {"id": "fc:no", "title": "Tidak"},
                    },
                }
            ]
        ),
    )
    assert got == [("sub", "Tenggarong"), ("fc", "fc:yes"), ("fc", "fc:no")]
    answered = fake_telegram.bodies("answerCallbackQuery")
    assert answered == [{"callback_query_id": "cq1"}]


@pytest.mark.parametrize("word", ["BERHENTI", "stop", " Stop ", "/berhenti"])
def test_stop_words_opt_out_every_app(client, hooks, fake_telegram, word) -> None:
    routes.register_route(kind="text", handler=lambda e: True)
    routes.register_route(kind="command", handler=lambda e: True)
    hooks.telegram(client, telegram_update(1, 42, word))
    consent = Consent.objects.get(channel="telegram")
    assert consent.status == Consent.Status.OPTED_OUT
    assert consent.opted_out_source == "command"
    # The confirmation went out (immediate tasks), in Indonesian.
    assert "tidak akan menerima" in fake_telegram.bodies("sendMessage")[0]["text"]
    assert InboundEvent.objects.get().handled_by == "channels.stop"


def test_mulai_opts_in_again_and_is_confirmed_when_no_app_answers(
    client, hooks, fake_whatsapp
) -> None:
    hooks.whatsapp(
        client,
        whatsapp_payload(messages=[whatsapp_text("6281234567890", "STOP", "w1")]),
    )
    hooks.whatsapp(
        client,
        whatsapp_payload(messages=[whatsapp_text("6281234567890", "Mulai", "w2")]),
    )
    consent = Consent.objects.get(channel="whatsapp")
    assert consent.status == Consent.Status.OPTED_IN
    assert consent.opted_in_source == "command:mulai"
    assert consent.last_inbound_at is not None
    texts = [b["text"]["body"] for b in fake_whatsapp.bodies()]
    assert len(texts) == 2 and "lagi" in texts[1]


def test_data_and_hapus(client, hooks, fake_whatsapp) -> None:
    routes.register_data_provider(
        "factcheck",
        summary=lambda channel, address: ["Laporan hoaks: 2"],
        erase=lambda channel, address: 2,
    )
    hooks.whatsapp(
        client,
        whatsapp_payload(messages=[whatsapp_text("6281234567890", "info data", "w1")]),
    )
    summary = fake_whatsapp.bodies()[0]["text"]["body"]
    assert "Laporan hoaks: 2" in summary and "HAPUS" in summary
    hooks.whatsapp(
        client,
        whatsapp_payload(messages=[whatsapp_text("6281234567890", "HAPUS", "w2")]),
    )
    consent = Consent.objects.get()
    assert consent.status == Consent.Status.OPTED_OUT and consent.erased_at
    # What the person wrote is gone; the confirmation still went out.
    assert set(InboundEvent.objects.values_list("text", flat=True)) == {""}
    assert set(WebhookCall.objects.values_list("body", flat=True)) == {""}
    assert "dihapus" in fake_whatsapp.bodies()[-1]["text"]["body"]
    # Once sent, that confirmation is emptied too: no row keeps the number.
    assert set(OutboxMessage.objects.values_list("to", "body")) == {("", "")}
    assert not OutboxMessage.objects.filter(dedupe_key__contains="628").exists()


def test_whatsapp_verification(client, fake_whatsapp) -> None:
    ok = client.get(
        "/hooks/whatsapp/",
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "wa-verify",
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(
        "/hooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "x"},
    )
    assert bad.status_code == 403


def test_whatsapp_signature_is_checked(client, hooks, caplog) -> None:
    payload = whatsapp_payload(messages=[whatsapp_text("6281234567890", "hi", "w1")])
    assert hooks.whatsapp(client, payload, secret="wrong").status_code == 403
    assert "bad signature" in caplog.text
    assert not InboundEvent.objects.exists()


def test_status_callbacks_update_the_outbox(client, hooks) -> None:
    from channels import services

    changes: list[routes.StatusChange] = []
    routes.register_status_handler(origin="newsroom", handler=changes.append)
    row = services.message_send(
        channel="whatsapp",
        to=PHONE,
        body="x",
        dedupe_key="d",
        origin="newsroom",
        reference="r1",
    )
    OutboxMessage.objects.filter(pk=row.pk).update(
        status="sent", provider_message_id="wamid.X"
    )
    hooks.whatsapp(
        client,
        whatsapp_payload(
            statuses=[
                {
                    "id": "wamid.X",
                    "status": "delivered",
                    "recipient_id": "6281234567890",
                },
                {"id": "wamid.X", "status": "read", "recipient_id": "6281234567890"},
            ]
        ),
    )
    row.refresh_from_db()
    assert row.status == "read"
    assert [c.status for c in changes] == ["delivered", "read"]
    # The same statuses inside another call count once.
    hooks.whatsapp(
        client,
        whatsapp_payload(
            statuses=[
                {"id": "wamid.X", "status": "read", "recipient_id": "6281234567890"},
                {"id": "wamid.X", "status": "failed", "errors": [{"code": 131026}]},
            ]
        ),
    )
    assert [c.status for c in changes] == ["delivered", "read"]


def test_sms_reports_and_inbound_stop(client, hooks) -> None:
    from channels import services

    row = services.message_send(
        channel="sms", to=PHONE, body="x", dedupe_key="d", origin="newsroom"
    )
    OutboxMessage.objects.filter(pk=row.pk).update(
        status="sent", provider_message_id="s1"
    )
    assert (
        hooks.sms(client, {"id": "s1", "status": "failed"}, secret="x").status_code
        == 403
    )
    hooks.sms(client, {"id": "s1", "status": "failed", "error": "no route"})
    row.refresh_from_db()
    assert row.status == "failed" and row.error == "no route"
    hooks.sms(client, {"id": "in1", "from": "081234567890", "text": "STOP"})
    assert Consent.objects.get(channel="sms").status == Consent.Status.OPTED_OUT


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[1, 2]",
        b'{"update_id": "12"}',
        b'{"update_id": true}',
        json.dumps(
            {
                "update_id": 5,
                "message": {"message_id": "x", "chat": {"id": 1}, "text": "hi"},
            }
        ).encode(),
        json.dumps(
            {
                "update_id": 6,
                "message": {"message_id": 1, "chat": {"id": 1}, "text": ["hi"]},
            }
        ).encode(),
        (b'{"update_id": 7, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
        ("{" + '"a":{' * 40 + "}" * 40 + ', "update_id": 8}').encode(),
    ],
)
def test_telegram_bad_payloads_are_ignored_never_500(
    client, hooks, raw, django_capture_on_commit_callbacks
) -> None:
    routes.register_route(kind="text", handler=lambda e: True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/hooks/telegram/",
            raw,
            content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="tg-secret",
        )
    assert response.status_code == 200
    assert not InboundEvent.objects.exists()


def test_whatsapp_bad_parts_are_skipped_good_ones_kept(client, hooks) -> None:
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen, lambda e: e.text))
    payload = whatsapp_payload(
        messages=[
            {"from": 6281234567890, "id": "w1", "type": "text", "text": {"body": "a"}},
            {"from": "6281234567890", "id": "w2", "type": "text", "text": {"body": 5}},
            "junk",  # type: ignore[list-item]
            whatsapp_text("6281234567890", "good", "w3"),
        ]
    )
    payload["entry"].append({"changes": "nope"})
    assert hooks.whatsapp(client, payload).status_code == 200
    assert seen == ["good"]


def test_hooks_are_rate_limited(client, hooks, settings) -> None:
    settings.CHANNELS_HOOK_RATE = "2/m"
    codes = [
        hooks.telegram(client, telegram_update(n, 1, "x"), secret="w").status_code
        for n in range(3)
    ]
    assert codes == [403, 403, 429]


def test_the_providers_own_calls_are_never_rate_limited(
    client, hooks, settings
) -> None:
    """A surge of signed deliveries from Meta's few addresses is stored whole
    (a 429 would only make Meta send it all again later); forgeries from the
    same address are still limited."""
    settings.CHANNELS_HOOK_RATE = "2/m"
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen, lambda e: e.text))
    codes = [
        hooks.whatsapp(
            client,
            whatsapp_payload(
                messages=[whatsapp_text(f"62812000000{n}", f"t{n}", f"s{n}")]
            ),
        ).status_code
        for n in range(5)
    ]
    assert codes == [200] * 5
    assert WebhookCall.objects.filter(channel="whatsapp").count() == 5
    assert seen == [f"t{n}" for n in range(5)]
    forged = [
        hooks.whatsapp(client, whatsapp_payload(), secret="forged").status_code
        for _ in range(3)
    ]
    assert forged == [403, 403, 429]
    telegram = [
        hooks.telegram(client, telegram_update(n, 1, "x")).status_code for n in range(3)
    ]
    assert telegram == [200, 200, 200]


def test_a_failing_app_handler_is_logged_and_the_next_tried(
    client, hooks, caplog
) -> None:
    def broken(event):
        raise RuntimeError("boom")

    seen: list = []
    routes.register_route(kind="text", handler=broken, order=1, name="broken")
    routes.register_route(kind="text", handler=keep(seen), order=2, name="ok")
    assert hooks.telegram(client, telegram_update(1, 42, "x")).status_code == 200
    assert len(seen) == 1 and "route broken failed" in caplog.text


def test_a_handler_database_error_leaves_the_next_handler_working(
    client, hooks
) -> None:
    def breaks_the_transaction(event):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO channels_consent (id) VALUES (NULL)")

    seen: list = []
    routes.register_route(kind="text", handler=breaks_the_transaction, order=1)
    routes.register_route(kind="text", handler=keep(seen), order=2, name="ok")
    hooks.telegram(client, telegram_update(1, 42, "x"))
    assert len(seen) == 1
    assert InboundEvent.objects.get().handled_by == "ok"


def test_one_failing_event_does_not_lose_the_others(client, hooks, monkeypatch) -> None:
    from channels import services

    real = services.inbound_seen

    def flaky(*, channel, address, at=None):
        if address == "+6281111111111":
            raise RuntimeError("boom")
        real(channel=channel, address=address, at=at)

    monkeypatch.setattr(services, "inbound_seen", flaky)
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen, lambda e: e.text))
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[
                whatsapp_text("6281111111111", "first", "w1"),
                whatsapp_text("6281234567890", "second", "w2"),
            ]
        ),
    )
    assert seen == ["second"]
    assert list(InboundEvent.objects.values_list("event_key", flat=True)) == ["w2"]
    assert WebhookCall.objects.get().processed_at is not None


def test_admin_shows_outbox_and_consent_without_numbers(admin_client) -> None:
    from channels import services

    services.message_send(
        channel="sms", to=PHONE, body="Rahasia", dedupe_key="d", origin="newsroom"
    )
    services.consent_opt_out(channel="sms", address=PHONE, source="command")
    for path in ("/admin/channels/outboxmessage/", "/admin/channels/consent/"):
        page = admin_client.get(path)
        assert page.status_code == 200
        assert "6281234567890" not in page.content.decode()
    row = OutboxMessage.objects.get()
    page = admin_client.get(f"/admin/channels/outboxmessage/{row.pk}/change/")
    assert page.status_code == 200 and "Rahasia" not in page.content.decode()


def test_data_summary_is_in_indonesian(client, hooks, fake_telegram) -> None:
    hooks.telegram(client, telegram_update(1, 42, "BERHENTI"))
    hooks.telegram(client, telegram_update(2, 42, "/data"))
    summary = fake_telegram.bodies("sendMessage")[-1]["text"]
    assert "Persetujuan: Berhenti menerima" in summary
    assert "Pesan kami kepada Anda: 1; pesan Anda kepada kami: 2" in summary


def test_oversized_bodies_are_ignored(client, hooks, settings) -> None:
    settings.CHANNELS_HOOK_MAX_BYTES = 100
    update = telegram_update(1, 42, "x" * 200)
    response = hooks.telegram(client, update)
    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert not WebhookCall.objects.exists()
