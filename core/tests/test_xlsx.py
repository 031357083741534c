"""Every way an .xlsx upload can be broken ends in an XlsxError with a code that
has a message, never in an exception from openpyxl or the XML parser."""

from __future__ import annotations

from datetime import date

import pytest

from core.tests import xlsx_files
from core.xlsx import XLSX_MESSAGES, XlsxError, check_archive, xlsx_rows

ROWS = [["kode_wilayah", "nama_kim", "n"], ["64.02", "Jahab", 3], ["64.03", "X", 4]]


def read(data: bytes) -> list[list[object]]:
    return list(xlsx_rows(data, max_rows=100, max_columns=10))


def test_a_good_sheet_is_read() -> None:
    rows = [*ROWS, ["64.04", "Y", date(2026, 1, 2)]]
    read_rows = read(xlsx_files.good_xlsx(rows))
    assert read_rows[:3] == ROWS
    assert read_rows[3][2].date() == date(2026, 1, 2)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: xlsx_files.bad_shared_string(d, "C2"),
        lambda d: xlsx_files.bad_number(d, "C2"),
        lambda d: xlsx_files.bad_date(d, "C2"),
    ],
    ids=["shared-string-index", "number", "date"],
)
def test_a_damaged_cell_names_its_row(damage) -> None:  # type: ignore[no-untyped-def]
    data = damage(xlsx_files.good_xlsx(ROWS))
    with pytest.raises(XlsxError) as caught:
        read(data)
    assert caught.value.code == "xlsx_bad_row" and caught.value.row == 2
    assert caught.value.code in XLSX_MESSAGES


def test_broken_xml_and_no_zip() -> None:
    with pytest.raises(XlsxError) as caught:
        read(xlsx_files.broken_xml(xlsx_files.good_xlsx(ROWS)))
    assert caught.value.code in ("bad_excel", "xlsx_bad_row")
    with pytest.raises(XlsxError) as caught:
        read(b"PK\x03\x04garbage")
    assert caught.value.code == "bad_excel"


def test_a_zip_bomb_is_refused_before_parsing() -> None:
    data = xlsx_files.huge_shared_string(
        xlsx_files.good_xlsx(ROWS), "B2", 20 * 1024 * 1024
    )
    assert len(data) < 200_000
    with pytest.raises(XlsxError) as caught:
        check_archive(data)
    assert caught.value.code == "xlsx_too_large"


def test_a_long_cell_under_the_archive_limits_is_refused() -> None:
    data = xlsx_files.huge_shared_string(xlsx_files.good_xlsx(ROWS), "B2", 40_000)
    with pytest.raises(XlsxError) as caught:
        read(data)
    assert caught.value.code == "xlsx_cell_too_long" and caught.value.row == 2


def test_rows_and_columns_are_bounded() -> None:
    many = [["a", "b"]] * 20
    with pytest.raises(XlsxError) as caught:
        list(xlsx_rows(xlsx_files.good_xlsx(many), max_rows=10, max_columns=5))
    assert caught.value.code == "xlsx_too_many_rows"
    wide = [list(range(12))]
    with pytest.raises(XlsxError) as caught:
        list(xlsx_rows(xlsx_files.good_xlsx(wide), max_rows=10, max_columns=5))
    assert caught.value.code == "xlsx_too_many_columns"
    # A row far down (a claimed size) is not padded out to a million empty rows.
    far = xlsx_files.set_cell(
        xlsx_files.good_xlsx(ROWS),
        "C3",
        '<c r="C3"><v>1</v></c></row><row r="1000000"><c r="A1000000"><v>1</v></c>',
    )
    with pytest.raises(XlsxError) as caught:
        list(xlsx_rows(far, max_rows=10, max_columns=5))
    assert caught.value.code == "xlsx_too_many_rows"
