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
