"""Rate limits count outside the database: a locked database cache never holds up
a request that is only being counted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def default_cache_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default cache (the database's in production) fails every call."""
    default = caches["default"]

    def down(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the default cache was used")

    for name in ("get", "set", "add", "incr", "get_many", "set_many", "delete"):
        monkeypatch.setattr(default, name, down)


def test_api_throttle_counts_in_the_rate_limit_cache(
    client: Client, default_cache_down: None
) -> None:
    assert client.get("/api/v1/regions/64").status_code == 200
    from simpul.api import api

    throttle = api.throttle[0]  # type: ignore[index]
    assert throttle.scope == "api-anon"
    key = f"throttle_api-anon_{throttle.rate}_ip127.0.0.1"
    assert throttle.cache is not caches["default"]
    assert caches["ratelimit"].get(key)


def test_login_rate_limit_counts_in_the_rate_limit_cache(
    client: Client, default_cache_down: None, settings: Any
) -> None:
    settings.LOGIN_RATE = "10/m"
    for _ in range(11):
        response = client.post("/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 429


def test_the_rate_limit_cache_is_not_the_database_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    env.pop("RATELIMIT_CACHE_URL", None)
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.CACHES['ratelimit']['BACKEND'])"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ]
