"""NUL and other control characters are refused with 400 wherever they come in
(query string, form fields, JSON bodies) before anything is stored; PostgreSQL
cannot hold NUL in text and answered with a DataError (a 500)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import api_token_create
from core.middleware import MAX_JSON_DEPTH
from network.models import Kim

pytestmark = pytest.mark.django_db

MESSAGE = "Teks berisi karakter kontrol yang tidak diizinkan"


def _auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("text", ["KIM\x00Jahab", "\\u0000", "KIM\x07Jahab"])
def test_api_json_body_with_control_characters_is_refused(
    client: Client, make_user, text: str
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    body = json.dumps({"name": text, "region_code": "64.02.06.1001"})
    if text == "\\u0000":
        body = '{"name": "KIM \\u0000 Jahab", "region_code": "64.02.06.1001"}'
    response = client.post(
        "/api/v1/kims", body, content_type="application/json", **_auth(admin)
    )
    assert response.status_code == 400
    data = response.json()
    assert MESSAGE in data["detail"] and data["errors"][0]["field"] == "name"
    assert not Kim.objects.exists()


def test_tabs_and_newlines_stay_allowed(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    response = client.post(
        "/api/v1/kims",
        {
            "name": "KIM Jahab",
            "region_code": "64.02.06.1001",
            "description": "Baris satu\r\n\tBaris dua",
        },
        content_type="application/json",
        **_auth(admin),
    )
    assert response.status_code == 201
    assert Kim.objects.get().description == "Baris satu\r\n\tBaris dua"


def test_query_string_with_nul_is_refused(client: Client) -> None:
    response = client.get("/api/v1/kims", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"
    page = client.get("/kim/", {"q": "a\x00b"})
    assert page.status_code == 400 and MESSAGE in page.content.decode()


@pytest.mark.parametrize("text", ["Kabar\x00bohong", "Kabar\x07bohong\x1b"])
def test_form_fields_with_control_characters_are_form_errors(
    client: Client, make_user, text: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    form = {
        "kind": "training",
        "title": text,
        "region": "64.02.06",
        "venue": "Aula",
        "starts_at": "2030-01-10T09:00",
        "registration": "public",
        "is_published": "on",
    }
    response = client.post("/staf/acara/baru/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html or "karakter null" in html.lower()
    from network.models import Event

    assert not Event.objects.exists()
    form["title"] = "Pelatihan\r\n\tliterasi"
    assert client.post("/staf/acara/baru/", form).status_code == 302


def test_deeply_nested_json_is_refused(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    body = '{"name": "KIM Jahab", "region_code": "64.02.06.1001", "focus_areas": '
    response = client.post(
        "/api/v1/kims",
        body + deep + "}",
        content_type="application/json",
        **_auth(admin),
    )
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    # Brackets inside strings do not count.
    response = client.post(
        "/api/v1/kims",
        json.dumps({"name": "[" * 100, "region_code": "64.02.06.1001"}),
        content_type="application/json",
        **_auth(admin),
    )
    assert response.status_code == 201
    assert not Kim.objects.exclude(name="[" * 100).exists()


def test_json_depth_is_counted_as_nesting_not_as_brackets() -> None:
    from core.middleware import _json_depth_ok

    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert _json_depth_ok(at_limit.encode())
    assert not _json_depth_ok(("[" + at_limit + "]").encode())
    # Many brackets side by side are shallow: a long list of objects.
    assert _json_depth_ok(json.dumps([{"a": [1]} for _ in range(500)]).encode())
