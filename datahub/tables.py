"""Reading, checking and writing data tables: plain Python, no Django import.

An uploaded CSV or Excel sheet becomes a ``Sheet`` (header and raw cells), is typed
against a list of ``Column`` (declared, or inferred from the sheet), and is checked
row by row: every problem is a ``CellError`` with the row number as the user sees
it in their spreadsheet (the header is row 1). Columns holding personal data (NIK,
phone numbers, names, …) are reported as ``Finding``s so that the caller can keep
them out of public datasets. Region codes are checked against a set of valid
Kemendagri codes that the caller passes in.

Messages are codes with parameters (``CellError.code``/``params``); the Django side
translates them (``datahub.messages``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from core.xlsx import XlsxError, xlsx_rows

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
REGION_CODE = "region_code"
BOOLEAN = "boolean"
TYPES = (TEXT, INTEGER, DECIMAL, DATE, REGION_CODE, BOOLEAN)

MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_ERRORS = 500  # reported per upload; more are counted, not listed

Cell = str | int | float | bool | None  # a typed, JSON-serialisable value
Raw = Any  # a cell as read: str from CSV; str/int/float/bool/datetime from Excel

REGION_CODE_RE = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
_REGION_NAMES = {
    "kode",
    "kode_wilayah",
    "kode_kemendagri",
    "kode_wil",
    "kode_desa",
    "kode_kelurahan",
    "kode_desa_kelurahan",
    "kode_kecamatan",
    "kode_kabupaten",
    "kode_kab_kota",
    "kode_kabkota",
    "kode_provinsi",
    "region_code",
}
_TRUE = {"ya", "y", "true", "benar", "yes", "ada"}
_FALSE = {"tidak", "tdk", "false", "salah", "no", "tidak_ada"}

# Personal data (UU 27/2022): names of columns that hold it, and value patterns.
PERSONAL_COLUMN_NAMES = {
    "nik",
    "no_nik",
    "nomor_nik",
    "ktp",
    "no_ktp",
    "nomor_ktp",
    "kk",
    "no_kk",
    "nomor_kk",
    "nama",
    "name",
    "nama_lengkap",
    "full_name",
    "nama_warga",
    "nama_penduduk",
    "nama_pemohon",
    "nama_penerima",
    "nama_kepala_keluarga",
    "nama_ibu",
    "nama_ayah",
    "nama_anak",
    "hp",
    "no_hp",
    "nomor_hp",
    "nohp",
    "telp",
    "no_telp",
    "telepon",
    "no_telepon",
    "nomor_telepon",
    "phone",
    "phone_number",
    "wa",
    "no_wa",
    "nomor_wa",
    "whatsapp",
    "email",
    "e_mail",
    "surel",
    "tanggal_lahir",
    "tgl_lahir",
    "tempat_tanggal_lahir",
    "ttl",
    "alamat_rumah",
}
NIK_RE = re.compile(r"^[1-9][0-9]{15}$")
PHONE_RE = re.compile(r"^(\+?62|0)8[0-9]{7,11}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


@dataclass(frozen=True)
class CellError:
    """A problem at a row (1 = header; 0 = the whole file) and column ("" = any)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """A column that holds personal data, why we think so, and sample rows."""

    column: str
    reason: str  # "column_name", "nik", "phone", "email"
    rows: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "reason": self.reason, "rows": list(self.rows)}


@dataclass
class Sheet:
    columns: list[str]
    rows: list[list[Raw]]  # each padded to len(columns)
    errors: list[CellError] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # spreadsheet row of each row

    def number(self, i: int) -> int:
        return self.numbers[i] if i < len(self.numbers) else i + 2


@dataclass
class Checked:
    columns: list[Column]
    rows: list[list[Cell]]
    errors: list[CellError]
    error_count: int
    personal: list[Finding]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def publishable(self) -> bool:
        return self.ok and not self.personal and bool(self.columns)


def normalize_name(name: str) -> str:
    """A column name as a key: lower case, words joined by "_"."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


# --- reading --------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Sheet:
    """Read a CSV or Excel (.xlsx) upload; the format follows the file name."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return read_csv(data)
    return Sheet([], [], [CellError(0, "", "unsupported_format")])


def read_csv(data: bytes) -> Sheet:
    """Read UTF-8 (with or without BOM) CSV, sniffing "," / ";" / tab delimiters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Sheet([], [], [CellError(0, "", "not_utf8")])
    sample = text[:8192]
    first = sample.splitlines()[0] if sample.strip() else ""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count(delimiter) == 0 and first.count(";") > first.count(","):
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _sheet_from_rows(reader)


def read_xlsx(data: bytes) -> Sheet:
    """Read the first worksheet of an .xlsx file; formulas are errors (values only)."""
    formulas: list[tuple[int, int]] = []
    rows: list[list[Raw]] = []
    too_many = False
    try:
        # Rows past the limit are only counted by _sheet_from_rows, which stops at
        # MAX_ROWS data rows; a few blank lines above the header are allowed for.
        for r, values in enumerate(
            xlsx_rows(
                data, max_rows=MAX_ROWS + 20, max_columns=MAX_COLUMNS, data_only=False
            ),
            start=1,
        ):
            for c, value in enumerate(values):
                if isinstance(value, str) and value.startswith("="):
                    formulas.append((r, c))
                    values[c] = None  # reported below; its text is no data
            rows.append(values)
    except XlsxError as exc:
        if exc.code == "xlsx_too_many_columns":
            return Sheet([], [], [CellError(0, "", "too_many_columns", exc.params)])
        if exc.code != "xlsx_too_many_rows":
            return Sheet([], [], [CellError(exc.row, "", exc.code, exc.params)])
        too_many = True
    result = _sheet_from_rows(rows)
    if too_many and not any(e.code == "too_many_rows" for e in result.errors):
        result.errors.append(CellError(0, "", "too_many_rows", {"max": MAX_ROWS}))
    for r, c in formulas[:MAX_ERRORS]:
        column = result.columns[c] if c < len(result.columns) else f"#{c + 1}"
        result.errors.append(CellError(r, column, "formula"))
    return result


def _blank(value: Raw) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_from_rows(source: Iterable[Sequence[Raw]]) -> Sheet:
    iterator = enumerate(source, start=1)
    header: list[Raw] = []
    top = 1
    for number, candidate in iterator:  # skip blank lines above the header
        if not all(_blank(v) for v in candidate):
            header, top = list(candidate), number
            break
    while header and _blank(header[-1]):
        header.pop()
    errors: list[CellError] = []
    if not header:
        return Sheet([], [], [CellError(0, "", "empty")])
    columns = [str(v).strip() if v is not None else "" for v in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(columns):
        if not name:
            errors.append(CellError(top, f"#{i + 1}", "blank_header"))
            columns[i] = f"kolom_{i + 1}"
            continue
        key = normalize_name(name)
        if key in seen:
            errors.append(CellError(top, name, "duplicate_header"))
        seen[key] = i
    if len(columns) > MAX_COLUMNS:
        errors.append(CellError(top, "", "too_many_columns", {"max": MAX_COLUMNS}))
    rows: list[list[Raw]] = []
    numbers: list[int] = []
    width = len(columns)
    for number, row in iterator:
        values = list(row)
        if all(_blank(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(CellError(number, "", "too_many_rows", {"max": MAX_ROWS}))
            break
        extra = [v for v in values[width:] if not _blank(v)]
        if extra:
            errors.append(
                CellError(
                    number, "", "extra_cells", {"cells": len(values), "columns": width}
                )
            )
        rows.append(values[:width] + [None] * max(0, width - len(values)))
        numbers.append(number)
    return Sheet(columns, rows, errors, numbers)


# --- typing ---------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _text(value: Raw) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_THOUSANDS_DOT = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3}){2,}$")


def parse_integer(value: Raw) -> int:
    if isinstance(value, bool):
        raise _Bad("not_integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Bad("not_integer")
    text = _text(value).replace(" ", "")
    if _THOUSANDS_DOT.match(text) or _THOUSANDS_COMMA.match(text):
        text = text.replace(".", "").replace(",", "")
    if not re.fullmatch(r"-?[0-9]+", text):
        raise _Bad("not_integer")
    if len(text.lstrip("-")) > 1 and text.lstrip("-").startswith("0"):
        raise _Bad("leading_zero")
    return int(text)


def parse_decimal(value: Raw) -> float:
    if isinstance(value, bool):
        raise _Bad("not_decimal")
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).replace(" ", "")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,5
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            text = text.replace(",", "")
    elif "," in text:
        text = (
            text.replace(",", "")
            if _THOUSANDS_COMMA.match(text)
            else text.replace(",", ".")
        )
    elif text.count(".") > 1 and _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        raise _Bad("not_decimal")
    return float(text)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value: Raw) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise _Bad("not_date")


def parse_boolean(value: Raw) -> bool:
    if isinstance(value, bool):
        return value
    key = normalize_name(_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise _Bad("not_boolean")


def normalize_region_code(value: Raw) -> str:
    """ "6402062001" or 64.02 (a number from Excel) → dotted Kemendagri form."""
    text = f"{value:.2f}" if isinstance(value, float) else _text(value).replace(" ", "")
    if re.fullmatch(r"[0-9]+", text) and len(text) in (2, 4, 6, 10):
        parts = [text[:2], text[2:4], text[4:6], text[6:]]
        text = ".".join(p for p in parts if p)
    return text


def parse_region_code(value: Raw, valid: frozenset[str] | set[str]) -> str:
    code = normalize_region_code(value)
    if not REGION_CODE_RE.match(code):
        raise _Bad("not_region_code")
    if code not in valid:
        raise _Bad("unknown_region_code", kode=code)
    return code


def parse_text(value: Raw) -> str:
    text = _text(value)
    if text.startswith("="):
        raise _Bad("formula")
    return text


def parse_cell(value: Raw, type_: str, valid_codes: frozenset[str] | set[str]) -> Cell:
    if _blank(value):
        return None
    if type_ == INTEGER:
        return parse_integer(value)
    if type_ == DECIMAL:
        return parse_decimal(value)
    if type_ == DATE:
        return parse_date(value)
    if type_ == BOOLEAN:
        return parse_boolean(value)
    if type_ == REGION_CODE:
        return parse_region_code(value, valid_codes)
    return parse_text(value)


def _parses(value: Raw, type_: str) -> bool:
    try:
        if type_ == INTEGER:
            parse_integer(value)
        elif type_ == DECIMAL:
            parse_decimal(value)
        elif type_ == DATE:
            parse_date(value)
        elif type_ == BOOLEAN:
            parse_boolean(value)
        elif type_ == REGION_CODE:
            return bool(REGION_CODE_RE.match(normalize_region_code(value)))
        return True
    except _Bad:
        return False


def infer_columns(sheet: Sheet, *, share: float = 0.6) -> list[Column]:
    """Each column's type: region codes by name, else the type most cells have.

    A type is chosen when at least ``share`` of the filled cells parse as it; the
    remaining cells are then reported as errors ("mixed types").
    """
    columns: list[Column] = []
    for i, name in enumerate(sheet.columns):
        values = [row[i] for row in sheet.rows if not _blank(row[i])]
        if normalize_name(name) in _REGION_NAMES:
            columns.append(Column(name, REGION_CODE))
            continue
        chosen = TEXT
        if values:
            counts = {t: 0 for t in (INTEGER, DECIMAL, DATE, BOOLEAN)}
            for value in values:
                for t in counts:
                    if _parses(value, t):
                        counts[t] += 1
            need = share * len(values)
            if counts[INTEGER] >= need and counts[INTEGER] >= counts[DECIMAL]:
                chosen = INTEGER
            elif counts[DECIMAL] >= need:
                chosen = DECIMAL
            elif counts[DATE] >= need:
                chosen = DATE
            elif counts[BOOLEAN] >= need and any(isinstance(v, str) for v in values):
                chosen = BOOLEAN
            elif all(_parses(v, REGION_CODE) and "." in _text(v) for v in values):
                chosen = REGION_CODE
        columns.append(Column(name, chosen))
    return columns


def check(
    sheet: Sheet,
    *,
    columns: Sequence[Column] | None = None,
    region_codes: frozenset[str] | set[str] = frozenset(),
) -> Checked:
    """Type every cell against ``columns`` (inferred when None) and report problems.

    Declared columns must all be present (in any order, names compared loosely) and
    the sheet may have no others.
    """
    errors = list(sheet.errors)
    if columns is None:
        columns = infer_columns(sheet)
        index = list(range(len(columns)))
    else:
        have = {normalize_name(c): i for i, c in enumerate(sheet.columns)}
        want = {normalize_name(c.name) for c in columns}
        index = []
        for column in columns:
            position = have.get(normalize_name(column.name))
            if position is None:
                errors.append(CellError(1, column.name, "missing_column"))
            index.append(-1 if position is None else position)
        for name in sheet.columns:
            if normalize_name(name) not in want:
                errors.append(CellError(1, name, "unexpected_column"))
    typed: list[list[Cell]] = []
    for r, row in enumerate(sheet.rows):
        number = sheet.number(r)
        out: list[Cell] = []
        for column, position in zip(columns, index, strict=True):
            raw = row[position] if position >= 0 else None
            try:
                out.append(parse_cell(raw, column.type, region_codes))
            except _Bad as bad:
                errors.append(
                    CellError(
                        number,
                        column.name,
                        bad.code,
                        {"value": _text(raw)[:40], **bad.params},
                    )
                )
                out.append(None)
        typed.append(out)
    errors.sort(key=lambda e: (e.row, e.column))
    personal = detect_personal_data(sheet)
    return Checked(
        columns=list(columns),
        rows=typed,
        errors=errors[:MAX_ERRORS],
        error_count=len(errors),
        personal=personal,
    )


def detect_personal_data(sheet: Sheet) -> list[Finding]:
    """Columns whose name or values look like personal data (NIK, phones, …)."""
    findings: list[Finding] = []
    for i, name in enumerate(sheet.columns):
        key = normalize_name(name)
        if key in PERSONAL_COLUMN_NAMES or key.startswith(("nik_", "nama_lengkap")):
            findings.append(Finding(name, "column_name"))
            continue
        hits: dict[str, list[int]] = {"nik": [], "phone": [], "email": []}
        for r, row in enumerate(sheet.rows):
            value = row[i]
            if _blank(value) or isinstance(value, bool):
                continue
            text = _text(value)
            compact = re.sub(r"[\s.\-()]", "", text)
            number = sheet.number(r)
            if NIK_RE.match(compact):
                hits["nik"].append(number)
            elif PHONE_RE.match(compact):
                hits["phone"].append(number)
            elif EMAIL_RE.match(text):
                hits["email"].append(number)
        for reason, rows in hits.items():
            if rows:
                findings.append(Finding(name, reason, tuple(rows[:5])))
                break
    return findings


# --- schema text ------------------------------------------------------------------


def parse_columns(text: str) -> list[Column]:
    """``"kode_desa: region_code"`` lines (or ``name,type``) → columns.

    Raises ValueError with the offending line.
    """
    columns: list[Column] = []
    aliases = {
        "teks": TEXT,
        "bilangan": INTEGER,
        "angka": INTEGER,
        "bulat": INTEGER,
        "desimal": DECIMAL,
        "tanggal": DATE,
        "kode_wilayah": REGION_CODE,
        "ya_tidak": BOOLEAN,
    }
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, sep, type_ = line.replace(",", ":", 1).partition(":")
        type_ = normalize_name(type_) if sep else TEXT
        type_ = aliases.get(type_, type_)
        if not name.strip() or type_ not in TYPES:
            raise ValueError(line)
        columns.append(Column(name.strip(), type_))
    return columns


# --- writing --------------------------------------------------------------------


def typed_rows(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell]]
) -> Iterator[list[Any]]:
    """Rows with dates as dates (they are stored as ISO text), for spreadsheets."""
    for row in rows:
        yield [
            date.fromisoformat(value)
            if column.type == DATE and isinstance(value, str)
            else value
            for column, value in zip(columns, row, strict=False)
        ]


def to_records(
    columns: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> list[dict[str, Cell]]:
    return [dict(zip(columns, row, strict=False)) for row in rows]


def to_json(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> str:
    return json.dumps(
        {
            "fields": [c.as_dict() for c in columns],
            "records": to_records([c.name for c in columns], rows),
        },
        ensure_ascii=False,
    )
