"""The API's contract as a whole: one list shape, bounded pages, JSON errors,
documented errors, unique schema names, separate rate limits."""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client
from pydantic import BaseModel

from accounts.models import Role
from accounts.services import api_token_create

PAGE_KEYS = {"count", "page", "page_size", "pages", "items"}

# Every list anyone may read; the staff lists are checked in the OpenAPI test.
PUBLIC_LISTS = [
    "/api/v1/regions",
    "/api/v1/kims",
    "/api/v1/forums",
    "/api/v1/events",
    "/api/v1/activities",
    "/api/v1/articles",
    "/api/v1/factcheck/factchecks",
    "/api/v1/data/datasets",
    "/api/v1/data/offices",
    "/api/v1/data/topics",
    "/api/v1/data/regions/64.02/indicators",
    "/api/v1/connectivity/places",
    "/api/v1/connectivity/observations",
    "/api/v1/connectivity/villages",
    "/api/v1/connectivity/towers",
    "/api/v1/connectivity/programmes",
]


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    from simpul.api import api

    return api.get_openapi_schema()  # type: ignore[no-any-return]


def _resolve(schema: dict[str, Any], openapi: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def test_every_list_has_one_paginated_shape(openapi: dict[str, Any]) -> None:
    lists = 0
    for path, methods in openapi["paths"].items():
        for method, op in methods.items():
            ok = op["responses"].get(200) or op["responses"].get(201)
            content = (ok or {}).get("content", {}).get("application/json")
            if not content:
                continue
            body = _resolve(content["schema"], openapi)
            assert body.get("type") != "array", f"{method} {path} is a bare array"
            if "items" in body.get("properties", {}):
                lists += 1
                assert set(body["properties"]) == PAGE_KEYS, f"{method} {path}"
                params = {p["name"] for p in op.get("parameters", [])}
                assert {"page", "page_size"} <= params, f"{method} {path}"
    assert lists >= 22


def test_public_lists_answer_in_pages(client: Client, kaltim: None) -> None:
    places = client.get("/api/v1/connectivity/places").json()
    assert set(places) == PAGE_KEYS
    for url in PUBLIC_LISTS:
        body = client.get(url, {"page_size": 1}).json()
        assert set(body) == PAGE_KEYS, url
        assert body["page_size"] == 1 and len(body["items"]) <= 1, url


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_page_numbers_are_bounded(client: Client, kaltim: None, url: str) -> None:
    client.raise_request_exception = False
    for page in (10**20, 2**63, 0, -1):
        response = client.get(url, {"page": page})
        assert response.status_code == 400, (url, page, response.content[:200])
        assert response.json()["errors"][0]["field"] == "page"
    far = client.get(url, {"page": 100_000, "page_size": 200})
    assert far.status_code == 200
    assert far.json()["items"] == [] and far.json()["page"] == 100_000
    assert client.get(url, {"page_size": 10**6}).status_code == 400


def test_unknown_paths_and_methods_answer_json(client: Client, db: None) -> None:
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json()["detail"]
    wrong = client.delete("/api/v1/regions")
    assert wrong.status_code == 405
    assert wrong.json()["detail"] and "GET" in wrong["Allow"]
    # Pages outside the API keep their HTML.
    assert client.get("/no-such-page")["Content-Type"].startswith("text/html")


def _refuse(self: BaseDatabaseWrapper) -> None:
    raise OperationalError("connection refused")


def test_database_gone_inside_an_operation_is_json(kaltim: None) -> None:
    client = Client(raise_request_exception=False)
    # Its own patch, undone before the test database is rolled back.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse)
        response = client.get("/api/v1/regions/64")
    assert response.status_code == 503
    assert response.json()["detail"]


def test_database_gone_before_the_operation_is_json(make_user: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    with pytest.MonkeyPatch.context() as patch:
        # The session is read by the throttle, before ninja's own handlers.
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse)
        response = client.get("/api/v1/regions/64")
        page = client.get("/wilayah/64")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_unexpected_error_is_json_500(
    client: Client, kaltim: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import regions.api

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(regions.api, "region_get", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/regions/64")
    assert response.status_code == 500
    assert response.json() == {"detail": "Terjadi kesalahan di server."}


def test_anonymous_write_is_401_not_csrf(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/kims", {"name": "KIM"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["detail"]


def test_signed_in_write_without_csrf_token_is_refused(make_user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        "/api/v1/kims",
        {"name": "KIM Uji", "region_code": "64.02.06.2001"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_errors_are_documented_for_every_operation(openapi: dict[str, Any]) -> None:
    assert openapi["components"]["schemas"]["Error"]["properties"]["detail"]
    for path, methods in openapi["paths"].items():
        for method, op in methods.items():
            codes = {int(code) for code in op["responses"]}
            assert {400, 403, 404, 429} <= codes, f"{method} {path}"
            if op.get("security"):
                assert 401 in codes, f"{method} {path}"


def _models(annotation: Any, seen: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            _models(arg, seen)


def test_no_two_schemas_share_a_name(db: None) -> None:
    from simpul.api import api

    seen: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in op.models:
                    _models(model, seen)
                for response in op.response_models.values():
                    if isinstance(response, type):
                        _models(response, seen)
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in seen:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: where for name, where in by_name.items() if len(where) > 1}
    # ninja's own wrappers (per-operation parameter and response models) are not
    # named in the OpenAPI document.
    shared = {
        name: where
        for name, where in shared.items()
        if not all(w.startswith("ninja.") for w in where)
    }
    assert shared == {}


def test_review_bodies_are_documented_as_they_are(openapi: dict[str, Any]) -> None:
    def body(path: str) -> set[str]:
        op = openapi["paths"][path]["post"]
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        return set(_resolve(schema, openapi)["properties"])

    assert "confirm" in body("/api/v1/connectivity/reports/{pk}/review")
    assert "approve" in body("/api/v1/activities/{activity_id}/review")


# --- rate limits --------------------------------------------------------------


def test_signed_in_people_behind_one_address_have_their_own_budget(
    client: Client, make_user: Any, settings: Any
) -> None:
    from simpul.api import api

    limit = 3
    throttles = api.throttle  # type: ignore[attr-defined]
    user_throttle = next(t for t in throttles if t.scope == "api-user")
    monkey = pytest.MonkeyPatch()
    monkey.setattr(user_throttle, "num_requests", limit)
    try:
        keys = []
        for region in ("64.02", "64.03"):
            _, key = api_token_create(
                user=make_user(Role.REGENCY_ADMIN, region), name="t"
            )
            keys.append({"HTTP_AUTHORIZATION": f"Bearer {key}"})
        first = [client.get("/api/v1/me", **keys[0]).status_code for _ in range(4)]
        assert first == [200, 200, 200, 429]
        assert client.get("/api/v1/me", **keys[1]).status_code == 200
        # Anonymous reads from the same address are counted apart.
        assert client.get("/api/v1/regions/64").status_code == 200
    finally:
        monkey.undo()
