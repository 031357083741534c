import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEntry, Role
from core.tests import xlsx_files
from network.importing import SheetError, kim_import
from network.models import Kim, Membership, Person

pytestmark = pytest.mark.django_db

HEADER = (
    "kode_wilayah,nama_kim,status_kim,tingkat_kim,nomor_sk,tanggal_sk,nama_anggota,"
    "peran,telepon,email,tanggal_bergabung,kontak_publik\n"
)


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_bad_rows_are_reported_and_good_rows_imported(make_user) -> None:
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    data = _csv(
        "64.02.06.1001,KIM Jahab,aktif,madya,140/1/2021,15/03/2021,Siti,ketua,0812 0000 0001,,2021-04-01,ya",  # noqa: E501
        "64.02.06.1001,KIM Jahab,,,,,Budi,anggota,0812 0000 0002,budi@contoh.id,,",
        "64.02.06.1001,KIM Jahab,,,,,Budi Lagi,anggota,+6281200000002,,,",  # dup phone
        "64.02.06.1001,KIM Jahab,,,,,Rudi,ketua,0812 0000 0003,,,",  # second chair
        "64.02.06.1001,KIM Jahab,,,,,Ani,anggota,12345,,,",  # bad phone
        "64.02.06.9999,KIM Hantu,,,,,Dedi,anggota,,,,",  # unknown code
        "64.03.01.2001,KIM Berau,,,,,Eka,anggota,,,,",  # outside scope
        "64.02.06.1002,KIM Loa Ipuh,vakum,,,,Fajar,anggota,,,2999-01-01,",  # future
        "64.02.06.1002,KIM Loa Ipuh,vakum,,,,Gita,bos,,email-salah,,mungkin",  # 3 errs
        "64.02.06.1003,KIM Bukit Biru,,utama,,,,,,,,",  # KIM only
        "64.02,KIM Kabupaten,,,,,,,,,,",  # not a village/district
    )
    result = kim_import(actor=admin, data=data, filename="kukar.csv")
    errors = {(e.line, e.field) for e in result.errors}
    assert errors == {
        (4, "telepon"),
        (5, "peran"),
        (6, "telepon"),
        (7, "kode_wilayah"),
        (8, "kode_wilayah"),
        (9, "tanggal_bergabung"),
        (10, "peran"),
        (10, "email"),
        (10, "kontak_publik"),
        (12, "kode_wilayah"),
    }
    assert result.rows == 11
    assert (result.kims_created, result.members_created) == (2, 2)
    jahab = Kim.objects.get(name="KIM Jahab")
    assert jahab.level == "madya" and str(jahab.decree_date) == "2021-03-15"
    assert sorted(
        str(p) for p in jahab.memberships.values_list("person__phone", flat=True)
    ) == [
        "+6281200000001",
        "+6281200000002",
    ]
    assert jahab.memberships.get(role="ketua").person.public_contact
    # The Loa Ipuh rows all failed: its KIM is not half-created.
    assert not Kim.objects.filter(name="KIM Loa Ipuh").exists()
    assert Kim.objects.get(name="KIM Bukit Biru").level == "utama"
    entry = AuditEntry.objects.get(object_type="network.import")
    assert entry.changes["rows_with_errors"] == 8
    # Importing again updates what is there: nothing new, nothing doubled, and
    # the good rows are no errors ("Anggota ganda" on every row before).
    again = kim_import(actor=admin, data=data)
    assert again.kims_created == 0 and again.members_created == 0
    assert {(e.line, e.field) for e in again.errors} == errors
    assert (again.kims_updated, again.members_updated) == (0, 0)
    assert Membership.objects.count() == 2


def test_excel_and_semicolon_csv(make_user) -> None:
    from openpyxl import Workbook

    admin = make_user(Role.PROVINCE_ADMIN, "64")
    book = Workbook()
    sheet = book.active
    sheet.append(["Kode Wilayah", "Nama KIM", "Nama Anggota", "Jabatan", "No HP"])
    sheet.append(["64.72.03.1001", "KIM Teluk Lerong", "Sari", "Ketua", 81200000011])
    sheet.append(["64.72.03.1001", "KIM Teluk Lerong", "Tono", "anggota", "0812x"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = kim_import(actor=admin, data=buffer.getvalue())
    assert result.members_created == 1
    assert [(e.line, e.field) for e in result.errors] == [(3, "telepon")]
    assert Person.objects.get().phone == "+6281200000011"
    semicolon = b"kode_wilayah;nama_kim;nama_anggota\n64.74.01.1001;KIM Kuala;Ida\n"
    assert kim_import(actor=admin, data=semicolon).members_created == 1


def test_not_a_sheet(make_user) -> None:
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    with pytest.raises(SheetError):
        kim_import(actor=admin, data=b"hello,world\n1,2\n")
    with pytest.raises(SheetError):
        kim_import(actor=admin, data=b"PK\x03\x04garbage")


def test_import_page_and_template(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    template = client.get("/staf/kim/impor/templat.csv").content.decode("utf-8-sig")
    assert template.startswith("kode_wilayah,nama_kim")
    assert client.get("/staf/kim/impor/templat.xlsx").content[:2] == b"PK"
    upload = SimpleUploadedFile(
        "kim.csv", _csv("64.02.06.1001,KIM Jahab,,,,,Siti,ketua,0812 99,,,")
    )
    html = client.post("/staf/kim/impor/", {"file": upload}).content.decode()
    assert 'id="import-errors"' in html and "telepon" in html
    upload = SimpleUploadedFile(
        "kim.csv", _csv("64.02.06.1001,KIM Jahab,,,,,Siti,ketua,081200000001,,,")
    )
    client.post("/staf/kim/impor/", {"file": upload})
    assert Membership.objects.count() == 1
    client.force_login(make_user(Role.KIM_COORDINATOR, "64.02.06"))
    assert client.get("/staf/kim/impor/").status_code == 403


def test_member_export_round_trips_through_import(client: Client, make_user) -> None:
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    kim_import(
        actor=admin,
        data=_csv("64.02.06.1001,KIM Jahab,,,,,Siti,ketua,081200000001,,2021-01-01,ya"),
    )
    client.force_login(admin)
    exported = client.get("/staf/kim/anggota-ekspor/", {"format": "csv"}).content
    Membership.objects.all().delete()
    Person.objects.all().delete()
    result = kim_import(actor=admin, data=exported)
    assert result.errors == [] and result.members_created == 1


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda d: xlsx_files.bad_shared_string(d, "B2"), "Baris 2"),
        (lambda d: xlsx_files.bad_number(d, "C2"), "Baris 2"),
        (lambda d: xlsx_files.bad_date(d, "C2"), "Baris 2"),
        (xlsx_files.broken_xml, "Excel"),
        (
            lambda d: xlsx_files.huge_shared_string(d, "B2", 20 * 1024 * 1024),
            "lebih dari 16 MB",
        ),
    ],
    ids=["shared-string", "number", "date", "xml", "bomb"],
)
def test_damaged_excel_import_shows_a_message_and_stores_nothing(
    client: Client, make_user, damage, says
) -> None:  # type: ignore[no-untyped-def]
    good = xlsx_files.good_xlsx(
        [
            ["kode_wilayah", "nama_kim", "tanggal_sk", "nama_anggota"],
            ["64.02.06.1001", "KIM Jahab", "2026-01-02", "Siti"],
        ]
    )
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    upload = SimpleUploadedFile("kim.xlsx", damage(good))
    response = client.post("/staf/kim/impor/", {"file": upload})
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Kim.objects.exists() and not Person.objects.exists()


def _sheet_rows(data: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX export, as text (what a person edits)."""
    from network.importing import _cell

    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        return [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _sheet_bytes(rows: list[list[str]], fmt: str) -> bytes:
    """``rows`` saved again the way a spreadsheet program would."""
    from core.exports import csv_text, xlsx_bytes

    if fmt == "xlsx":
        return xlsx_bytes(rows[0], rows[1:])
    return csv_text(rows[0], rows[1:], bom=True).encode()


def _network(admin) -> None:
    kim_import(
        actor=admin,
        data=_csv(
            "64.02.06.1001,KIM Jahab,aktif,madya,140/1/2021,15/03/2021,Siti,ketua,081200000001,siti@contoh.id,2021-01-01,ya",  # noqa: E501
            "64.02.06.1001,KIM Jahab,,,,,Budi,anggota,081200000002,,,tidak",
            "64.02.06.1001,KIM Jahab,,,,,Tanpa Telepon,anggota,,,,",
            "64.02.06.1002,KIM Loa Ipuh,vakum,,,,Gita,ketua,+6281200000003,,,",
            "64.02.06.1003,KIM Bukit Biru,,utama,,,,,,,,",
        ),
    )
    Kim.objects.filter(name="KIM Jahab").update(
        email="jahab@contoh.id", phone="+6281299990000"
    )


def _reimported(client: Client, make_user, url: str, fmt: str):  # type: ignore[no-untyped-def]
    """A regency admin with a few KIMs downloads ``url`` and imports it as it
    is: accepted, nothing created or changed. Returns the admin and the rows.
    (Before: the KIM list failed on every row with "Isi nama anggota", the KIM's
    email read as a member's; the member list was "Anggota ganda" on every row.)
    """
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    _network(admin)
    client.force_login(admin)
    exported = client.get(url, {"format": fmt}).content
    counts = (Kim.objects.count(), Person.objects.count(), Membership.objects.count())
    same = kim_import(actor=admin, data=exported)
    assert same.errors == []
    assert not (same.kims_created or same.kims_updated or same.people_created)
    assert not (same.members_created or same.members_updated)
    assert counts == (
        Kim.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    )
    return admin, _sheet_rows(exported)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kim_list_export_reimports_and_updates(
    client: Client, make_user, fmt: str
) -> None:
    admin, rows = _reimported(client, make_user, "/staf/kim/", fmt)
    header = rows[0]
    jahab = next(r for r in rows if r[header.index("nama_kim")] == "KIM Jahab")
    kims, members = Kim.objects.count(), Membership.objects.count()
    assert jahab[header.index("status_kim")] == "aktif"
    assert jahab[header.index("telepon_kim")] == "0812-9999-0000"
    # A changed cell is an update of that KIM, also a new name (matched by id).
    jahab[header.index("status_kim")] = "vakum"
    jahab[header.index("email_kim")] = "baru@contoh.id"
    jahab[header.index("nama_kim")] = "KIM Jahab Baru"
    changed = kim_import(actor=admin, data=_sheet_bytes(rows, fmt))
    assert changed.errors == [] and changed.kims_updated == 1
    assert (Kim.objects.count(), Membership.objects.count()) == (kims, members)
    kim = Kim.objects.get(pk=int(jahab[header.index("id")]))
    assert (kim.name, kim.status, kim.email, kim.phone) == (
        "KIM Jahab Baru",
        Kim.Status.DORMANT,
        "baru@contoh.id",
        "+6281299990000",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_member_export_reimports_and_updates(
    client: Client, make_user, fmt: str
) -> None:
    admin, rows = _reimported(client, make_user, "/staf/kim/anggota-ekspor/", fmt)
    people, members = Person.objects.count(), Membership.objects.count()
    header = rows[0]
    col = header.index
    budi = next(r for r in rows if r[col("nama_anggota")] == "Budi")
    assert budi[col("telepon")] == "0812-0000-0002"  # text, no 6.28E+12, no '
    # The chair hands over to Budi; Budi's name is corrected; the phone-less
    # member leaves.
    siti = next(r for r in rows if r[col("nama_anggota")] == "Siti")
    siti[col("peran")] = "anggota"
    budi[col("peran")] = "ketua"
    budi[col("nama_anggota")] = "Budi Santoso"
    other = next(r for r in rows if r[col("nama_anggota")] == "Tanpa Telepon")
    other[col("tanggal_keluar")] = "2024-05-01"
    changed = kim_import(actor=admin, data=_sheet_bytes(rows, fmt))
    assert changed.errors == [] and changed.members_updated == 3
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)
    chair = Membership.objects.get(kim__name="KIM Jahab", role="ketua")
    assert chair.person.full_name == "Budi Santoso"
    assert chair.person.phone == "+6281200000002"
    left = Membership.objects.get(person__full_name="Tanpa Telepon")
    assert str(left.left_on) == "2024-05-01"
    # Exported again (now with a former member) and imported: still no errors.
    again = client.get("/staf/kim/anggota-ekspor/", {"format": fmt}).content
    assert kim_import(actor=admin, data=again).errors == []
    assert Membership.objects.count() == members
