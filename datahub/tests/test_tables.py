"""The plain table checker: reading, typing, row-level errors, personal data."""

import io
import json
from datetime import date

from openpyxl import Workbook, load_workbook

from core import exports
from datahub import tables

CODES = {"64.02.06.1001", "64.02.06.1002", "64.02.06"}


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_with_bom_and_semicolons_is_typed() -> None:
    data = "\ufeffkode_desa;nama;jumlah;luas;tanggal;aktif\n".replace(
        "nama", "nama_desa"
    )
    data += "64.02.06.1001;Jahab;1.234;12,5;31/01/2026;ya\n"
    data += "6402061002;Loa Ipuh;7;3;2026-02-01;tidak\n"
    checked = tables.check(tables.read_csv(data.encode()), region_codes=CODES)
    assert checked.ok and checked.publishable
    assert [c.type for c in checked.columns] == [
        "region_code",
        "text",
        "integer",
        "decimal",
        "date",
        "boolean",
    ]
    assert checked.rows[0] == ["64.02.06.1001", "Jahab", 1234, 12.5, "2026-01-31", True]
    assert checked.rows[1][0] == "64.02.06.1002"  # undotted code normalised


def test_comma_delimiter_is_sniffed() -> None:
    sheet = tables.read_csv(b"a,b\n1,2\n3,4\n")
    assert sheet.columns == ["a", "b"]
    assert sheet.rows == [["1", "2"], ["3", "4"]]


def test_errors_are_reported_row_by_row() -> None:
    data = (
        "kode_desa,nama_desa,jumlah\n"
        "64.02.06.1001,Jahab,4\n"
        "64.02.99.9999,Entah,5\n"
        "64.02.06.1002,Loa Ipuh,dua\n"
        "64.02.06.1002,Loa Ipuh,=SUM(A1:A2)\n"
        "64.02.06.1002,Loa Ipuh,1,ekstra\n"
    )
    checked = tables.check(tables.read_csv(data.encode()), region_codes=CODES)
    assert not checked.ok
    found = {(e.row, e.column, e.code) for e in checked.errors}
    assert (3, "kode_desa", "unknown_region_code") in found
    assert (4, "jumlah", "not_integer") in found  # mixed types: a word among numbers
    assert (5, "jumlah", "not_integer") in found
    assert (6, "", "extra_cells") in found
    assert checked.errors[0].as_dict()["row"] == 3


def test_declared_columns_must_match() -> None:
    declared = tables.parse_columns("kode_desa: region_code\njumlah: integer")
    checked = tables.check(
        tables.read_csv(b"kode_desa,total\n64.02.06.1001,3\n"),
        columns=declared,
        region_codes=CODES,
    )
    codes = {(e.column, e.code) for e in checked.errors}
    assert ("jumlah", "missing_column") in codes
    assert ("total", "unexpected_column") in codes


def test_header_problems() -> None:
    sheet = tables.read_csv(b"a,,a\n1,2,3\n")
    codes = {e.code for e in sheet.errors}
    assert codes == {"blank_header", "duplicate_header"}
    assert tables.read_csv(b"").errors[0].code == "empty"
    assert tables.read_csv("é".encode("latin-1")).errors[0].code == "not_utf8"


def test_excel_formulas_are_rejected_and_values_read() -> None:
    data = _xlsx(
        [
            ["kode_desa", "jumlah", "tanggal"],
            ["64.02.06.1001", 4, date(2026, 1, 31)],
            ["64.02.06.1002", "=B2*2", date(2026, 2, 1)],
        ]
    )
    checked = tables.check(tables.read_table(data, "data.xlsx"), region_codes=CODES)
    assert [(e.row, e.column, e.code) for e in checked.errors] == [
        (3, "jumlah", "formula")
    ]
    assert checked.rows[0] == ["64.02.06.1001", 4, "2026-01-31"]


def test_bad_excel_and_unknown_format() -> None:
    assert tables.read_table(b"not a zip", "x.xlsx").errors[0].code == "bad_excel"
    assert tables.read_table(b"x", "x.pdf").errors[0].code == "unsupported_format"


def test_personal_data_by_column_name_and_values() -> None:
    sheet = tables.read_csv(
        b"nik,nama,no_hp,kode_desa,catatan,kontak\n"
        b"6402061234567890,Budi,0812-3456-7890,64.02.06.1001,baik,\n"
        b"6402061234567891,Sri,081234567891,64.02.06.1002,x,+62 812 1111 2222\n"
    )
    findings = {(f.column, f.reason) for f in tables.detect_personal_data(sheet)}
    assert findings == {
        ("nik", "column_name"),
        ("nama", "column_name"),
        ("no_hp", "column_name"),
        ("kontak", "phone"),
    }
    values = tables.read_csv(b"id,nomor\n1,3216549873216549\n2,3\n")
    found = tables.detect_personal_data(values)
    assert [(f.column, f.reason, f.rows) for f in found] == [("nomor", "nik", (2,))]
    checked = tables.check(values)
    assert checked.ok and not checked.publishable


def test_place_names_are_not_personal_data() -> None:
    sheet = tables.read_csv(b"nama_desa,nama_kecamatan,jumlah\nJahab,Tenggarong,3\n")
    assert tables.detect_personal_data(sheet) == []


def test_writers_round_trip() -> None:
    columns = [
        tables.Column("kode", "region_code"),
        tables.Column("nama", "text"),
        tables.Column("n", "integer"),
        tables.Column("tanggal", "date"),
        tables.Column("aktif", "boolean"),
    ]
    rows = [
        ["64.02.06", "=bahaya", 3, "2026-01-31", True],
        ["64.02", None, 1, None, False],
    ]
    text = exports.csv_text([c.name for c in columns], rows)
    assert text.splitlines()[1] == "64.02.06,'=bahaya,3,2026-01-31,ya"
    data = exports.xlsx_bytes(
        [c.name for c in columns], tables.typed_rows(columns, rows)
    )
    book = load_workbook(io.BytesIO(data))
    values = list(book.active.iter_rows(values_only=True))
    assert book.active["B2"].value == "=bahaya"
    assert book.active["B2"].data_type == "s"  # text, not a formula
    assert values[0] == ("kode", "nama", "n", "tanggal", "aktif")
    assert values[1][2] == 3 and values[1][3].date() == date(2026, 1, 31)
    data = json.loads(tables.to_json(columns, rows))
    assert data["records"][1] == {
        "kode": "64.02",
        "nama": None,
        "n": 1,
        "tanggal": None,
        "aktif": False,
    }
    assert data["fields"][0] == {"name": "kode", "type": "region_code"}


def test_parse_columns_accepts_indonesian_type_names() -> None:
    columns = tables.parse_columns("kode: kode wilayah\njumlah: bilangan\nket")
    assert [c.type for c in columns] == ["region_code", "integer", "text"]
    try:
        tables.parse_columns("x: warna")
    except ValueError as exc:
        assert "warna" in str(exc)
    else:
        raise AssertionError("expected ValueError")
