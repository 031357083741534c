from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Role
from network import services
from network.models import Activity, ActivityPhoto, Kim, Membership

pytestmark = pytest.mark.django_db


def test_directory_lists_and_filters(client: Client, kim, other_kim) -> None:
    Kim.objects.filter(pk=other_kim.pk).update(status=Kim.Status.DORMANT)
    html = client.get("/kim/").content.decode()
    assert "KIM Jahab Informatif" in html and "KIM Melayu Bersatu" in html
    assert 'id="map"' in html
    html = client.get(
        "/kim/", {"kabupaten": "64.02", "kecamatan": "64.02.06", "status": "dormant"}
    ).content.decode()
    assert "KIM Melayu Bersatu" in html and "KIM Jahab Informatif" not in html
    html = client.get("/kim/", {"kabupaten": "64.03"}).content.decode()
    assert "KIM Jahab" not in html
    html = client.get("/kim/", {"q": "jahab"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "KIM Jahab Informatif" in html


def test_map_data_uses_the_village_point(client: Client, kim) -> None:
    data = client.get("/kim/peta.json", {"kabupaten": "64.02"}).json()
    [point] = data["kims"]
    assert point["region_code"] == "64.02.06.1001"
    assert point["lat"] == kim.region.rep_lat
    assert point["url"] == f"/kim/{kim.pk}/"


def test_directory_export_has_no_personal_data(
    client: Client, coordinator, kim
) -> None:
    response = client.get("/kim/", {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "KIM Jahab Informatif" in body and "64.02.06.1001" in body
    assert "+6281200000001" not in body
    response = client.get("/kim/", {"format": "xlsx"})
    assert response.content[:2] == b"PK"


def test_public_kim_page_hides_members_but_shows_consenting_chair(
    client: Client, coordinator, kim
) -> None:
    services.member_add(
        actor=None, kim=kim, full_name="Anggota Rahasia", phone="081200000099"
    )
    html = client.get(f"/kim/{kim.pk}/").content.decode()
    assert "Rina Ketua" in html and "+6281200000001" in html  # agreed
    assert "Anggota Rahasia" not in html and "+6281200000099" not in html
    chair = kim.memberships.get(role="ketua")
    services.member_update(actor=None, membership=chair, public_contact=False)
    html = client.get(f"/kim/{kim.pk}/").content.decode()
    assert "+6281200000001" not in html


def test_coordinator_sees_own_members_not_others(
    client: Client, coordinator, kim, other_kim
) -> None:
    services.member_add(actor=None, kim=kim, full_name="Anggota A", phone="0812000091")
    services.member_add(
        actor=None, kim=other_kim, full_name="Anggota B", phone="0812000092"
    )
    client.force_login(coordinator)
    html = client.get(f"/staf/kim/{kim.pk}/").content.decode()
    assert "Anggota A" in html and "+62812000091" in html
    assert client.get(f"/staf/kim/{other_kim.pk}/").status_code == 404
    assert client.get(f"/staf/kim/{other_kim.pk}/ubah/").status_code == 404
    listing = client.get("/staf/kim/").content.decode()
    assert "KIM Jahab Informatif" in listing and "KIM Melayu" not in listing


def test_staff_in_scope_see_members_and_outsiders_get_404(
    client: Client, make_user, kim
) -> None:
    services.member_add(actor=None, kim=kim, full_name="Anggota A", phone="0812000091")
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.06"))
    assert "+62812000091" in client.get(f"/staf/kim/{kim.pk}/").content.decode()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.03"))
    assert client.get(f"/staf/kim/{kim.pk}/").status_code == 404
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert client.get(f"/staf/kim/{kim.pk}/").status_code == 404


def test_member_export_is_logged(client: Client, make_user, kim) -> None:
    services.member_add(actor=None, kim=kim, full_name="Anggota A", phone="0812000091")
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.get("/staf/kim/anggota-ekspor/", {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "Anggota A" in body and "0812-000-091" in body
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["rows"] == 1
    response = client.get(f"/staf/kim/{kim.pk}/", {"format": "xlsx"})
    assert response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_staff_registers_a_kim_and_adds_members(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        "/staf/kim/baru/",
        {
            "region": "64.02.06.1002",
            "name": "KIM Loa Ipuh Cerdas",
            "status": "active",
            "focus_areas": ["anti_hoaks", "umkm"],
            "instagram": "@kimloaipuh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kim = Kim.objects.get(name="KIM Loa Ipuh Cerdas")
    assert kim.focus_areas == ["anti_hoaks", "umkm"]
    assert kim.regency_code == "64.02"
    # Out of scope region: a form error, nothing stored.
    response = client.post(
        "/staf/kim/baru/",
        {"region": "64.03.01.2001", "name": "KIM X", "status": "active"},
    )
    assert response.status_code == 200
    assert not Kim.objects.filter(name="KIM X").exists()
    # Members: invalid phone then duplicate.
    url = f"/staf/kim/{kim.pk}/"
    bad = client.post(
        url, {"m-full_name": "Budi", "m-phone": "12", "m-role": "anggota"}
    )
    assert "0812 3456 7890" in bad.content.decode()  # the error's example
    ok = client.post(
        url, {"m-full_name": "Budi", "m-phone": "0812 0000 0050", "m-role": "ketua"}
    )
    assert ok.status_code == 302
    dup = client.post(
        url, {"m-full_name": "Budi", "m-phone": "+6281200000050", "m-role": "anggota"}
    )
    assert dup.status_code == 200
    assert Membership.objects.filter(kim=kim).count() == 1


def test_coordinator_reports_an_activity_with_a_photo(
    client: Client, coordinator, kim, png, make_user
) -> None:
    client.force_login(coordinator)
    url = f"/staf/kim/{kim.pk}/kegiatan/baru/"
    future = client.post(
        url,
        {
            "kind": "diseminasi",
            "title": "Besok",
            "participants": 5,
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    assert future.status_code == 400  # refused, shown for fixing
    assert "masa depan" in future.content.decode()
    response = client.post(
        url,
        {
            "kind": "diseminasi",
            "title": "Sosialisasi anti hoaks",
            "date": timezone.localdate().isoformat(),
            "participants": 25,
            "links": "https://www.instagram.com/p/abc/",
            "photos": [png("a.png"), png("b.png")],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.photos.count() == 2
    assert activity.links == ["https://www.instagram.com/p/abc/"]
    # Not shown publicly until reviewed.
    assert (
        "Sosialisasi anti hoaks" not in client.get(f"/kim/{kim.pk}/").content.decode()
    )
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    queue = client.get("/staf/kegiatan/").content.decode()
    assert "Sosialisasi anti hoaks" in queue
    client.post(f"/staf/kegiatan/{activity.pk}/tinjau/", {"decision": "approve"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.APPROVED
    assert "Sosialisasi anti hoaks" in client.get(f"/kim/{kim.pk}/").content.decode()


def test_photo_that_is_not_an_image_is_refused(
    client: Client, coordinator, kim
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = client.post(
        f"/staf/kim/{kim.pk}/kegiatan/baru/",
        {
            "kind": "diskusi",
            "title": "Diskusi",
            "date": timezone.localdate().isoformat(),
            "participants": 3,
            "photos": [SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo")],
        },
    )
    assert response.status_code == 400
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()


def test_region_section_and_staff_dashboard_show_the_network(
    client: Client, rf, coordinator, kim
) -> None:
    from network.panels import region_section
    from regions.models import Region

    html = region_section(rf.get("/"), Region.objects.get(kode="64.02"))
    assert "/kim/statistik/64.02/" in html and "1 KIM" in html
    client.force_login(coordinator)
    html = client.get("/staf/").content.decode()
    assert "KIM Jahab Informatif" in html


def test_dashboard_page(client: Client, kim) -> None:
    services.activity_create(
        actor=None,
        kim=kim,
        kind="diseminasi",
        title="x",
        date=timezone.localdate(),
    )
    Activity.objects.update(status=Activity.Status.APPROVED)
    response = client.get("/kim/statistik/64.02/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tenggarong" in html
    assert client.get("/kim/statistik/64.02.06.1001/").status_code == 404
    assert client.get("/kim/statistik/").status_code == 200


def test_forum_pages(client: Client, make_user, kim) -> None:
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    client.force_login(admin)
    response = client.post(
        "/staf/forum-kim/baru/",
        {
            "region": "64.02",
            "name": "Forum KIM Kukar",
            "inaugurated_on": "2022-07-12",
            "inaugurated_by": "Dafip Haryanto",
            "kims": [kim.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    forum = kim.forums.get()
    response = client.post(
        f"/staf/forum-kim/{forum.pk}/",
        {"b-full_name": "Hendra Wijaya", "b-position": "ketua"},
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(f"/forum-kim/{forum.pk}/").content.decode()
    assert "Hendra Wijaya" in html and "Dafip Haryanto" in html
    assert "KIM Jahab Informatif" in html
    assert "Forum KIM Kukar" in client.get("/forum-kim/").content.decode()


def test_directory_exports_escape_formulas(client: Client, kim) -> None:
    import io

    from openpyxl import load_workbook

    kim.name = '=HYPERLINK("http://x","klik")'
    kim.save()
    body = client.get("/kim/", {"format": "csv"}).content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""klik"")"' in body
    data = client.get("/kim/", {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert names[0].value == kim.name and names[0].data_type == "s"


def test_kim_and_forum_regions_typed_by_name(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    assert "data-region-picker" in client.get("/staf/kim/baru/").content.decode()
    form = {"name": "KIM Muara Aloh", "status": "active"}
    response = client.post("/staf/kim/baru/", {**form, "region": "moeara alloh"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Kim.objects.get(name="KIM Muara Aloh").region_id == "64.02.01.2003"
    # Several villages of that name: the form lists them and stores nothing.
    response = client.post(
        "/staf/kim/baru/", {"name": "KIM Sumber Sari", "status": "active",
                            "region": "Sumber Sari"}
    )  # fmt: skip
    assert response.status_code == 200
    assert "64.02.07.2007" in response.content.decode()
    assert not Kim.objects.filter(name="KIM Sumber Sari").exists()
    response = client.post(
        "/staf/forum-kim/baru/",
        {"region": "Kutai Kartanegara", "name": "Forum KIM Kukar"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from network.models import Forum

    assert Forum.objects.get().region_id == "64.02"


def test_directory_filter_lists_follow_the_regions(
    client: Client, kim, django_capture_on_commit_callbacks
) -> None:
    from regions.models import Region

    html = client.get("/kim/", {"kabupaten": "64.02"}).content.decode()
    # Every regency is offered, the chosen one selected, and its districts.
    for kode, name in Region.objects.filter(level=Region.Level.REGENCY).values_list(
        "kode", "name"
    ):
        assert f'value="{kode}"' in html and name in html
    assert '<option value="64.02" selected>' in html
    assert '<option value="64.02.06">' in html  # Tenggarong, a district of 64.02
    assert '<option value="64.03.01">' not in html  # a district of another one
    # The regency list is cached; an import of regions empties it.
    from django.core.cache import cache
    from django.core.management import call_command

    from regions.selectors import REGENCY_CHOICES_KEY

    assert ("64.02", "Kabupaten Kutai Kartanegara") in cache.get(REGENCY_CHOICES_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_regions", verbosity=0)
    assert cache.get(REGENCY_CHOICES_KEY) is None
