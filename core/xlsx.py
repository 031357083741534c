"""Reading uploaded .xlsx sheets safely, for every importer.

An .xlsx file is a zip of XML: a 150 KB upload can unpack to a 150 MB string that
openpyxl holds in memory several times over, and a hand-edited file can point at a
shared string that does not exist, put letters in a number cell or break its XML.
``xlsx_rows`` checks the unpacked sizes of the zip members before parsing, reads
with openpyxl in read-only mode (the sheet is streamed), bounds rows, columns and
cell length, and turns every failure into an ``XlsxError`` whose ``code`` has a
readable message in ``XLSX_MESSAGES``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

MAX_MEMBERS = 1_000
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_SHEET_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # unpacked/packed; ordinary sheets stay well under 50
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell

XLSX_MESSAGES: dict[str, str] = {
    "bad_excel": gettext_noop(
        "The Excel file could not be read. Save it again as .xlsx."
    ),
    "xlsx_too_large": gettext_noop(
        "The Excel file unpacks to too much data (over %(mb)s MB). Split it or "
        "remove what is not needed."
    ),
    "xlsx_bad_row": gettext_noop(
        "Row %(row)s of the Excel file could not be read (a damaged cell: wrong "
        "number, date or text). Save the file again as .xlsx."
    ),
    "xlsx_too_many_rows": gettext_noop(
        "The sheet has more than %(max)s rows; split it."
    ),
    "xlsx_too_many_columns": gettext_noop("The sheet has more than %(max)s columns."),
    "xlsx_cell_too_long": gettext_noop(
        "A cell in row %(row)s holds more than %(max)s characters."
    ),
}


class XlsxError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def row(self) -> int:
        return int(self.params.get("row", 0))


def check_archive(data: bytes) -> None:
    """Refuse what is no zip, or unpacks to too much (a zip bomb), unopened."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise XlsxError("bad_excel") from None
    if len(members) > MAX_MEMBERS:
        raise XlsxError("bad_excel")
    total = 0
    for info in members:
        name = info.filename.lower()
        limit = MAX_UNPACKED_BYTES
        if name.endswith("sharedstrings.xml"):
            limit = MAX_SHARED_STRINGS_BYTES
        elif name.startswith("xl/worksheets/"):
            limit = MAX_SHEET_BYTES
        total += info.file_size
        too_big = info.file_size > limit or total > MAX_UNPACKED_BYTES
        packed = max(info.compress_size, 1)
        bomb = info.file_size > 1024 * 1024 and info.file_size / packed > MAX_RATIO
        if too_big or bomb:
            raise XlsxError("xlsx_too_large", mb=limit // (1024 * 1024))


def xlsx_rows(
    data: bytes,
    *,
    max_rows: int,
    max_columns: int,
    data_only: bool = True,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> Iterator[list[Any]]:
    """The rows of the first worksheet, as lists of cell values (None when empty;
    with ``data_only=False`` a formula cell is its text, starting with ``=``).
    Raises ``XlsxError``, also part way through (the row that failed is named)."""
    from openpyxl import load_workbook

    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:
        # openpyxl and the XML parsers raise many kinds (KeyError, IndexError,
        # ParseError, TypeError…) for a damaged file; all mean the same to the user.
        raise XlsxError("bad_excel") from None
    number = 0
    try:
        if not book.worksheets:
            raise XlsxError("bad_excel")
        sheet = book.worksheets[0]
        # The sheet's own claim of its size is not trusted (it sets the padding).
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                break
            except XlsxError:
                raise
            except Exception:
                raise XlsxError("xlsx_bad_row", row=number + 1) from None
            number += 1
            if number > max_rows:
                raise XlsxError("xlsx_too_many_rows", max=max_rows - 1)
            values = list(values)
            while values and values[-1] is None:  # formatted but empty cells
                values.pop()
            if len(values) > max_columns:
                raise XlsxError("xlsx_too_many_columns", max=max_columns)
            for value in values:
                if isinstance(value, str) and len(value) > max_cell_chars:
                    raise XlsxError(
                        "xlsx_cell_too_long", row=number, max=max_cell_chars
                    )
            yield values
    finally:
        book.close()
