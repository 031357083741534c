import json

import pytest
from django.test import Client

from accounts.models import AuditEntry, Role
from connectivity import hooks, services
from connectivity.models import Observation, Place, SitingPlan, Tower, VillageStatus
from regions.models import Region

pytestmark = pytest.mark.django_db
V = "64.02.12.2005"  # Umaq Dian, Tabang (a listed blankspot)


def post(client: Client, url: str, data: dict, **extra) -> object:
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_public_report_is_stored_once_and_unconfirmed(client: Client) -> None:
    body = {"idempotency_key": "phone-report-0001", "region": V, "technology": "none"}
    first = post(client, "/api/v1/connectivity/reports", body)
    assert first.status_code == 201
    again = post(client, "/api/v1/connectivity/reports", body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    obs = Observation.objects.get()
    assert obs.status == "unconfirmed" and obs.method == "citizen_report"
    assert not VillageStatus.objects.filter(region_id=V, status="blankspot").exists()


@pytest.mark.parametrize(
    ("typed", "within"),
    [
        ("Muara Aloh", None),
        ("muara aloh", None),
        ("Ma. Aloh", "64.02"),
        ("Ma. Aloh", "64.02.01"),
        ("Muara Aloh, Muara Muntai", None),
    ],
)
def test_a_typed_village_name_is_resolved(
    client: Client, typed: str, within: str | None
) -> None:
    body = {"idempotency_key": "typed-name-0001", "region": typed, "within": within}
    response = post(client, "/api/v1/connectivity/reports", body)
    assert response.status_code == 201, response.content
    assert Observation.objects.get().region_id == "64.02.01.2003"


@pytest.mark.parametrize(
    ("typed", "within", "reason"),
    [
        ("Kampung Entah", None, "tidak ditemukan"),
        ("Sumber Sari", "64.02", "beberapa desa"),
        ("Muara Aloh", "64.02.12", "tidak ditemukan"),
        ("64.02.99.9999", None, "Tidak ada desa dengan kode 64.02.99.9999"),
    ],
)
def test_an_unresolved_village_is_a_400_with_the_reason(
    client: Client, typed: str, within: str | None, reason: str
) -> None:
    body = {"idempotency_key": "typed-name-0002", "region": typed, "within": within}
    response = post(client, "/api/v1/connectivity/reports", body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "region" and reason in error["message"]
    assert not Observation.objects.exists()


def test_an_ambiguous_name_lists_the_candidates(client: Client) -> None:
    body = {"idempotency_key": "typed-name-0003", "region": "Sumber Sari"}
    response = post(client, "/api/v1/connectivity/reports", body)
    candidates = response.json()["candidates"]
    assert "Sumber Sari, Sebulu" in candidates and "Sumber Sari, Loa Kulu" in candidates
    body["region"] = "Sumber Sari, Sebulu"
    assert post(client, "/api/v1/connectivity/reports", body).status_code == 201
    assert Observation.objects.get().region_id == "64.02.07.2007"


def test_public_reports_are_rate_limited(client: Client, settings) -> None:
    settings.CONNECTIVITY_REPORT_RATE = "3/m"
    codes = [
        post(
            client,
            "/api/v1/connectivity/reports",
            {"idempotency_key": f"rate-limit-{n:04d}", "region": V},
        ).status_code
        for n in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    assert Observation.objects.count() == 3


def test_swapped_coordinates_are_a_structured_400(client: Client) -> None:
    response = post(
        client,
        "/api/v1/connectivity/reports",
        {"idempotency_key": "swapped-0001", "lat": 116.99, "lng": -0.42},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "lat"
    assert "tertukar" in errors[0]["message"]
    assert not Observation.objects.exists()


def test_staff_add_and_correct_places_in_scope(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    v = Region.objects.get(kode=V)
    response = post(
        client,
        "/api/v1/connectivity/places",
        {
            "region": V,
            "kind": "port",
            "name": "Dermaga",
            "lat": v.rep_lat,
            "lng": v.rep_lng,
        },
    )
    assert response.status_code == 201, response.content
    place = Place.objects.get(kind="port")
    assert place.weight == 2.0
    response = client.patch(
        f"/api/v1/connectivity/places/{place.pk}",
        json.dumps({"lat": v.point[0] + 0.001, "population": 10}),
        content_type="application/json",
    )
    assert response.status_code == 200
    place.refresh_from_db()
    assert place.lat == pytest.approx(v.point[0] + 0.001)
    assert AuditEntry.objects.filter(object_id=str(place.pk), action="update").exists()
    outside = post(
        client,
        "/api/v1/connectivity/places",
        {"region": "64.72.01.1001", "kind": "port", "lat": 0.1, "lng": 117.4},
    )
    assert outside.status_code in (403, 404)
    assert Place.objects.filter(kind="port").count() == 1


def test_public_may_not_write(client: Client) -> None:
    response = post(
        client,
        "/api/v1/connectivity/places",
        {"region": V, "kind": "port", "lat": 0.5, "lng": 116.0},
    )
    assert response.status_code == 401


def test_kim_member_adds_places_but_not_towers(client: Client, make_user) -> None:
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.12"))
    v = Region.objects.get(kode=V)
    ok = post(
        client,
        "/api/v1/connectivity/places",
        {
            "region": V,
            "kind": "settlement",
            "lat": v.rep_lat,
            "lng": v.rep_lng,
            "households": 40,
        },
    )
    assert ok.status_code == 201
    assert Place.objects.get(kind="settlement").weight == 1.6
    refused = post(
        client,
        "/api/v1/connectivity/towers",
        {
            "region": V,
            "name": "X",
            "lat": v.rep_lat,
            "lng": v.rep_lng,
            "owner": "bakti",
        },
    )
    assert refused.status_code == 403
    assert not Tower.objects.exists()


def test_staff_confirm_a_report(client: Client, make_user) -> None:
    report, _ = services.report_submit(
        actor=None, idempotency_key="confirm-me-001", region=Region.objects.get(kode=V)
    )
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.12"))
    listed = client.get("/api/v1/connectivity/reports").json()["items"]
    assert [r["id"] for r in listed] == [report.pk]
    response = post(
        client, f"/api/v1/connectivity/reports/{report.pk}/review", {"confirm": True}
    )
    assert response.status_code == 200
    assert VillageStatus.objects.get(region_id=V).status == "blankspot"
    village = client.get(f"/api/v1/connectivity/villages/{V}").json()
    assert village["status"] == "blankspot" and village["office_signal"] is False


def test_operator_out_of_area_gets_404(client: Client, make_user) -> None:
    report, _ = services.report_submit(
        actor=None, idempotency_key="other-area-001", region=Region.objects.get(kode=V)
    )
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.06"))
    response = post(
        client, f"/api/v1/connectivity/reports/{report.pk}/review", {"confirm": True}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "unconfirmed"


def test_towers_status_and_dossier(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    v = Region.objects.get(kode=V)
    created = post(
        client,
        "/api/v1/connectivity/towers",
        {
            "region": V,
            "name": "BTS Umaq Dian",
            "lat": v.rep_lat,
            "lng": v.rep_lng,
            "owner": "bakti",
            "height_m": 52,
            "model": "itm",
            "terrain": "hills",
        },
    )
    assert created.status_code == 201, created.content
    tid = created.json()["id"]
    assert created.json()["predicted_range_km"] > 0
    moved = post(
        client, f"/api/v1/connectivity/towers/{tid}/status", {"status": "surveyed"}
    )
    assert moved.json()["status"] == "surveyed"
    dossier = client.patch(
        f"/api/v1/connectivity/towers/{tid}/dossier",
        json.dumps({"land_status": "offered", "land_letter": "140/7/2024"}),
        content_type="application/json",
    )
    assert dossier.status_code == 200
    assert Tower.objects.get(pk=tid).dossier.land_status == "offered"
    coverage = client.get("/api/v1/connectivity/coverage?region=64.02").json()
    assert coverage["terrain_aware"] is False
    assert "elevation" in coverage["note"]


def test_plan_from_stored_data(client: Client, make_user) -> None:
    hooks.demo()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = post(
        client, "/api/v1/connectivity/plans", {"region": "64.02", "budget": 10}
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "done"
    assert plan["covered_share_after"] > plan["covered_share_before"]
    assert len(plan["result"]["selected"]) == 10
    assert SitingPlan.objects.count() == 1
    fetched = client.get(f"/api/v1/connectivity/plans/{plan['id']}")
    assert fetched.json()["result"]["gap"] == plan["result"]["gap"]


def test_raw_instance_plan_and_clear_answers(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    instance = {
        "demand": [
            {"id": "a", "lat": 0.50, "lng": 116.00, "weight": 3},
            {"id": "b", "lat": 0.55, "lng": 116.05, "weight": 1},
        ],
        "candidates": [{"id": "c1", "lat": 0.52, "lng": 116.02}],
        "budget": 1,
        "radius_km": 10,
    }
    solved = post(client, "/api/v1/connectivity/plan", instance).json()
    assert solved["selected"] == ["c1"] and solved["covered_weight"] == 4
    zero = post(client, "/api/v1/connectivity/plan", {**instance, "budget": 0}).json()
    assert zero["selected"] == [] and "budget" in zero["reason"]
    empty = post(
        client, "/api/v1/connectivity/plan", {**instance, "candidates": []}
    ).json()
    assert empty["selected"] == [] and "candidate" in empty["reason"]
    swapped = post(
        client,
        "/api/v1/connectivity/plan",
        {**instance, "demand": [{"id": "x", "lat": 116.0, "lng": 0.5}]},
    )
    assert swapped.status_code == 400
    assert "x" in swapped.json()["errors"][0]["message"]


def test_map_layers_keep_observed_and_predicted_apart(client: Client) -> None:
    hooks.demo()
    data = client.get("/api/v1/connectivity/map?region=64.02").json()
    assert {"villages", "places", "towers", "coverage"} <= set(data)
    blank = [
        f
        for f in data["villages"]["features"]
        if f["properties"]["status"] == "blankspot"
    ]
    assert len(blank) == 16
    place = data["places"]["features"][0]["properties"]
    assert "observed_tech" in place and "predicted_covered" in place


def test_progress_programmes_and_exports(client: Client) -> None:
    hooks.demo()
    progress = client.get("/api/v1/connectivity/progress?region=64.02").json()
    assert progress["villages"] == 237 and len(progress["children"]) == 20
    assert progress["history"]
    programmes = {
        p["slug"]: p
        for p in client.get("/api/v1/connectivity/programmes").json()["items"]
    }
    assert len(programmes["kukar-bebas-blankspot"]["villages"]) == 19
    assert programmes["ujicoba-40-desa-2022"]["target_villages"] == 40
    csv_text = client.get(
        "/api/v1/connectivity/export.csv?region=64.02"
    ).content.decode()
    assert csv_text.count("\n") == 238 and ",Blankspot," in csv_text
    geo = json.loads(
        client.get("/api/v1/connectivity/export.geojson?region=64.02").content
    )
    assert {f["properties"]["layer"] for f in geo["features"]} >= {
        "villages",
        "places",
        "towers",
    }


def test_regency_admin_saves_a_programme(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    body = {
        "slug": "repeater-2025",
        "name": "Repeater Pemkab 2025",
        "region": "64.02",
        "villages": [V, "64.02.12.2009"],
    }
    response = client.put(
        "/api/v1/connectivity/programmes",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["villages"]) == ["64.02.12.2005", "64.02.12.2009"]
    outside = client.put(
        "/api/v1/connectivity/programmes",
        json.dumps({**body, "villages": ["64.72.01.1001"]}),
        content_type="application/json",
    )
    assert outside.status_code == 400
    other = client.put(
        "/api/v1/connectivity/programmes",
        json.dumps({**body, "slug": "kaltim", "region": "64", "villages": None}),
        content_type="application/json",
    )
    assert other.status_code == 403


@pytest.mark.parametrize(
    "field, value",
    [
        ("weight", 1e308),
        ("weight", "Infinity"),
        ("weight", "NaN"),
        ("weight", 1e6),
        ("population", 10**12),
        ("households", 2**40),
    ],
)
def test_places_with_out_of_range_numbers_are_refused(
    client: Client, make_user, field: str, value: object
) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    v = Region.objects.get(kode=V)
    body = {"region": V, "kind": "port", "lat": v.rep_lat, "lng": v.rep_lng}
    raw = json.dumps({**body, field: "__X__"}).replace('"__X__"', str(value))
    response = client.post(
        "/api/v1/connectivity/places", raw, content_type="application/json"
    )
    assert response.status_code in (400, 422), response.content
    assert not Place.objects.filter(kind="port").exists()
    place = services.place_create(
        actor=None, region=v, kind="port", name="Dermaga", lat=v.rep_lat, lng=v.rep_lng
    )
    response = client.patch(
        f"/api/v1/connectivity/places/{place.pk}",
        json.dumps({field: "__X__"}).replace('"__X__"', str(value)),
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    place.refresh_from_db()
    assert place.weight == 2.0 and place.population is None
