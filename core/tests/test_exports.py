"""The one CSV/XLSX writer: formula-looking text is escaped (CSV) or written as a
text cell (XLSX); numbers stay numbers."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from core import exports

ATTACKS = ['=HYPERLINK("http://x","klik")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_escapes_formulas_and_keeps_numbers() -> None:
    text = exports.csv_text(["a"], [[v] for v in ATTACKS] + [[-5], ["-5"], ["-1.5"]])
    cells = [line for line in text.split("\r\n")[1:] if line]
    for cell in cells[: len(ATTACKS)]:
        assert cell.lstrip('"').startswith("'"), cell
    assert cells[len(ATTACKS) :] == ["-5", "-5", "-1.5"]


def test_csv_plain_values() -> None:
    text = exports.csv_text(
        ["a", "b", "c", "d"], [[None, True, date(2026, 1, 2), 3.5]], bom=True
    )
    assert text == "\ufeffa,b,c,d\r\n,ya,2026-01-02,3.5\r\n"


def test_xlsx_writes_text_cells_never_formulas() -> None:
    data = exports.xlsx_bytes(["teks", "angka"], [[v, -5] for v in ATTACKS])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=2):
        # XML turns a carriage return into a newline; still text.
        expected = [a.replace("\r", "\n") for a in ATTACKS]
        assert row[0].data_type == "s" and row[0].value in expected
        assert row[1].data_type == "n" and row[1].value == -5


def test_xlsx_drops_characters_xml_cannot_hold() -> None:
    data = exports.xlsx_bytes(["a"], [["nul\x00di\x1ftengah"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == "nulditengah"


def test_times_in_the_deployment_zone_in_every_format(settings) -> None:
    """The same instant reads the same WITA clock time in CSV and XLSX, also
    when a request activated another zone (before: CSV showed UTC)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    settings.TIME_ZONE = "Asia/Makassar"
    moment = datetime(2026, 12, 16, 1, 0, tzinfo=UTC)
    with timezone.override("UTC"):
        text = exports.csv_text(["mulai"], [[moment]])
        data = exports.xlsx_bytes(["mulai"], [[moment]])
    assert text.split("\r\n")[1] == "2026-12-16 09:00"
    cell = load_workbook(io.BytesIO(data)).active["A2"]  # type: ignore[index]
    assert cell.value == datetime(2026, 12, 16, 9, 0)


def test_phones_stay_text_without_an_apostrophe() -> None:
    """A phone as exports write it: Excel keeps it as text (no 6.28E+12) and
    formula escaping leaves it alone; XLSX cells are text cells."""
    from accounts.phones import normalize_phone, phone_text

    phone = phone_text("+6281234567890")
    assert phone == "0812-3456-7890"
    assert normalize_phone(phone) == "+6281234567890"
    text = exports.csv_text(["telepon"], [[phone]])
    assert text.split("\r\n")[1] == "0812-3456-7890"
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(["t"], [[phone]]))).active
    cell = sheet["A2"]  # type: ignore[index]
    assert (cell.value, cell.data_type, cell.number_format) == (phone, "s", "@")
    assert not cell.quotePrefix
