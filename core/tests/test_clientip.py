"""X-Forwarded-For is trusted only as far as our own proxies wrote it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from core.clientip import client_ip

pytestmark = pytest.mark.django_db


def _request(xff: str | None = None, remote: str = "10.0.0.9") -> Any:
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_no_proxy_ignores_the_header(settings: Any) -> None:
    settings.PROXY_COUNT = 0
    assert client_ip(_request("1.2.3.4")) == "10.0.0.9"


def test_one_proxy_takes_the_entry_it_appended(settings: Any) -> None:
    settings.PROXY_COUNT = 1
    # The client wrote "6.6.6.6"; our proxy appended the address it saw.
    assert client_ip(_request("6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request()) == "10.0.0.9"


def test_two_proxies(settings: Any) -> None:
    settings.PROXY_COUNT = 2
    assert client_ip(_request("6.6.6.6, 203.0.113.7, 10.1.1.1")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"


def test_spoofed_header_does_not_dodge_the_login_limit(
    client: Client, settings: Any
) -> None:
    settings.PROXY_COUNT = 0
    settings.LOGIN_RATE = "3/m"
    codes = [
        client.post(
            "/masuk/",
            {"username": "x", "password": "y"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(5)
    ]
    assert codes[-1] == 429


def test_spoofed_header_does_not_dodge_the_api_limit(client: Client) -> None:
    from simpul.api import api

    throttle = api.throttle[0]  # type: ignore[index]
    client.get("/api/v1/regions/64", HTTP_X_FORWARDED_FOR="198.51.100.1")
    client.get("/api/v1/regions/64", HTTP_X_FORWARDED_FOR="198.51.100.2")
    ratelimit = caches["ratelimit"]
    key = f"throttle_api-anon_{throttle.rate}_ip127.0.0.1"
    assert len(ratelimit.get(key)) == 2
    assert ratelimit.get(f"throttle_api-anon_{throttle.rate}_ip198.51.100.1") is None


def test_behind_a_proxy_the_api_counts_the_client(
    client: Client, settings: Any
) -> None:
    settings.PROXY_COUNT = 1
    from simpul.api import api

    throttle = api.throttle[0]  # type: ignore[index]
    client.get("/api/v1/regions/64", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    key = f"throttle_api-anon_{throttle.rate}_ip203.0.113.5"
    assert caches["ratelimit"].get(key)
