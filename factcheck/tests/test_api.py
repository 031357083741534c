"""The fact-check API under /api/v1/."""

import pytest
from django.test import Client

from accounts.models import Role
from factcheck.models import Claim, FactCheck, Tip
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR

pytestmark = pytest.mark.django_db


def test_match_returns_the_batch_object(client: Client, corpus) -> None:
    response = client.post(
        "/api/v1/factcheck/match",
        {"text": KNOWN_HOAX, "id": "q1"},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"id", "decision", "matches"}
    assert data["id"] == "q1" and data["decision"] == "match"
    first = data["matches"][0]
    assert set(first) == {"external_id", "score", "verdict", "title"}
    assert first["external_id"] == "t-blt" and first["verdict"] == "PENIPUAN"
    assert not Tip.objects.exists()  # matching alone records nothing


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"text": ""},
        {"text": "x" * 20_000},
        {"text": "🔥🔥🔥"},
        {"text": "\x00\x01\x02"},
        {"text": "<script>alert(1)</script>"},
        {"text": 42},
        {"text": ["a", "b"]},
    ],
)
def test_match_refuses_bad_input_with_400(client: Client, corpus, payload) -> None:
    response = client.post(
        "/api/v1/factcheck/match", payload, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"][0]["field"] == "text"


def test_match_with_broken_json_is_400(client: Client, corpus) -> None:
    response = client.post(
        "/api/v1/factcheck/match", b"\xff\xfe{", content_type="application/json"
    )
    assert response.status_code == 400


def test_tips_via_the_api(client: Client, corpus) -> None:
    response = client.post(
        "/api/v1/factcheck/tips",
        {"text": NEW_RUMOUR, "region": "64.02"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["decision"] in ("none", "suggest")
    assert Claim.objects.get(pk=data["claim"]).tips.get().region_id == "64.02"
    bad = client.post(
        "/api/v1/factcheck/tips",
        {"text": NEW_RUMOUR, "region": "99"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_factcheck_list_and_detail(client: Client, corpus) -> None:
    data = client.get("/api/v1/factcheck/factchecks", {"q": "erau"}).json()
    assert data["count"] == 1 and data["items"][0]["verdict_label"] == "SALAH"
    pk = data["items"][0]["id"]
    detail = client.get(f"/api/v1/factcheck/factchecks/{pk}").json()
    assert detail["external_id"] == "t-erau" and detail["claim_reviewed"]
    assert client.get("/api/v1/factcheck/factchecks/999999").status_code == 404
    assert (
        client.get("/api/v1/factcheck/factchecks", {"verdict": "x"}).status_code == 400
    )
    draft = FactCheck.objects.create(title="d", publisher="p", status="draft")
    assert client.get(f"/api/v1/factcheck/factchecks/{draft.pk}").status_code == 404


def test_claims_need_the_desk(client: Client, corpus, make_user) -> None:
    client.post(
        "/api/v1/factcheck/tips", {"text": NEW_RUMOUR}, content_type="application/json"
    )
    assert client.get("/api/v1/factcheck/claims").status_code == 401
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert client.get("/api/v1/factcheck/claims").json()["items"] == []
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    (claim,) = client.get("/api/v1/factcheck/claims").json()["items"]
    assert claim["tip_count"] == 1 and claim["status"] == "new"


def test_topics_in_the_api(client: Client, corpus, make_user) -> None:
    data = client.get("/api/v1/factcheck/factchecks", {"topic": "penipuan"}).json()
    assert {item["topic"] for item in data["items"]} == {"penipuan"}
    assert data["count"] == 2 and data["items"][0]["topic_label"]
    pk = data["items"][0]["id"]
    assert (
        client.get(f"/api/v1/factcheck/factchecks/{pk}").json()["topic"] == "penipuan"
    )
    assert client.get("/api/v1/factcheck/factchecks", {"topic": "x"}).status_code == 400
    tip = client.post(
        "/api/v1/factcheck/tips", {"text": NEW_RUMOUR}, content_type="application/json"
    ).json()
    assert tip["topic"] == "pemerintahan"
    url = f"/api/v1/factcheck/claims/{tip['claim']}/topic"
    body = {"topic": "bencana"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    client.force_login(make_user(Role.EDITOR, "64"))
    (claim,) = client.get("/api/v1/factcheck/claims").json()["items"]
    assert claim["topic"] == "pemerintahan"
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    changed = client.post(url, body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["topic"] == "bencana"
    bad = client.post(url, {"topic": "x"}, content_type="application/json")
    assert bad.status_code == 400
    claims = "/api/v1/factcheck/claims"
    assert client.get(claims, {"topic": "bencana"}).json()["items"]
    assert client.get(claims, {"topic": "politik"}).json()["items"] == []
    assert client.get("/api/v1/factcheck/claims", {"topic": "x"}).status_code == 400
    missing = "/api/v1/factcheck/claims/999999/topic"
    assert (
        client.post(missing, body, content_type="application/json").status_code == 404
    )
