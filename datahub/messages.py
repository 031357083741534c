"""Readable, translated texts for the codes that ``datahub.tables`` reports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from core.xlsx import XLSX_MESSAGES

TABLE_MESSAGES: dict[str, str] = {
    "unsupported_format": gettext_noop("Upload a CSV (.csv) or Excel (.xlsx) file."),
    "not_utf8": gettext_noop(
        "The file is not UTF-8 text. In Excel use “Save as → CSV UTF-8”, or upload "
        "the .xlsx file itself."
    ),
    "bad_excel": gettext_noop(
        "The Excel file could not be read. Save it again as .xlsx."
    ),
    "empty": gettext_noop("The file has no header row and no data."),
    "blank_header": gettext_noop("This column has no name in the header row."),
    "duplicate_header": gettext_noop("Two columns have this name."),
    "too_many_columns": gettext_noop("The sheet has more than %(max)s columns."),
    "too_many_rows": gettext_noop("The sheet has more than %(max)s rows; split it."),
    "extra_cells": gettext_noop(
        "This row has %(cells)s cells but the header has %(columns)s columns."
    ),
    "missing_column": gettext_noop(
        "This column is missing (it is declared for this table)."
    ),
    "unexpected_column": gettext_noop("This column is not declared for this table."),
    "formula": gettext_noop(
        "Formulas are not accepted: paste the values only (Paste special → Values)."
    ),
    "not_integer": gettext_noop("“%(value)s” is not a whole number."),
    "leading_zero": gettext_noop(
        "“%(value)s” starts with 0: declare the column as text if it is a code."
    ),
    "not_decimal": gettext_noop("“%(value)s” is not a number."),
    "not_date": gettext_noop(
        "“%(value)s” is not a date (use 2026-01-31 or 31/01/2026)."
    ),
    "not_boolean": gettext_noop("“%(value)s” is not ya/tidak."),
    "not_region_code": gettext_noop(
        "“%(value)s” is not a Kemendagri region code (e.g. 64.02.06.2001)."
    ),
    "unknown_region_code": gettext_noop(
        "Region code %(kode)s does not exist (Kemendagri)."
    ),
}

TABLE_MESSAGES.update(XLSX_MESSAGES)

PERSONAL_REASONS: dict[str, str] = {
    "column_name": gettext_noop("the column name suggests personal data"),
    "nik": gettext_noop("values look like NIK (16-digit identity numbers)"),
    "phone": gettext_noop("values look like phone numbers"),
    "email": gettext_noop("values look like email addresses"),
}

TYPE_LABELS: dict[str, str] = {
    "text": gettext_noop("text"),
    "integer": gettext_noop("whole number"),
    "decimal": gettext_noop("number"),
    "date": gettext_noop("date"),
    "region_code": gettext_noop("region code"),
    "boolean": gettext_noop("yes/no"),
}


def error_message(code: str, params: dict[str, Any] | None = None) -> str:
    template = gettext(TABLE_MESSAGES.get(code, code))
    try:
        return template % (params or {})
    except (KeyError, TypeError, ValueError):
        return template


def describe_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored errors with their message in the active language."""
    return [
        {
            "row": e["row"],
            "column": e["column"],
            "code": e["code"],
            "message": error_message(e["code"], e.get("params")),
        }
        for e in errors
    ]


def describe_personal(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**f, "message": gettext(PERSONAL_REASONS.get(f["reason"], f["reason"]))}
        for f in findings
    ]


def type_label(type_: str) -> str:
    return gettext(TYPE_LABELS.get(type_, type_))
