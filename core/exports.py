"""The one CSV and XLSX writer of every download (lists, reports, tables).

Spreadsheet programs run a cell that starts with ``= + - @`` (or a tab/carriage
return before one) as a formula, so a name like ``=HYPERLINK(...)`` typed into a
form would run on the computer of whoever opens the export. Following the OWASP
advice, CSV text cells that start with one of those get a leading ``'``; numbers
stay numbers (a real ``-5`` is not a formula). XLSX cells holding text are
written as text cells (format ``@``, no apostrophe), never as formulas, whatever
they start with.

Times are written in the deployment's time zone (``settings.TIME_ZONE``, WITA in
Kaltim) in every format, by ``local_datetime``: a CSV and an XLSX of the same
list show the same clock time.

Phone numbers: Excel reads a CSV cell ``+6281234567890`` as the number
``6.28E+12`` (and a ``+`` start is a formula start, so it would be escaped with a
visible ``'``). Exports therefore write phones as people write them, in national
form with dashes (``0812-3456-7890``, see ``accounts.phones.phone_text``): Excel
keeps that as text, it is no formula, and every importer reads it back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)*")
# XML 1.0 cannot hold these; openpyxl raises on them instead of writing the file.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def local_datetime(value: datetime) -> datetime:
    """``value`` as a naive wall-clock time in the deployment's time zone
    (``settings.TIME_ZONE``), whatever zone the request activated."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None, microsecond=0)


def _plain(value: Any) -> Any:
    """None, booleans and datetimes as people read them in a sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return local_datetime(value)
    return value


def csv_cell(value: Any) -> Any:
    """``value`` as written into a CSV cell, formula-looking text escaped."""
    value = _plain(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> str:
    """A whole CSV document (``bom`` so that Excel reads it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" if bom else "") + out.getvalue()


class XlsxSheet:
    """One sheet written row by row (openpyxl write-only mode, so memory stays
    flat on long lists); text always lands in text cells."""

    def __init__(
        self, *, title: str = "data", widths: Sequence[float] | None = None
    ) -> None:
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        self.book = Workbook(write_only=True)
        clean = re.sub(r"[\[\]:*?/\\]", " ", _XML_ILLEGAL.sub("", title))
        self.sheet = self.book.create_sheet(title=clean[:31] or "data")
        for n, width in enumerate(widths or (), start=1):
            self.sheet.column_dimensions[get_column_letter(n)].width = width

    def cell(self, value: Any, *, bold: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        value = _plain(value)
        if isinstance(value, Decimal):
            value = float(value)
        if not isinstance(value, int | float | date):
            value = _XML_ILLEGAL.sub("", str(value))
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            # openpyxl marks text starting with "=" as a formula; force text,
            # and a text format so that Excel keeps "0812-…" as typed.
            cell.data_type = "s"
            cell.number_format = "@"
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        if bold:
            cell.font = Font(bold=True)
        return cell

    def append(self, values: Sequence[Any], *, bold: bool = False) -> None:
        self.sheet.append([self.cell(v, bold=bold) for v in values])

    def getvalue(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "data"
) -> bytes:
    sheet = XlsxSheet(title=title)
    sheet.append(headers, bold=True)
    for row in rows:
        sheet.append(row)
    return sheet.getvalue()


def attachment(
    content: str | bytes, *, filename: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    *,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str = "csv",
    title: str | None = None,
) -> HttpResponse:
    """A ``filename.csv`` (UTF-8 with BOM, opens in Excel) or ``filename.xlsx``
    download of ``rows``."""
    if fmt == "xlsx":
        body: str | bytes = xlsx_bytes(headers, rows, title=title or filename)
        return attachment(body, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
    body = csv_text(headers, rows, bom=True)
    return attachment(body, filename=f"{filename}.csv", content_type=CSV_TYPE)
