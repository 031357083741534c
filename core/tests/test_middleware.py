"""Indonesian first, English when chosen."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_pages_speak_indonesian_even_to_an_english_phone(client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert client.get("/")["Content-Language"] == "id"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/")["Content-Language"] == "id"
