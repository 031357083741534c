"""Publishing through the staff pages and reading through the public ones."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.models import AuditEntry, Role
from core.tests import xlsx_files
from datahub.models import Dataset, ResourceVersion
from datahub.tests.conftest import BAD_CSV, GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db


def test_tenggarong_operator_uploads_fixes_and_publishes(
    client: Client, offices, operator
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator)
    response = client.post(
        "/staf/data/baru/",
        {
            "office": offices["tenggarong"].pk,
            "title": "Jumlah posyandu Kecamatan Tenggarong 2025",
            "description": "Posyandu aktif per kelurahan.",
            "topic": "",
            "keywords": "posyandu, kesehatan",
            "frequency": "annual",
            "licence": "cc-by",
        },
    )
    assert response.status_code == 200  # topic missing
    from datahub.models import Topic

    topic = Topic.objects.get(slug="kesehatan")
    response = client.post(
        "/staf/data/baru/",
        {
            "office": offices["tenggarong"].pk,
            "title": "Jumlah posyandu Kecamatan Tenggarong 2025",
            "description": "Posyandu aktif per kelurahan.",
            "topic": topic.pk,
            "keywords": "posyandu, kesehatan",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "frequency": "annual",
            "licence": "cc-by",
        },
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    page = f"/staf/data/{dataset.slug}/"
    assert response["Location"] == page
    assert dataset.status == "draft" and dataset.office == offices["tenggarong"]

    # A sheet with an unknown village code and a word among numbers.
    response = client.post(page, {"file": csv_file(BAD_CSV), "name": "Posyandu"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "64.02.06.9999" in html and "tidak ada" in html.lower()
    assert "tujuh" in html and "bukan bilangan bulat" in html
    version = ResourceVersion.objects.get()
    assert version.status == "invalid" and version.error_count == 2
    assert version.rows == []  # rejected tables are not kept
    assert {(e["row"], e["column"]) for e in version.errors} == {
        (3, "kode_desa"),
        (4, "jumlah_posyandu"),
    }
    response = client.post(f"{page}terbitkan/", {"action": "publish"}, follow=True)
    assert "belum punya versi tanpa galat" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == "draft"
    assert client.get(f"/data/{dataset.slug}/").status_code == 404

    # The fixed sheet, as a new version of the same table.
    resource = dataset.resources.get()
    response = client.post(
        page, {"file": csv_file(GOOD_CSV), "resource": str(resource.pk)}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.current.number == 2 and resource.current.row_count == 3
    response = client.post(f"{page}terbitkan/", {"action": "publish"})
    dataset.refresh_from_db()
    assert dataset.status == "published" and dataset.published_at
    assert AuditEntry.objects.filter(
        action="publish", object_id=str(dataset.pk), region_code="64.02.06"
    ).exists()

    client.logout()
    catalogue = client.get("/data/", {"q": "posyandu"}).content.decode()
    assert dataset.title in catalogue
    detail = client.get(f"/data/{dataset.slug}/").content.decode()
    assert "Bukit Biru" in detail and "Kecamatan Tenggarong" in detail
    shown = client.get("/api/3/action/package_show", {"id": dataset.slug}).json()
    assert shown["success"] is True
    assert shown["result"]["organization"]["title"] == "Kecamatan Tenggarong"


def test_catalogue_filters_and_htmx_fragment(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/data/", {"topik": "kesehatan"}).content.decode()
    assert published.title in html
    assert (
        published.title
        not in client.get("/data/", {"topik": "ekonomi"}).content.decode()
    )
    assert (
        published.title in client.get("/data/", {"wilayah": "64.02"}).content.decode()
    )
    assert (
        published.title
        not in client.get("/data/", {"wilayah": "64.03"}).content.decode()
    )
    fragment = client.get("/data/", {"q": "posyandu"}, HTTP_HX_REQUEST="true")
    assert (
        b"<html" not in fragment.content
        and published.title.encode() in fragment.content
    )


def test_downloads_in_three_formats_and_earlier_versions(
    client: Client, published, operator
) -> None:  # type: ignore[no-untyped-def]
    from datahub import services

    resource = published.resources.get()
    services.resource_upload(
        actor=operator,
        dataset=published,
        resource=resource,
        upload=csv_file(GOOD_CSV.replace(";4\n", ";5\n")),
    )
    base = f"/data/{published.slug}/tabel/{resource.pk}/unduh"
    csv_text = client.get(f"{base}.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "64.02.06.1001,Jahab,5"
    old = client.get(f"{base}.csv", {"versi": 1}).content.decode("utf-8-sig")
    assert old.splitlines()[1] == "64.02.06.1001,Jahab,4"
    data = json.loads(client.get(f"{base}.json").content)
    assert data["records"][0] == {
        "kode_desa": "64.02.06.1001",
        "nama_desa": "Jahab",
        "jumlah_posyandu": 5,
    }
    book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))
    assert list(book.active.iter_rows(values_only=True))[1] == (
        "64.02.06.1001",
        "Jahab",
        5,
    )
    assert client.get(f"{base}.pdf").status_code == 404
    assert client.get(f"{base}.csv", {"versi": 9}).status_code == 404
    html = client.get(f"/data/{published.slug}/").content.decode()
    assert "?versi=1" in html


def test_personal_data_blocks_publishing(client: Client, draft, operator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator)
    page = f"/staf/data/{draft.slug}/"
    sheet = "kode_desa,nik,jumlah\n64.02.06.1001,6402061234567890,1\n"
    client.post(page, {"file": csv_file(sheet)})
    version = ResourceVersion.objects.get()
    assert version.status == "personal" and version.rows == []
    assert not version.file
    html = client.get(page).content.decode()
    assert "Data pribadi ditemukan" in html and "nik" in html
    client.post(f"{page}terbitkan/", {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_berau_admin_cannot_see_or_change_tenggarong_data(
    client: Client, draft, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.03"))
    page = f"/staf/data/{draft.slug}/"
    assert client.get(page).status_code == 404
    assert client.post(page, {"file": csv_file(GOOD_CSV)}).status_code == 404
    assert client.post(f"{page}terbitkan/").status_code == 404
    assert draft.resources.count() == 0
    assert draft.title not in client.get("/staf/data/").content.decode()


def test_kim_member_may_not_open_staff_pages(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert client.get("/staf/data/").status_code == 403
    assert client.get("/staf/ppid/").status_code == 403


def test_operator_without_office_is_sent_to_add_one(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    operator = make_user(Role.DISTRICT_OPERATOR, "64.02.16")
    client.force_login(operator)
    response = client.get("/staf/data/baru/")
    assert response["Location"] == "/staf/data/kantor/baru/"
    response = client.post(
        "/staf/data/kantor/baru/",
        {
            "name": "Kecamatan Tenggarong Seberang",
            "kind": "kecamatan",
            "region": "64.02.16",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/staf/data/kantor/baru/",
        {"name": "Kantor Lain", "kind": "kecamatan", "region": "64.02.06"},
    )
    assert response.status_code == 200  # outside the operator's region
    from datahub.models import Office

    assert list(Office.objects.values_list("region_id", flat=True)) == ["64.02.16"]


def test_dashboard_panel(client: Client, published, operator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator)
    html = client.get("/staf/").content.decode()
    assert "/staf/data/" in html and "/staf/ppid/" in html


@pytest.mark.parametrize(
    "damage, code",
    [
        (lambda d: xlsx_files.bad_shared_string(d, "C3"), "xlsx_bad_row"),
        (lambda d: xlsx_files.bad_number(d, "C3"), "xlsx_bad_row"),
        (lambda d: xlsx_files.bad_date(d, "C3"), "xlsx_bad_row"),
        (xlsx_files.broken_xml, None),
        (
            lambda d: xlsx_files.huge_shared_string(d, "B2", 20 * 1024 * 1024),
            "xlsx_too_large",
        ),
    ],
    ids=["shared-string", "number", "date", "xml", "bomb"],
)
def test_damaged_excel_upload_is_refused_with_a_message(
    client: Client, draft, operator, damage, code
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = xlsx_files.good_xlsx(
        [
            ["kode_desa", "nama_desa", "jumlah_posyandu"],
            ["64.02.06.1001", "Jahab", 4],
            ["64.02.06.1002", "Loa Ipuh", 9],
        ]
    )
    client.force_login(operator)
    page = f"/staf/data/{draft.slug}/"
    before = set(ResourceVersion.objects.values_list("pk", flat=True))
    upload = SimpleUploadedFile("posyandu.xlsx", damage(good))
    response = client.post(page, {"file": upload, "name": "Posyandu"})
    assert response.status_code == 302
    version = ResourceVersion.objects.exclude(pk__in=before).get()
    assert version.status == "invalid" and version.rows == []
    codes = {e["code"] for e in version.errors}
    assert codes <= {"xlsx_bad_row", "bad_excel", "xlsx_too_large"}
    if code:
        assert codes == {code}
    html = client.get(page).content.decode()
    assert "Excel" in html


@pytest.mark.parametrize(
    "role, scope",
    [(Role.DISTRICT_OPERATOR, "64.02.06"), (Role.PROVINCE_ADMIN, "64")],
)
def test_dashboard_counts_what_the_public_catalogue_lists(  # type: ignore[no-untyped-def]
    client: Client, published, make_user, role: Role, scope: str
) -> None:
    """One number for one thing: the dashboard's published datasets are the
    catalogue's (before: only uploaded ones of the staff's offices, "5" against
    the catalogue's 94)."""
    import re

    from datahub.models import Dataset

    # An indicator dataset is in the catalogue too.
    Dataset.objects.filter(pk=published.pk).update(
        kind=Dataset.Kind.INDICATOR, indicator="population"
    )
    client.force_login(make_user(role, scope))
    html = client.get("/staf/").content.decode()
    found = re.search(
        r'data-count="published"><strong>(\d+)</strong><a href="([^"]+)"', html
    )
    assert found is not None
    catalogue = client.get(found.group(2).replace("&amp;", "&"))
    assert int(found.group(1)) == catalogue.context["page"].paginator.count == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloaded_table_uploads_again_as_the_same_rows(  # type: ignore[no-untyped-def]
    client: Client, published, operator, fmt: str
) -> None:
    """A table downloaded as CSV or Excel is accepted as the next version of its
    resource, with the same rows and columns."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from datahub import services

    resource = published.resources.get()
    before = resource.current
    url = f"/data/{published.slug}/tabel/{resource.pk}/unduh.{fmt}"
    data = client.get(url).content
    version = services.resource_upload(
        actor=operator,
        dataset=published,
        resource=resource,
        upload=SimpleUploadedFile(f"tabel.{fmt}", data),
    )
    assert version.status == ResourceVersion.Status.VALID, version.errors
    assert version.number == before.number + 1
    assert version.columns == before.columns
    assert version.rows == before.rows


def test_office_region_typed_by_name(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    from datahub.models import Office

    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.16"))
    response = client.post(
        "/staf/data/kantor/baru/",
        {"name": "Kecamatan TGS", "kind": "kecamatan", "region": "Tenggarong Seberang"},
    )
    assert response.status_code == 302
    assert list(Office.objects.values_list("region_id", flat=True)) == ["64.02.16"]
    response = client.post(
        "/staf/data/kantor/baru/",
        {"name": "Kantor Lain", "kind": "kecamatan", "region": "Sebulu"},
    )
    assert response.status_code == 200  # outside the operator's region
    assert "Sebulu" in response.content.decode()
    assert Office.objects.count() == 1
