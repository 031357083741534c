import pytest
from django.test import Client

from accounts.services import api_token_create
from newsroom.models import Article

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_read(client: Client, published, kim) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/articles", {"region": "64.02"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["title"] == "Amplang Udang Khas Tenggarong"
    assert item["author"] == "KIM Maju Bersama" and item["kim_id"] == kim.pk
    assert client.get("/api/v1/articles", {"region": "64.03"}).json()["count"] == 0
    assert client.get("/api/v1/articles", {"q": "amplang"}).json()["count"] == 1
    assert client.get("/api/v1/articles", {"kind": "wisata"}).json()["count"] == 0
    detail = client.get(f"/api/v1/articles/{published.slug}").json()
    assert detail["body"].startswith("<p>Amplang") and detail["tags"] == [
        "UMKM",
        "kuliner",
    ]
    assert client.get("/api/v1/articles/tidak-ada").status_code == 404
    feeds = client.get("/api/v1/articles/feeds").json()
    assert feeds["all"]["rss"].endswith("/kabar/rss/")
    assert client.get("/api/v1/articles", {"page_size": 1000}).status_code == 400


def test_token_write_and_workflow(
    client: Client, member, editor, berau_editor, kim
) -> None:  # type: ignore[no-untyped-def]
    assert (
        client.post("/api/v1/articles", {}, content_type="application/json").status_code
        == 401
    )
    payload = {
        "kind": "produk_lokal",
        "title": "Gula Aren Loa Kulu",
        "lead": "Gula aren cetak dari Loa Kulu.",
        "body": "<p>Manis</p><script>alert(1)</script>",
        "kim_id": kim.pk,
        "tags": ["gula aren"],
    }
    response = client.post(
        "/api/v1/articles", payload, content_type="application/json", **_auth(member)
    )
    assert response.status_code == 201, response.content
    article_id = response.json()["id"]
    assert "script" not in Article.objects.get(pk=article_id).body
    # A member cannot write for an office; bad input is a 400 with fields.
    bad = client.post(
        "/api/v1/articles",
        {**payload, "kim_id": None, "office": "64.02"},
        content_type="application/json",
        **_auth(member),
    )
    assert bad.status_code == 403
    bad = client.post(
        "/api/v1/articles",
        {**payload, "kind": "gosip"},
        content_type="application/json",
        **_auth(member),
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
    flow = f"/api/v1/articles/{article_id}/workflow"
    member_auth, editor_auth, berau_auth = (
        _auth(member),
        _auth(editor),
        _auth(berau_editor),
    )
    assert (
        client.post(
            flow, {"action": "submit"}, content_type="application/json", **member_auth
        ).json()["status"]
        == "submitted"
    )
    # Berau's editor does not even see Kukar's article.
    for action in ("approve", "publish"):
        response = client.post(
            flow, {"action": action}, content_type="application/json", **berau_auth
        )
        assert response.status_code == 404
    assert (
        client.post(
            flow, {"action": "approve"}, content_type="application/json", **member_auth
        ).status_code
        == 403
    )
    assert (
        client.post(
            flow, {"action": "approve"}, content_type="application/json", **editor_auth
        ).json()["status"]
        == "approved"
    )
    assert (
        client.post(
            flow, {"action": "schedule"}, content_type="application/json", **editor_auth
        ).status_code
        == 400
    )
    published = client.post(
        flow, {"action": "publish"}, content_type="application/json", **editor_auth
    )
    assert published.json()["status"] == "published"
    patch = client.patch(
        f"/api/v1/articles/{article_id}",
        {"title": "Gula Aren Loa Kulu Go Nasional"},
        content_type="application/json",
        **editor_auth,
    )
    assert patch.json()["title"] == "Gula Aren Loa Kulu Go Nasional"
    assert client.patch(
        f"/api/v1/articles/{article_id}", {"title": "x"},
        content_type="application/json", **member_auth,
    ).status_code == 403  # fmt: skip


def test_dissemination_api_for_any_item(
    client: Client, channel_settings, editor, make_user, published
) -> None:  # type: ignore[no-untyped-def]
    from newsroom.models import Dissemination

    checker = make_user("fact_checker", "64")
    response = client.post(
        "/api/v1/disseminations",
        {
            "item_url": "http://testserver/cek-fakta/5/",
            "item_ref": "factcheck:5",
            "title": "Hoaks: bantuan kuota",
            "summary": "Pesan berantai palsu.",
            "audience": {"region_codes": ["64.02"], "subscribers": True},
            "channels": ["email"],
        },
        content_type="application/json",
        **_auth(checker),
    )
    assert response.status_code == 201, response.content
    assert Dissemination.objects.get().item_ref == "factcheck:5"
    article_send = client.post(
        "/api/v1/disseminations",
        {"article_id": published.pk, "audience": {"region_codes": ["64.02"]},
         "channels": ["sms", "email"]},
        content_type="application/json",
        **_auth(editor),
    )  # fmt: skip
    assert article_send.status_code == 201
    detail = client.get(
        f"/api/v1/disseminations/{article_send.json()['id']}", **_auth(editor)
    )
    assert detail.json()["item_ref"] == published.item_ref
