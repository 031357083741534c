"""The CKAN action API, checked against what ckanext-harvest's CKAN harvester and
CKAN clients read: the envelope, package dicts, paging, fq filters, lists."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from datahub import services
from datahub.models import Dataset, Topic
from datahub.tests.conftest import GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db

PACKAGE_KEYS = {
    "id",
    "name",
    "title",
    "notes",
    "license_id",
    "license_title",
    "organization",
    "owner_org",
    "groups",
    "resources",
    "tags",
    "metadata_created",
    "metadata_modified",
    "state",
    "type",
    "extras",
    "private",
    "num_resources",
    "num_tags",
}
RESOURCE_KEYS = {
    "id",
    "name",
    "url",
    "format",
    "description",
    "mimetype",
    "created",
    "last_modified",
    "package_id",
    "position",
    "state",
}


def _action(client: Client, name: str, **params: object):  # type: ignore[no-untyped-def]
    return client.get(f"/api/3/action/{name}", params)


def _more(offices, operator, n: int) -> list[Dataset]:  # type: ignore[no-untyped-def]
    made = []
    topic = Topic.objects.get(slug="pemerintahan")
    for i in range(n):
        dataset = services.dataset_create(
            actor=operator,
            office=offices["tenggarong"],
            title=f"Data pelayanan {i}",
            description="Contoh.",
            topic=topic,
            frequency="monthly",
        )
        services.resource_upload(
            actor=operator, dataset=dataset, upload=csv_file(GOOD_CSV)
        )
        made.append(services.dataset_publish(actor=operator, dataset=dataset))
    return made


def test_package_show_by_name_and_id_has_the_ckan_shape(
    client: Client, published
) -> None:  # type: ignore[no-untyped-def]
    body = _action(client, "package_show", id=published.slug).json()
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_show")
    package = body["result"]
    assert set(package) >= PACKAGE_KEYS
    assert package["id"] == str(published.id)
    assert package["type"] == "dataset" and package["state"] == "active"
    assert package["private"] is False
    assert package["license_id"] == "cc-by"
    assert package["license_title"] == "Creative Commons Attribution"
    organization = package["organization"]
    assert organization["name"] == published.office.slug
    assert organization["is_organization"] is True
    assert package["owner_org"] == organization["id"]
    assert package["groups"][0]["name"] == "kesehatan"
    assert {t["name"] for t in package["tags"]} == {"posyandu", "kesehatan"}
    assert all(set(t) >= {"name", "display_name", "id"} for t in package["tags"])
    assert all(
        isinstance(e["key"], str) and isinstance(e["value"], str)
        for e in package["extras"]
    )
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["kode_wilayah"] == "64.02.06"
    # CKAN writes UTC without a zone.
    datetime.fromisoformat(package["metadata_modified"])
    assert "+" not in package["metadata_modified"]
    resources = package["resources"]
    assert [r["format"] for r in resources] == ["CSV", "XLSX", "JSON"]
    assert package["num_resources"] == 3
    for resource in resources:
        assert set(resource) >= RESOURCE_KEYS
        assert resource["package_id"] == package["id"]
        assert resource["url"].startswith("http://testserver/data/")
        assert client.get(resource["url"]).status_code == 200
    assert len({r["id"] for r in resources}) == 3
    by_id = _action(client, "package_show", id=str(published.id)).json()
    assert by_id["result"]["name"] == published.slug
    shown = _action(client, "resource_show", id=resources[1]["id"]).json()
    assert shown["result"]["format"] == "XLSX"


def test_errors_use_the_ckan_envelope_and_status(client: Client, draft) -> None:  # type: ignore[no-untyped-def]
    missing = _action(client, "package_show", id="tidak-ada")
    assert missing.status_code == 404
    assert missing.json() == {
        "help": "http://testserver/api/3/action/help_show?name=package_show",
        "success": False,
        "error": {"__type": "Not Found Error", "message": "Not found"},
    }
    # Drafts do not exist for the public.
    assert _action(client, "package_show", id=draft.slug).status_code == 404
    no_id = _action(client, "package_show")
    assert no_id.status_code == 409
    assert no_id.json()["error"]["__type"] == "Validation Error"
    bad_rows = _action(client, "package_search", rows="abc")
    assert bad_rows.status_code == 409
    assert bad_rows.json()["error"]["rows"] == ["Invalid integer"]
    unknown = _action(client, "package_create")
    assert unknown.status_code == 400
    assert unknown.json()["success"] is False
    # CKAN answers a query it cannot parse with 400 (409 is for validation errors).
    bad_query = _action(client, "package_search", fq="metadata_modified:[kemarin TO *]")
    assert bad_query.status_code == 400
    assert bad_query.json()["error"]["__type"] == "Search Query Error"
    bad_json = client.post(
        "/api/3/action/package_search", "{nope", content_type="application/json"
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["success"] is False


def test_harvester_paging_sorted_by_id_finds_every_package_once(
    client: Client, published, offices, operator
) -> None:  # type: ignore[no-untyped-def]
    _more(offices, operator, 4)
    params = {"rows": "2", "start": "0", "sort": "id asc"}
    seen: list[str] = []
    previous = None
    while True:
        content = client.get(
            "/api/3/action/package_search?" + urlencode(params)
        ).content
        assert content != previous  # the harvester stops when paging repeats
        previous = content
        page = client.get("/api/3/action/package_search?" + urlencode(params)).json()
        results = page["result"]["results"]
        if not results:
            break
        assert page["result"]["count"] == 5
        seen += [p["id"] for p in results]
        params["start"] = str(int(params["start"]) + int(params["rows"]))
    assert len(seen) == 5 == len(set(seen))
    assert seen == sorted(seen)


def test_package_search_fq_as_the_harvester_builds_it(
    client: Client, published, offices, operator, make_user
) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Role

    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    other = services.dataset_create(
        actor=berau,
        office=offices["tanjung_redeb"],
        title="Sarana ibadah Tanjung Redeb",
        description="Contoh.",
        topic=Topic.objects.get(slug="sosial"),
        frequency="annual",
    )
    services.resource_upload(
        actor=berau,
        dataset=other,
        upload=csv_file("kode_kelurahan,masjid\n64.03.05.1004,8\n"),
    )
    services.dataset_publish(actor=berau, dataset=other)
    tenggarong = offices["tenggarong"].slug
    redeb = offices["tanjung_redeb"].slug

    def names(**params: object) -> set[str]:
        body = _action(client, "package_search", rows=100, **params).json()
        assert body["success"] is True
        return {p["name"] for p in body["result"]["results"]}

    assert names() == {published.slug, other.slug}
    assert names(fq=f"organization:{tenggarong}") == {published.slug}
    assert names(fq=f"organization:{tenggarong} OR organization:{redeb}") == {
        published.slug,
        other.slug,
    }
    assert names(fq=f"-organization:{tenggarong}") == {other.slug}
    assert names(fq="groups:sosial") == {other.slug}
    assert names(fq="-groups:sosial") == {published.slug}
    assert names(fq=f"organization:{tenggarong} -groups:sosial") == {published.slug}
    assert names(fq="tags:posyandu") == {published.slug}
    assert names(q="ibadah") == {other.slug}
    assert names(q="*:*", fq="kode_wilayah:64.02") == {published.slug}
    # Changed since the last harvest (UTC, "Z"), as the harvester asks.
    Dataset.objects.filter(pk=other.pk).update(
        updated_at=timezone.now() - timedelta(days=3)
    )
    since = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert names(fq=f"metadata_modified:[{since}Z TO *]") == {published.slug}
    assert names(fq="metadata_modified:[* TO NOW-2DAYS]") == {other.slug}


def test_package_search_result_shape_and_facets(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    body = _action(
        client,
        "package_search",
        **{"facet.field": '["organization","groups","res_format"]'},
    ).json()
    result = body["result"]
    assert set(result) >= {"count", "results", "facets", "search_facets", "sort"}
    assert result["count"] == 1
    assert result["facets"]["organization"] == {published.office.slug: 1}
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1, "XLSX": 1}
    items = result["search_facets"]["groups"]["items"]
    assert items == [{"name": "kesehatan", "display_name": "Kesehatan", "count": 1}]
    plain = _action(client, "package_search").json()["result"]
    assert plain["facets"] == {} and plain["search_facets"] == {}
    posted = client.post(
        "/api/3/action/package_search",
        data={"q": "posyandu", "rows": 5},
        content_type="application/json",
    ).json()
    assert posted["result"]["count"] == 1


def test_package_list_and_organization_and_group_lists(
    client: Client, published, offices
) -> None:  # type: ignore[no-untyped-def]
    assert _action(client, "package_list").json()["result"] == [published.slug]
    names = _action(client, "organization_list").json()["result"]
    assert set(names) == {o.slug for o in offices.values()}
    full = _action(client, "organization_list", all_fields="true").json()["result"]
    tenggarong = next(o for o in full if o["name"] == offices["tenggarong"].slug)
    assert tenggarong["package_count"] == 1
    assert tenggarong["title"] == "Kecamatan Tenggarong"
    assert tenggarong["type"] == "organization" and tenggarong["is_organization"]
    by_count = _action(client, "organization_list", sort="package_count desc").json()[
        "result"
    ]
    assert by_count[0] == offices["tenggarong"].slug
    groups = _action(client, "group_list", all_fields="true").json()["result"]
    health = next(g for g in groups if g["name"] == "kesehatan")
    assert health["package_count"] == 1 and health["is_organization"] is False
    assert "kesehatan" in _action(client, "group_list").json()["result"]
    org = _action(
        client,
        "organization_show",
        id=offices["tenggarong"].slug,
        include_datasets="true",
    ).json()["result"]
    assert org["package_count"] == 1
    assert org["packages"][0]["name"] == published.slug
    group = _action(client, "group_show", id="kesehatan").json()["result"]
    assert group["package_count"] == 1
    assert _action(client, "group_show", id="tidak-ada").status_code == 404
    assert _action(client, "status_show").json()["result"]["ckan_version"]


def test_help_show(client: Client) -> None:
    url = "/api/3/action/help_show"
    body = client.get(url, {"name": "package_search"}).json()
    assert "fq" in body["result"]
    assert client.get(url, {"name": "nope"}).status_code == 404


def test_action_api_also_at_the_unversioned_path_ckanapi_calls(
    client: Client, published
) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/action/package_show", {"id": published.slug}).json()
    assert body["result"]["name"] == published.slug
    assert body["help"] == "http://testserver/api/3/action/help_show?name=package_show"
    assert client.get("/api/3").json() == {"version": 3}
    assert client.get("/api/").json() == {"version": 1}
    status = client.get("/api/util/status").json()
    assert status["ckan_version"]
    assert status["site_url"] == "http://testserver"


def test_form_encoded_and_json_posts_are_read_as_ckan_reads_them(
    client: Client, published
) -> None:  # type: ignore[no-untyped-def]
    url = "/api/action/package_show"
    form = client.post(
        url,
        urlencode({"id": published.slug}),
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 200
    assert form.json()["result"]["id"] == str(published.id)
    multipart = client.post(url, {"id": published.slug})
    assert multipart.json()["result"]["id"] == str(published.id)
    as_json = client.post(url, {"id": published.slug}, content_type="application/json")
    assert as_json.json()["result"]["id"] == str(published.id)
    # A key given twice is a list, once a string, as CKAN reads query strings.
    search = client.post(
        "/api/action/package_search",
        urlencode([("fq", f"name:{published.slug}"), ("rows", "5")]),
        content_type="application/x-www-form-urlencoded",
    ).json()
    assert search["result"]["count"] == 1


@pytest.mark.parametrize(
    ("action", "param"),
    [
        ("package_search", "start"),
        ("package_search", "rows"),
        ("package_list", "offset"),
        ("package_list", "limit"),
        ("organization_list", "offset"),
        ("current_package_list_with_resources", "offset"),
        ("resource_search", "offset"),
        ("package_activity_list", "offset"),
    ],
)
def test_huge_offsets_and_limits_answer_without_a_server_error(
    client: Client, published, action: str, param: str
) -> None:  # type: ignore[no-untyped-def]
    # 10**30 overflowed SQLite's and PostgreSQL's OFFSET and answered 500.
    params = {param: str(10**30), "id": published.slug, "query": "format:csv"}
    response = _action(client, action, **params)
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    if param in ("start", "offset"):
        assert (result["results"] if isinstance(result, dict) else result) == []


def test_tag_show(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    tag = _action(client, "tag_show", id="posyandu").json()["result"]
    assert tag["name"] == "posyandu"
    assert tag["vocabulary_id"] is None
    by_id = _action(client, "tag_show", id=tag["id"], include_datasets="true")
    assert [p["name"] for p in by_id.json()["result"]["packages"]] == [published.slug]
    missing = _action(client, "tag_show", id="tidak-ada")
    assert missing.status_code == 404
    assert (
        missing.json()["error"]["message"]
        == 'Not found: Could not find tag "tidak-ada"'
    )


def test_current_package_list_with_resources_and_group_package_show(
    client: Client, published, offices, operator
) -> None:  # type: ignore[no-untyped-def]
    more = _more(offices, operator, 2)
    result = _action(client, "current_package_list_with_resources").json()["result"]
    assert [p["name"] for p in result] == [
        more[1].slug,
        more[0].slug,
        published.slug,
    ]
    assert all(p["num_resources"] == 3 for p in result)
    page2 = _action(client, "current_package_list_with_resources", limit=2, page=2)
    assert [p["name"] for p in page2.json()["result"]] == [published.slug]
    assert (
        _action(client, "current_package_list_with_resources", page=0).status_code
        == 409
    )
    group = _action(client, "group_package_show", id="kesehatan").json()["result"]
    assert [p["name"] for p in group] == [published.slug]
    assert _action(client, "group_package_show", id="tidak-ada").status_code == 404


def test_package_autocomplete(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    by_name = _action(client, "package_autocomplete", q="jumlah-posyandu").json()
    assert by_name["result"] == [
        {
            "name": published.slug,
            "title": published.title,
            "match_field": "name",
            "match_displayed": published.slug,
        }
    ]
    by_title = _action(client, "package_autocomplete", q="Tenggarong 2025").json()
    (match,) = by_title["result"]
    assert match["match_field"] == "title"
    assert match["match_displayed"] == f"{published.title} ({published.slug})"
    assert _action(client, "package_autocomplete", q="zzz").json()["result"] == []


def test_resource_search(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    found = _action(client, "resource_search", query="format:xlsx").json()["result"]
    assert found["count"] == 1
    assert found["results"][0]["format"] == "XLSX"
    both = client.get(
        "/api/action/resource_search",
        {"query": ["name:posyandu", "format:JSON"]},
    ).json()["result"]
    assert [r["format"] for r in both["results"]] == ["JSON"]
    sha = published.resources.get().current.sha256
    by_hash = _action(client, "resource_search", query=f"hash:{sha[:12]}").json()
    assert [r["format"] for r in by_hash["result"]["results"]] == ["CSV"]
    inside = _action(client, "resource_search", query=f"hash:{sha[2:14]}").json()
    assert inside["result"]["count"] == 0
    everything = _action(client, "resource_search", query="name:posyandu").json()
    assert everything["result"]["count"] == 3
    bad = _action(client, "resource_search", query="warna:merah")
    assert bad.status_code == 409
    assert bad.json()["error"]["query"] == [
        'Field "warna" not recognised in resource_search.'
    ]


def test_package_activity_list(client: Client, published, operator) -> None:  # type: ignore[no-untyped-def]
    first = _action(client, "package_activity_list", id=published.slug).json()
    (created,) = first["result"]
    assert created["activity_type"] == "new package"
    assert created["object_id"] == str(published.id)
    assert created["data"]["package"]["name"] == published.slug
    services.resource_upload(
        actor=operator,
        dataset=published,
        upload=csv_file(GOOD_CSV.replace(";4", ";5")),
        resource=published.resources.get(),
    )
    later = _action(client, "package_activity_list", id=published.slug).json()
    assert [a["activity_type"] for a in later["result"]] == [
        "changed package",
        "new package",
    ]
    assert _action(client, "package_activity_list", id="tidak-ada").status_code == 404
