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
