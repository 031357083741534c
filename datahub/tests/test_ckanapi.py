"""The standard CKAN client, ``ckanapi``, against the running app: its Python
``RemoteCKAN`` with default settings (JSON POSTs to ``/api/action/``) for every
action served, and its command line (``ckanapi action`` and ``ckanapi dump``)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from ckanapi import NotFound, RemoteCKAN, SearchQueryError, ValidationError

from datahub import ckan
from datahub.models import Topic
from datahub.tests.conftest import GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(offices, operator):  # type: ignore[no-untyped-def]
    from datahub import services
    from datahub.models import Topic

    # Transactional tests empty the tables first, topics included.
    services.topics_ensure()
    made = []
    for title, topic in [
        ("Jumlah posyandu Kecamatan Tenggarong 2025", "kesehatan"),
        ("Jumlah sekolah dasar Kecamatan Tenggarong", "pendidikan"),
    ]:
        dataset = services.dataset_create(
            actor=operator,
            office=offices["tenggarong"],
            title=title,
            description="Contoh.",
            topic=Topic.objects.get(slug=topic),
            frequency="annual",
            keywords=["tenggarong", topic],
        )
        services.resource_upload(
            actor=operator, dataset=dataset, upload=csv_file(GOOD_CSV), name="Tabel"
        )
        made.append(services.dataset_publish(actor=operator, dataset=dataset))
    return made


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    # ckanapi dump starts its workers as "ckanapi" found on PATH.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(
        [str(Path(bin_dir) / "ckanapi"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_remoteckan_with_default_settings_calls_every_action(
    live_server, catalogue
) -> None:  # type: ignore[no-untyped-def]
    first, second = catalogue
    with RemoteCKAN(live_server.url) as remote:
        action = remote.action
        names = action.package_list()
        assert sorted(names) == sorted([first.slug, second.slug])
        package = action.package_show(id=first.slug)
        assert package["id"] == str(first.id)
        assert package["num_resources"] == 3
        search = action.package_search(q="posyandu", rows=5, start=0)
        assert [p["name"] for p in search["results"]] == [first.slug]
        assert action.resource_show(id=package["resources"][0]["id"])["format"] == "CSV"
        assert "kecamatan-tenggarong" in action.organization_list()
        office = action.organization_show(id="kecamatan-tenggarong")
        assert office["package_count"] == 2
        assert sorted(action.group_list()) == sorted(
            t.slug for t in Topic.objects.all()
        )
        assert action.group_show(id="kesehatan")["package_count"] == 1
        assert "tenggarong" in action.tag_list()
        assert action.tag_show(id="tenggarong")["name"] == "tenggarong"
        assert {x["id"] for x in action.license_list()} >= {"cc-by"}
        assert action.status_show()["api_version"] == 3
        assert "fq" in action.help_show(name="package_search")
        current = action.current_package_list_with_resources(limit=10)
        assert {p["name"] for p in current} == {first.slug, second.slug}
        (match,) = action.package_autocomplete(q="sekolah")
        assert match["name"] == second.slug
        found = action.resource_search(query=["format:CSV"])
        assert found["count"] == 2
        (in_group,) = action.group_package_show(id="pendidikan")
        assert in_group["name"] == second.slug
        (activity,) = action.package_activity_list(id=first.slug)
        assert activity["activity_type"] == "new package"
        served = {
            name
            for name in ckan.ACTIONS
            if name
            not in {
                "package_list",
                "package_show",
                "package_search",
                "resource_show",
                "organization_list",
                "organization_show",
                "group_list",
                "group_show",
                "tag_list",
                "tag_show",
                "license_list",
                "status_show",
                "help_show",
                "current_package_list_with_resources",
                "package_autocomplete",
                "resource_search",
                "group_package_show",
                "package_activity_list",
            }
        }
        assert served == set(), "an action without a client test"
        # ckanapi turns CKAN's error envelopes back into its exceptions.
        with pytest.raises(NotFound):
            action.package_show(id="tidak-ada")
        with pytest.raises(ValidationError):
            action.package_search(rows="banyak")
        with pytest.raises(SearchQueryError):
            action.package_search(fq="metadata_modified:[kemarin TO *]")
    # GET requests, as ``RemoteCKAN(get_only=True)`` sends them.
    with RemoteCKAN(live_server.url, get_only=True) as remote:
        result = remote.action.package_search(fq=f"name:{second.slug}")
        assert result["count"] == 1


def test_ckanapi_cli_action_and_dump(live_server, catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = catalogue
    shown = _cli("action", "package_show", f"id={first.slug}", "-r", live_server.url)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == first.slug

    out = tmp_path / "datasets.jsonl"
    dump = _cli(
        "dump", "datasets", "--all", "-q", "-O", str(out), "-r", live_server.url
    )
    assert dump.returncode == 0, dump.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(p["name"] for p in lines) == sorted([first.slug, second.slug])
    assert all(len(p["resources"]) == 3 for p in lines)
    assert {p["organization"]["name"] for p in lines} == {"kecamatan-tenggarong"}


def test_vulnerability_index_is_a_catalogue_dataset_agreeing_with_the_export(
    live_server, kaltim
) -> None:  # type: ignore[no-untyped-def]
    from datahub import services, vulnerability_services
    from datahub.models import VulnerabilityScore
    from regions.models import Region

    services.topics_ensure()
    for code, index, action in [
        ("64.02", 55.5, ""),
        ("64.02.06", 71.25, "train"),
        ("64.02.07", None, ""),
    ]:
        region = Region.objects.get(kode=code)
        VulnerabilityScore.objects.create(
            region=region,
            level=region.level,
            parent_code=code.rsplit(".", 1)[0],
            population=20_000,
            index=index,
            action=action,
            action_figures={"trained": 0, "score": 90.0},
        )
    assert vulnerability_services.vulnerability_dataset_refresh(province="64")
    # Idempotent: the same scores change nothing.
    assert not vulnerability_services.vulnerability_dataset_refresh(province="64")

    site = RemoteCKAN(live_server.url)
    package = site.action.package_show(id="indeks-kerawanan-informasi")
    assert package["organization"]["title"].startswith("Diskominfo")
    csv_resource = next(r for r in package["resources"] if r["format"] == "CSV")
    with urllib.request.urlopen(csv_resource["url"]) as response:  # noqa: S310
        table = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
    by_code = {row[0]: row for row in table[1:]}
    assert [row[0] for row in table[1:]] == ["64.02", "64.02.06", "64.02.07"]
    assert by_code["64.02.06"][table[0].index("indeks")] == "71.25"
    assert by_code["64.02.07"][table[0].index("indeks")] == ""
    assert by_code["64.02.06"][table[0].index("tindakan")] == "train"
    province = Region.objects.get(kode="64").name
    assert package["title"] == f"Indeks Kerawanan Informasi — {province}"
