"""/api/v1/data/: reading the catalogue, and publishing with a token."""

import pytest
from django.test import Client

from accounts.models import AuditEntry, Role
from accounts.services import api_token_create
from datahub.models import Dataset
from datahub.tests.conftest import BAD_CSV, GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_publish_through_the_api(client: Client, offices, operator) -> None:  # type: ignore[no-untyped-def]
    auth = _auth(operator)
    response = client.post(
        "/api/v1/data/datasets",
        {
            "office": offices["tenggarong"].slug,
            "title": "Posyandu Tenggarong",
            "description": "Posyandu per kelurahan.",
            "topic": "kesehatan",
            "frequency": "annual",
            "keywords": ["posyandu"],
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert response.json()["status"] == "draft"
    bad = client.post(
        f"/api/v1/data/datasets/{slug}/resources",
        {"file": csv_file(BAD_CSV), "name": "Posyandu"},
        **auth,
    )
    assert bad.status_code == 201
    report = bad.json()
    assert report["status"] == "invalid" and report["error_count"] == 2
    assert {(e["row"], e["column"]) for e in report["errors"]} == {
        (3, "kode_desa"),
        (4, "jumlah_posyandu"),
    }
    assert "bukan bilangan bulat" in report["errors"][1]["message"]
    early = client.post(f"/api/v1/data/datasets/{slug}/publish", **auth)
    assert early.status_code == 400
    good = client.post(
        f"/api/v1/data/datasets/{slug}/resources",
        {"file": csv_file(GOOD_CSV), "resource": report["resource"]},
        **auth,
    )
    assert good.json()["status"] == "valid" and good.json()["number"] == 2
    published = client.post(f"/api/v1/data/datasets/{slug}/publish", **auth)
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert AuditEntry.objects.filter(action="publish").count() == 1

    detail = client.get(f"/api/v1/data/datasets/{slug}").json()
    (resource,) = detail["resources"]
    assert resource["version"] == 2 and resource["rows"] == 3
    assert resource["columns"][0] == {"name": "kode_desa", "type": "region_code"}
    rows = client.get(
        f"/api/v1/data/datasets/{slug}/resources/{resource['id']}/rows",
        {"limit": 2},
    ).json()
    assert rows["rows"] == [
        ["64.02.06.1001", "Jahab", 4],
        ["64.02.06.1002", "Loa Ipuh", 9],
    ]
    listing = client.get("/api/v1/data/datasets", {"q": "posyandu"}).json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == slug
    assert client.get("/api/v1/data/offices").json()["items"][0]["slug"]
    topics = client.get("/api/v1/data/topics").json()["items"]
    assert "kesehatan" in [t["slug"] for t in topics]


def test_api_scope_and_authentication(client: Client, draft, make_user) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/api/v1/data/datasets/{draft.slug}").status_code == 404
    anonymous = client.post(
        f"/api/v1/data/datasets/{draft.slug}/resources", {"file": csv_file(GOOD_CSV)}
    )
    assert anonymous.status_code == 401
    berau = _auth(make_user(Role.REGENCY_ADMIN, "64.03"))
    response = client.post(
        f"/api/v1/data/datasets/{draft.slug}/resources",
        {"file": csv_file(GOOD_CSV)},
        **berau,
    )
    assert response.status_code == 404
    assert (
        client.post(f"/api/v1/data/datasets/{draft.slug}/publish", **berau).status_code
        == 404
    )
    member = _auth(make_user(Role.KIM_MEMBER, "64.02.06"))
    created = client.post(
        "/api/v1/data/datasets",
        {
            "office": draft.office.slug,
            "title": "x",
            "description": "x",
            "topic": "kesehatan",
            "frequency": "annual",
        },
        content_type="application/json",
        **member,
    )
    assert created.status_code == 404
    assert Dataset.objects.count() == 1
