"""Pytest fixtures of the channels fakes. Loaded by ``channels/tests/conftest.py``;
another app's tests (or the root conftest) load them with
``pytest_plugins = ["channels.tests.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from channels.testing import FakeSmsGateway, FakeTelegram, FakeWhatsApp


@pytest.fixture
def fake_telegram(settings: Any) -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    settings.TELEGRAM_API_BASE = fake.url
    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    settings.TELEGRAM_WEBHOOK_SECRET = "tg-secret"
    yield fake
    fake.close()


@pytest.fixture
def fake_whatsapp(settings: Any) -> Iterator[FakeWhatsApp]:
    fake = FakeWhatsApp()
    settings.WHATSAPP_API_BASE = fake.url + "/v21.0"
    settings.WHATSAPP_TOKEN = "wa-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1055"
    settings.WHATSAPP_APP_SECRET = "wa-app-secret"
    settings.WHATSAPP_VERIFY_TOKEN = "wa-verify"
    yield fake
    fake.close()


@pytest.fixture
def fake_sms(settings: Any) -> Iterator[FakeSmsGateway]:
    fake = FakeSmsGateway()
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = "sms-token"
    settings.SMS_GATEWAY_CALLBACK_SECRET = "sms-secret"
    yield fake
    fake.close()


@pytest.fixture
def post_hook(django_capture_on_commit_callbacks: Any) -> Any:
    """Post a JSON body to a webhook, running the tasks it queues as a worker
    would: ``post_hook(client, url, body, HTTP_X_...=secret)``."""

    def post(client: Any, url: str, body: str | bytes, **headers: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, body, content_type="application/json", **headers)

    return post


@pytest.fixture
def mail(settings: Any) -> list[Any]:
    from django.core import mail as django_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"
    django_mail.outbox = []
    return django_mail.outbox


@pytest.fixture(autouse=True)
def _unlimited(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Senders' token buckets start fresh in each test and never sleep (the
    buckets' own tests use a fake clock)."""
    from channels import senders

    monkeypatch.setattr(senders, "_buckets", {})
    for name in (
        "CHANNELS_TELEGRAM_RATE",
        "CHANNELS_TELEGRAM_CHAT_RATE",
        "CHANNELS_WHATSAPP_RATE",
        "CHANNELS_SMS_RATE",
        "CHANNELS_EMAIL_RATE",
    ):
        setattr(settings, name, 1_000_000)


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings: Any) -> None:
    """Social posts go out at once whatever the hour the tests run at (the
    quiet hours' own tests set them)."""
    settings.SOCIAL_QUIET_HOURS = ""


@pytest.fixture(autouse=True)
def _routes() -> Iterator[None]:
    """Routes a test registers are gone after it."""
    from channels import routes

    with routes.registry_snapshot():
        yield


def keep(into: list[Any], what: Any = None) -> Any:
    """A route handler that records what it got (``what(event)``, else the
    event) and says it handled it."""

    def handler(event: Any) -> bool:
        into.append(what(event) if what else event)
        return True

    return handler


@pytest.fixture
def fake_graph(settings: Any) -> Iterator[Any]:
    """Meta's Graph API and login dialog (``channels.social.testing.FakeGraph``)."""
    from channels.social.testing import FakeGraph

    fake = FakeGraph()
    settings.SOCIAL_GRAPH_API_BASE = fake.url + "/v21.0"
    settings.SOCIAL_FACEBOOK_DIALOG_URL = fake.url + "/dialog/oauth"
    settings.FACEBOOK_APP_ID = "simpul-app"
    settings.FACEBOOK_APP_SECRET = "simpul-app-secret"
    yield fake
    fake.close()


@pytest.fixture
def fake_x(settings: Any) -> Iterator[Any]:
    """X API v2 and its consent page (``channels.social.testing.FakeX``)."""
    from channels.social.testing import FakeX

    fake = FakeX()
    settings.SOCIAL_X_API_BASE = fake.url
    settings.SOCIAL_X_AUTHORIZE_URL = fake.url + "/i/oauth2/authorize"
    settings.X_CLIENT_ID = "simpul-x"
    settings.X_CLIENT_SECRET = "simpul-x-secret"
    yield fake
    fake.close()


@pytest.fixture
def fake_tiktok(settings: Any) -> Iterator[Any]:
    """TikTok's APIs and consent page (``channels.social.testing.FakeTikTok``)."""
    from channels.social.testing import FakeTikTok

    fake = FakeTikTok()
    settings.SOCIAL_TIKTOK_API_BASE = fake.url
    settings.SOCIAL_TIKTOK_AUTHORIZE_URL = fake.url + "/v2/auth/authorize/"
    settings.TIKTOK_CLIENT_KEY = "simpul-tt"
    settings.TIKTOK_CLIENT_SECRET = "simpul-tt-secret"
    settings.SOCIAL_TIKTOK_STATUS_WAIT = 0
    yield fake
    fake.close()
