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
