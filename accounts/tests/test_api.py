import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def _auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_berau_token_can_neither_read_nor_change_kukar_accounts(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    kukar_member = make_user(Role.KIM_MEMBER, "64.02.06", full_name="Warga Tenggarong")
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    _, key = api_token_create(user=berau, name="t")
    listing = client.get("/api/v1/users", **_auth(key)).json()["items"]
    assert all(u["region"].startswith("64.03") for u in listing)
    assert (
        client.get(f"/api/v1/users/{kukar_member.pk}", **_auth(key)).status_code == 404
    )
    response = client.patch(
        f"/api/v1/users/{kukar_member.pk}",
        {"full_name": "Dibajak"},
        content_type="application/json",
        **_auth(key),
    )
    assert response.status_code == 404
    kukar_member.refresh_from_db()
    assert kukar_member.full_name == "Warga Tenggarong"


def test_kukar_token_changes_a_kukar_account(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    _, key = api_token_create(user=make_user(Role.REGENCY_ADMIN, "64.02"), name="t")
    response = client.patch(
        f"/api/v1/users/{member.pk}",
        {"full_name": "Baru"},
        content_type="application/json",
        **_auth(key),
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Baru"


def test_forbidden_role_change_is_403_and_bad_region_400(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    _, key = api_token_create(user=make_user(Role.REGENCY_ADMIN, "64.02"), name="t")
    promote = client.patch(
        f"/api/v1/users/{member.pk}",
        {"role": Role.PROVINCE_ADMIN, "region": "64"},
        content_type="application/json",
        **_auth(key),
    )
    assert promote.status_code == 403
    wrong_level = client.patch(
        f"/api/v1/users/{member.pk}",
        {"role": Role.REGENCY_ADMIN, "region": "64.02.06"},
        content_type="application/json",
        **_auth(key),
    )
    assert wrong_level.status_code == 400
    assert wrong_level.json()["errors"][0]["field"] == "region"


def test_writes_need_authentication(client: Client) -> None:
    assert client.get("/api/v1/me").status_code == 401
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer smp_bad_bad").status_code
        == 401
    )
