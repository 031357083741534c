from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Role
from accounts.services import api_token_create
from network import services
from network.models import Activity, Event, Kim
from regions.models import Region

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_kim_list_search_region_and_page_size(client: Client, kim, other_kim) -> None:
    services.kim_create(
        actor=None,
        name="KIM Sambaliung",
        region=Region.objects.get(kode="64.03.03.1013"),
    )
    data = client.get("/api/v1/kims", {"region": "64.02", "page_size": 1}).json()
    assert data["count"] == 2 and data["pages"] == 2 and len(data["items"]) == 1
    item = data["items"][0]
    assert item["region_code"] == "64.02.06.1001"
    assert item["regency_code"] == "64.02" and item["district_code"] == "64.02.06"
    assert item["point"]["lat"] == kim.region.rep_lat
    data = client.get("/api/v1/kims", {"q": "melayu"}).json()
    assert [i["name"] for i in data["items"]] == ["KIM Melayu Bersatu"]
    assert client.get("/api/v1/kims", {"region": "64.x"}).status_code == 400
    assert client.get("/api/v1/kims", {"page_size": 500}).status_code == 400
    detail = client.get(f"/api/v1/kims/{kim.pk}").json()
    assert detail["focus_areas"] == ["anti_hoaks"]
    assert client.get("/api/v1/kims/999999").status_code == 404


def test_members_need_scope_and_are_logged(client: Client, make_user, kim) -> None:
    services.member_add(actor=None, kim=kim, full_name="Budi", phone="081200000042")
    assert client.get(f"/api/v1/kims/{kim.pk}/members").status_code == 401
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    assert (
        client.get(f"/api/v1/kims/{kim.pk}/members", **_auth(berau)).status_code == 404
    )
    kukar = make_user(Role.REGENCY_ADMIN, "64.02")
    members = client.get(f"/api/v1/kims/{kim.pk}/members", **_auth(kukar)).json()[
        "items"
    ]
    assert members[0]["phone"] == "+6281200000042"
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_write_endpoints_are_scoped(
    client: Client, make_user, coordinator, kim, other_kim
) -> None:
    kukar = make_user(Role.REGENCY_ADMIN, "64.02")
    response = client.post(
        "/api/v1/kims",
        {"name": "KIM Baru", "region_code": "64.02.06.1003"},
        content_type="application/json",
        **_auth(kukar),
    )
    assert response.status_code == 201
    assert response.json()["region_code"] == "64.02.06.1003"
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    response = client.post(
        "/api/v1/kims",
        {"name": "KIM Curang", "region_code": "64.02.06.1004"},
        content_type="application/json",
        **_auth(berau),
    )
    assert response.status_code == 403
    assert not Kim.objects.filter(name="KIM Curang").exists()
    token = _auth(coordinator)
    ok = client.patch(
        f"/api/v1/kims/{kim.pk}",
        {"description": "Baru"},
        content_type="application/json",
        **token,
    )
    assert ok.status_code == 200 and ok.json()["description"] == "Baru"
    other = client.patch(
        f"/api/v1/kims/{other_kim.pk}",
        {"description": "x"},
        content_type="application/json",
        **token,
    )
    assert other.status_code == 404
    bad_phone = client.post(
        f"/api/v1/kims/{kim.pk}/members",
        {"full_name": "Ani", "phone": "123"},
        content_type="application/json",
        **token,
    )
    assert bad_phone.status_code == 400
    assert bad_phone.json()["errors"][0]["field"] == "phone"


def test_activities_api(client: Client, make_user, coordinator, kim) -> None:
    token = _auth(coordinator)
    future = client.post(
        "/api/v1/activities",
        {
            "kim_id": kim.pk,
            "kind": "diseminasi",
            "title": "Besok",
            "date": str(timezone.localdate() + timedelta(days=1)),
        },
        content_type="application/json",
        **token,
    )
    assert future.status_code == 400
    assert future.json()["errors"][0]["field"] == "date"
    response = client.post(
        "/api/v1/activities",
        {
            "kim_id": kim.pk,
            "kind": "diseminasi",
            "title": "Sosialisasi",
            "date": str(timezone.localdate()),
            "participants": 20,
        },
        content_type="application/json",
        **token,
    )
    assert response.status_code == 201
    activity_id = response.json()["id"]
    assert client.get("/api/v1/activities").json()["count"] == 0  # not reviewed
    forbidden = client.post(
        f"/api/v1/activities/{activity_id}/review",
        {"approve": True},
        content_type="application/json",
        **token,
    )
    assert forbidden.status_code == 403
    admin = _auth(make_user(Role.REGENCY_ADMIN, "64.02"))
    client.post(
        f"/api/v1/activities/{activity_id}/review",
        {"approve": True},
        content_type="application/json",
        **admin,
    )
    assert Activity.objects.get().status == "approved"
    data = client.get("/api/v1/activities", {"region": "64.02.06"}).json()
    assert data["items"][0]["region_code"] == "64.02.06.1001"


def test_events_and_forums_api(client: Client, kaltim) -> None:
    from network.demo import FGD_TITLE, load_demo

    load_demo()
    data = client.get("/api/v1/events", {"q": "FGD KIM 2022"}).json()
    [fgd] = data["items"]
    assert fgd["title"] == FGD_TITLE
    assert (fgd["onsite_count"], fgd["online_count"]) == (35, 15)
    assert fgd["region_code"] == "64.02.06"
    detail = client.get(f"/api/v1/events/{fgd['id']}").json()
    assert [s["name"] for s in detail["speakers"]] == ["Helmi Hafidz", "Ahmad Arianto"]
    assert client.get("/api/v1/events", {"region": "64.03"}).json()["count"] == 0
    assert client.get("/api/v1/events", {"kind": "training"}).json()["count"] == 2
    forums = client.get("/api/v1/forums").json()
    codes = [f["region_code"] for f in forums["items"]]
    assert codes == ["64", "64.02"]
    kukar = client.get(f"/api/v1/forums/{forums['items'][1]['id']}").json()
    assert kukar["inaugurated_on"] == "2022-07-12"
    assert len(kukar["board"]) == 5
    assert Event.objects.count() == 4
