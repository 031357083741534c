import pytest
from django.core.exceptions import ImproperlyConfigured

from simpul.env import env_bool, env_int, env_list


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_bool("X_BOOL") is True
    assert env_bool("X_MISSING", True) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "many")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 0)


def test_production_defaults() -> None:
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_cache_key_prefix_applies_to_both_caches() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, CACHE_KEY_PREFIX="simpul-a")
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default'].get('KEY_PREFIX'));"
        "print(s.CACHES['ratelimit'].get('KEY_PREFIX'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "simpul.settings"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["simpul-a", "simpul-a"]
