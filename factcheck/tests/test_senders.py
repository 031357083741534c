"""The channel senders against a local fake Telegram/WhatsApp server."""

from collections.abc import Iterator

import pytest

from factcheck.senders import SendError, TelegramSender, WhatsAppSender, sender_for
from factcheck.tests.fakes import FakeProvider, start_fake_provider


@pytest.fixture
def fake(settings) -> Iterator[FakeProvider]:
    provider = start_fake_provider()
    settings.TELEGRAM_API_BASE = provider.url
    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    settings.WHATSAPP_API_BASE = provider.url + "/v21.0"
    settings.WHATSAPP_TOKEN = "wa-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1055"
    yield provider
    provider.close()


def test_telegram_send_message(fake: FakeProvider) -> None:
    TelegramSender().send("4242", "Halo")
    (request,) = fake.requests
    assert request.path == "/bot123:abc/sendMessage"
    assert request.body == {"chat_id": "4242", "text": "Halo"}


def test_whatsapp_cloud_api_message(fake: FakeProvider) -> None:
    sender_for("whatsapp").send("+6281234567890", "Halo")
    (request,) = fake.requests
    assert request.path == "/v21.0/1055/messages"
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert request.body["to"] == "6281234567890"
    assert request.body["text"]["body"] == "Halo"
    assert request.body["messaging_product"] == "whatsapp"


def test_provider_errors_and_missing_tokens_raise(fake: FakeProvider, settings) -> None:
    fake.fail_with = 500
    with pytest.raises(SendError, match="HTTP 500"):
        WhatsAppSender().send("+6281234567890", "Halo")
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(SendError, match="TELEGRAM_BOT_TOKEN"):
        TelegramSender().send("1", "x")
    settings.TELEGRAM_BOT_TOKEN = "t"
    settings.TELEGRAM_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(SendError):
        TelegramSender().send("1", "x")


def test_whatsapp_outside_the_window_sends_the_approved_template(
    fake: FakeProvider, settings
) -> None:
    settings.FACTCHECK_WHATSAPP_TEMPLATE = "hasil_cek_fakta"
    text = "Cek fakta: HOAKS\n\nJembatan   Mahakam\ttetap dibuka.\n" + "x" * 2000
    WhatsAppSender().send("+6281234567890", text, outside_window=True)
    (request,) = fake.requests
    body = request.body
    assert body["type"] == "template" and "text" not in body
    assert body["template"]["name"] == "hasil_cek_fakta"
    assert body["template"]["language"] == {"code": "id"}
    (param,) = body["template"]["components"][0]["parameters"]
    # WhatsApp refuses new lines, tabs and long space runs in a parameter.
    assert param["text"].startswith("Cek fakta: HOAKS Jembatan Mahakam tetap dibuka.")
    assert "\n" not in param["text"] and "\t" not in param["text"]
    assert len(param["text"]) == 1024 and param["text"].endswith("…")


def test_telegram_has_no_window(fake: FakeProvider) -> None:
    TelegramSender().send("4242", "Halo", outside_window=True)
    assert fake.requests[0].body == {"chat_id": "4242", "text": "Halo"}
