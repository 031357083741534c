import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_kukar_with_its_20_kecamatan_and_237_villages(client: Client) -> None:
    response = client.get("/api/v1/regions/64.02")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Kabupaten Kutai Kartanegara"
    assert data["parent_region"] == {
        "kode": "64",
        "name": "Kalimantan Timur",
        "level": "provinsi",
    }
    assert data["children"] == 20
    assert data["children_counts"]["kecamatan"] == 20
    assert data["children_counts"]["desa_kel"] == 237
    assert data["rep_point"] == {"lat": 0.195837, "lng": 116.151491}


def test_province_counts(client: Client) -> None:
    counts = client.get("/api/v1/regions/64").json()["children_counts"]
    assert counts == {
        "kabkota": 10,
        "kecamatan": 105,
        "desa_kel": 1038,
        "desa": 841,
        "kelurahan": 197,
    }


def test_unknown_code_is_404_with_a_message(client: Client) -> None:
    response = client.get("/api/v1/regions/64.99")
    assert response.status_code == 404
    assert "64.99" in response.json()["detail"]


@pytest.mark.parametrize("kode", ["abc", "64.2", "64.02.06.1", "6402"])
def test_malformed_code_is_400(client: Client, kode: str) -> None:
    response = client.get(f"/api/v1/regions/{kode}")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_list_filters_and_pagination(client: Client) -> None:
    data = client.get(
        "/api/v1/regions", {"parent": "64.02", "page_size": 5, "page": 2}
    ).json()
    assert data["count"] == 20
    assert data["pages"] == 4
    assert [i["kode"] for i in data["items"]] == [
        "64.02.06",
        "64.02.07",
        "64.02.08",
        "64.02.09",
        "64.02.10",
    ]
    villages = client.get("/api/v1/regions", {"level": "desa_kel", "q": "jahab"}).json()
    assert [i["kode"] for i in villages["items"]] == ["64.02.06.1001"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "planet"}, "level"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"parent": "not-a-code"}, "parent"),
    ],
)
def test_malformed_query_parameters_give_field_errors(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/regions", params)
    assert response.status_code == 400
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]


def test_geojson(client: Client) -> None:
    feature = client.get("/api/v1/regions/64.02.06/geojson").json()
    assert feature["type"] == "Feature"
    assert feature["properties"]["name"] == "Tenggarong"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    children = client.get(
        "/api/v1/regions/64.02.06/geojson", {"children": "true"}
    ).json()
    assert children["type"] == "FeatureCollection"
    assert len(children["features"]) == 14
    assert all(f["geometry"] for f in children["features"])


def test_openapi_and_docs(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{kode}" in schema["paths"]
    assert "/api/v1/regions/{kode}/geojson" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_public_api_is_rate_limited(client: Client, settings: object) -> None:
    from simpul.api import api

    throttle = api.throttle[0]  # type: ignore[index]
    limit = throttle.num_requests  # type: ignore[union-attr]
    codes = [client.get("/api/v1/regions/64").status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit
    assert codes[-1] == 429
