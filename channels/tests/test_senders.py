"""Each provider's sender against its local fake server."""

from __future__ import annotations

import pytest

from channels.senders import (
    EmailSender,
    Outgoing,
    PermanentError,
    SmsSender,
    TelegramSender,
    TemporaryError,
    WhatsAppSender,
    retry_after_seconds,
)

BUTTONS = {
    "buttons": [{"id": "fc:yes", "title": "Ya"}, {"id": "fc:no", "title": "Tidak"}]
}
LIST = {
    "list": {
        "button": "Pilih",
        "sections": [
            {
                "title": "Wilayah",
                "rows": [
                    {"id": "r:64.02", "title": "Kukar"},
                    {"id": "r:64.72", "title": "Samarinda"},
                ],
            }
        ],
    }
}


# --- Telegram -----------------------------------------------------------------------
def test_telegram_text_with_inline_keyboard(fake_telegram) -> None:
    sender = TelegramSender()
    pid = sender.send(Outgoing(to="4242", body="Benar?", interactive=BUTTONS))
    sender.close()
    assert pid == "1"
    request = fake_telegram.requests[0]
    assert request.path == "/bot123:abc/sendMessage"
    assert request.body == {
        "chat_id": "4242",
        "text": "Benar?",
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "Ya", "callback_data": "fc:yes"}],
                [{"text": "Tidak", "callback_data": "fc:no"}],
            ]
        },
    }


def test_telegram_photo_and_list(fake_telegram) -> None:
    TelegramSender().send(
        Outgoing(
            to="4242", body="Lihat", image_url="https://x.test/a.jpg", interactive=LIST
        )
    )
    request = fake_telegram.requests[0]
    assert request.path.endswith("/sendPhoto")
    assert request.body["photo"] == "https://x.test/a.jpg"
    assert request.body["caption"] == "Lihat"
    assert len(request.body["reply_markup"]["inline_keyboard"]) == 2


def test_telegram_flood_is_temporary_with_retry_after(fake_telegram) -> None:
    fake_telegram.flood(retry_after=7)
    with pytest.raises(TemporaryError) as exc:
        TelegramSender().send(Outgoing(to="1", body="x"))
    assert exc.value.retry_after == 7


def test_telegram_blocked_and_bad_chat_are_permanent(fake_telegram) -> None:
    fake_telegram.blocked()
    with pytest.raises(PermanentError, match="blocked"):
        TelegramSender().send(Outgoing(to="1", body="x"))
    fake_telegram.fail_next(
        400, {"ok": False, "description": "Bad Request: chat not found"}
    )
    with pytest.raises(PermanentError):
        TelegramSender().send(Outgoing(to="1", body="x"))


def test_telegram_server_error_and_timeout_are_temporary(
    fake_telegram, settings
) -> None:
    fake_telegram.fail_next(502, {"ok": False})
    with pytest.raises(TemporaryError):
        TelegramSender().send(Outgoing(to="1", body="x"))
    settings.TELEGRAM_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(TemporaryError, match="ConnectError"):
        TelegramSender().send(Outgoing(to="1", body="x"))


# --- WhatsApp -----------------------------------------------------------------------
def test_whatsapp_free_text_inside_the_window(fake_whatsapp) -> None:
    pid = WhatsAppSender().send(Outgoing(to="+6281234567890", body="Halo"))
    assert pid == "wamid.fake1"
    request = fake_whatsapp.requests[0]
    assert request.path == "/v21.0/1055/messages"
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert request.body["to"] == "6281234567890"
    assert request.body["type"] == "text"
    assert request.body["text"]["body"] == "Halo"


def test_whatsapp_template_outside_the_window(fake_whatsapp, settings) -> None:
    WhatsAppSender().send(
        Outgoing(
            to="+6281234567890",
            body="Halo",
            template="kabar_simpul",
            template_language="id",
            parameters=["Judul", "Ringkas\nbaris", "url"],
            window_open=False,
        )
    )
    template = fake_whatsapp.requests[0].body["template"]
    assert template["name"] == "kabar_simpul"
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Judul",
        "Ringkas baris",
        "url",  # core.whatsapp: one line per parameter
    ]
    # Free text only, window closed: the fallback template carries the text.
    settings.CHANNELS_WHATSAPP_FALLBACK_TEMPLATE = "pesan_umum"
    WhatsAppSender().send(Outgoing(to="+6281234567890", body="Teks", window_open=False))
    template = fake_whatsapp.requests[1].body["template"]
    assert template["name"] == "pesan_umum"
    assert template["components"][0]["parameters"][0]["text"] == "Teks"


def test_whatsapp_interactive_buttons_and_list(fake_whatsapp) -> None:
    WhatsAppSender().send(
        Outgoing(to="+6281234567890", body="Benar?", interactive=BUTTONS)
    )
    WhatsAppSender().send(
        Outgoing(to="+6281234567890", body="Wilayah?", interactive=LIST)
    )
    first, second = (r.body for r in fake_whatsapp.requests)
    assert first["type"] == "interactive"
    assert first["interactive"]["type"] == "button"
    assert first["interactive"]["action"]["buttons"][0] == {
        "type": "reply",
        "reply": {"id": "fc:yes", "title": "Ya"},
    }
    assert second["interactive"]["type"] == "list"
    assert second["interactive"]["action"]["sections"][0]["rows"][1]["id"] == "r:64.72"


def test_whatsapp_list_rows_are_kept_within_the_cloud_api_limits(
    fake_whatsapp,
) -> None:
    """Long row titles and descriptions are cut, more than 10 rows dropped: the
    fake refuses what Meta refuses, so the message goes through."""
    rows = [
        {
            "id": f"r:{n}",
            "title": "Judul yang sangat panjang " * 3,
            "description": "x" * 99,
        }
        for n in range(12)
    ]
    listing = {"list": {"button": "Pilih", "sections": [{"rows": rows}]}}
    WhatsAppSender().send(Outgoing(to="+6281234567890", body="?", interactive=listing))
    sent = fake_whatsapp.requests[-1].body["interactive"]["action"]["sections"][0]
    assert len(sent["rows"]) == 10
    assert {len(r["title"]) for r in sent["rows"]} == {24}
    assert {len(r["description"]) for r in sent["rows"]} == {72}


def test_the_fake_whatsapp_refuses_what_meta_refuses(fake_whatsapp) -> None:
    four = {"buttons": [{"id": f"b{n}", "title": "Ya"} for n in range(4)]}
    payload = WhatsAppSender.content(
        Outgoing(to="+6281234567890", body="?", interactive=four)
    )
    payload["interactive"]["action"]["buttons"].append(
        {"type": "reply", "reply": {"id": "b9", "title": "Ya"}}
    )
    with pytest.raises(PermanentError):
        sender = WhatsAppSender()
        sender.content = lambda message: payload  # type: ignore[method-assign]
        sender.send(Outgoing(to="+6281234567890", body="?"))


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, 131026, PermanentError),  # undeliverable
        (400, 131047, PermanentError),  # window closed
        (400, 100, PermanentError),  # invalid parameter
        (429, 130429, TemporaryError),  # throughput
        (400, 131056, TemporaryError),  # pair rate limit
        (500, 131000, TemporaryError),
        (503, 0, TemporaryError),
    ],
)
def test_whatsapp_error_codes(fake_whatsapp, status, code, error) -> None:
    fake_whatsapp.error(code, status=status)
    with pytest.raises(error):
        WhatsAppSender().send(Outgoing(to="+6281234567890", body="x"))


def test_whatsapp_honours_retry_after(fake_whatsapp) -> None:
    fake_whatsapp.fail_next(
        429, {"error": {"code": 130429}}, headers={"Retry-After": "30"}
    )
    with pytest.raises(TemporaryError) as exc:
        WhatsAppSender().send(Outgoing(to="+6281234567890", body="x"))
    assert exc.value.retry_after == 30


# --- SMS and email ------------------------------------------------------------------
def test_sms_gateway(fake_sms, settings) -> None:
    settings.SITE_URL = "https://simpul.example"
    pid = SmsSender().send(Outgoing(to="+6281234567890", body="Info", reference="9"))
    assert pid == "sms-1"
    request = fake_sms.requests[0]
    assert request.path == "/messages"
    assert request.headers["Authorization"] == "Bearer sms-token"
    assert request.body == {
        "to": "+6281234567890",
        "text": "Info",
        "sender": "SIMPUL",
        "reference": "9",
        "callback_url": "https://simpul.example/hooks/sms/",
    }
    fake_sms.fail_next(422, {"detail": "bad number"})
    with pytest.raises(PermanentError):
        SmsSender().send(Outgoing(to="+6281234567890", body="Info"))
    fake_sms.fail_next(429, {}, headers={"Retry-After": "12"})
    with pytest.raises(TemporaryError) as exc:
        SmsSender().send(Outgoing(to="+6281234567890", body="Info"))
    assert exc.value.retry_after == 12


def test_email_has_unsubscribe_link_and_header(mail) -> None:
    sender = EmailSender()
    sender.send(
        Outgoing(
            to="ani@example.org",
            subject="Kabar",
            body="Isi",
            unsubscribe_url="http://testserver/berhenti/t/",
        )
    )
    sender.close()
    assert len(mail) == 1
    message = mail[0]
    assert message.to == ["ani@example.org"]
    assert "http://testserver/berhenti/t/" in message.body
    assert (
        message.extra_headers["List-Unsubscribe"] == "<http://testserver/berhenti/t/>"
    )
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )


def test_retry_after_header_forms() -> None:
    from datetime import UTC, datetime

    assert retry_after_seconds("5") == 5
    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
