"""Import KIMs and members from the sheets offices keep today; export lists.

The import template (``TEMPLATE_COLUMNS``, downloadable at /staf/kim/impor/) has
one row per member; a row without ``nama_anggota`` registers only the KIM. KIMs
are matched by ``id`` when the sheet has one (the KIM list export does), else by
village/district code and name (case-insensitive). Filled KIM cells update an
existing KIM (an empty cell keeps what is stored), members already in the KIM
(same phone, or same name when no phone) are updated, and people are matched by
phone number. So both exports (the KIM list and the member list) can be edited
and imported again: rows are updated, never doubled.

Every row is checked first. Rows with errors are reported by line and column and
skipped; the valid rows are then written together in one transaction, so a row is
either imported entirely (its KIM and its member) or not at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import in_scope
from accounts.phones import InvalidPhoneNumber, normalize_phone, phone_text
from accounts.services import audit_record
from core.exports import table_response
from core.xlsx import XLSX_MESSAGES, XlsxError, xlsx_rows
from network.models import FocusArea, Kim, Membership, Person
from network.selectors.members import member_provinces_by_phone
from network.services.members import OTHER_PROVINCE
from regions.models import Region

TEMPLATE_COLUMNS: list[tuple[str, str, str]] = [
    # (column, meaning, example)
    ("kode_wilayah", "Kode Kemendagri desa/kelurahan atau kecamatan", "64.02.06.1001"),
    ("nama_kim", "Nama KIM", "KIM Jahab Informatif"),
    ("status_kim", "aktif / vakum / bubar (kosong = aktif)", "aktif"),
    ("tingkat_kim", "pemula / madya / utama (kosong = pemula)", "madya"),
    ("nomor_sk", "Nomor SK pembentukan", "140/12/SK-KIM/2021"),
    ("tanggal_sk", "Tanggal SK: 2021-03-15 atau 15/03/2021", "2021-03-15"),
    ("nama_anggota", "Nama anggota (kosong = hanya KIM)", "Siti Rahmawati"),
    ("peran", "ketua / sekretaris / bendahara / anggota", "ketua"),
    ("telepon", "Nomor HP: 0812…, +62812…, 62812…", "081200000001"),
    ("email", "Email (boleh kosong)", "siti@contoh.id"),
    ("tanggal_bergabung", "Tanggal bergabung", "2021-04-01"),
    ("kontak_publik", "ya / tidak: kontak ketua tampil di halaman publik", "ya"),
]
# Read too when present (the exports write them): the KIM's own contacts, its id,
# and the date a member left.
OPTIONAL_COLUMNS = [
    "id",
    "email_kim",
    "telepon_kim",
    "instagram",
    "facebook",
    "bidang_fokus",
    "tanggal_keluar",
]
COLUMNS = [c[0] for c in TEMPLATE_COLUMNS] + OPTIONAL_COLUMNS
ALIASES = {
    "kode": "kode_wilayah",
    "kode_desa": "kode_wilayah",
    "kode_kemendagri": "kode_wilayah",
    "kim": "nama_kim",
    "nama_kelompok": "nama_kim",
    "status": "status_kim",
    "tingkat": "tingkat_kim",
    "klasifikasi": "tingkat_kim",
    "no_sk": "nomor_sk",
    "nama": "nama_anggota",
    "jabatan": "peran",
    "no_hp": "telepon",
    "hp": "telepon",
    "whatsapp": "telepon",
    "no_telepon": "telepon",
    "nomor_hp": "telepon",
}
STATUS = {
    "": Kim.Status.ACTIVE,
    "aktif": Kim.Status.ACTIVE,
    "active": Kim.Status.ACTIVE,
    "vakum": Kim.Status.DORMANT,
    "tidak aktif": Kim.Status.DORMANT,
    "pasif": Kim.Status.DORMANT,
    "dormant": Kim.Status.DORMANT,
    "bubar": Kim.Status.DISSOLVED,
    "dibubarkan": Kim.Status.DISSOLVED,
    "dissolved": Kim.Status.DISSOLVED,
}
# How the exports write a status; the import reads these (and the STATUS synonyms).
STATUS_WORDS: dict[str, str] = {
    Kim.Status.ACTIVE: "aktif",
    Kim.Status.DORMANT: "vakum",
    Kim.Status.DISSOLVED: "bubar",
}
LEVELS = {"": Kim.Level.PEMULA, **{v: v for v in Kim.Level.values}}
ROLES = {
    "": Membership.Role.ANGGOTA,
    "ketua": Membership.Role.KETUA,
    "koordinator": Membership.Role.KETUA,
    "sekretaris": Membership.Role.SEKRETARIS,
    "sekertaris": Membership.Role.SEKRETARIS,
    "bendahara": Membership.Role.BENDAHARA,
    "anggota": Membership.Role.ANGGOTA,
}
YES = {"ya", "y", "yes", "1", "true", "setuju"}
NO = {"", "tidak", "t", "no", "0", "false"}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    kims_created: int = 0
    kims_updated: int = 0
    people_created: int = 0
    members_created: int = 0
    members_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


class SheetError(ValueError):
    """The file cannot be read as a sheet at all."""


# --- reading ------------------------------------------------------------------------
MAX_SHEET_COLUMNS = 100


def _header(name: Any) -> str:
    key = "_".join(str(name or "").strip().lower().replace("-", " ").split())
    return ALIASES.get(key, key)


def read_sheet(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-empty row of a CSV or .xlsx file."""
    if data[:4] == b"PK\x03\x04":
        yield from _read_xlsx(data)
    else:
        yield from _read_csv(data)


def _read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise SheetError(_("The file is not a CSV text file."))
    if "\x00" in text[:1000]:
        raise SheetError(_("The file is not a CSV or Excel (.xlsx) sheet."))
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_header(h) for h in next(reader, [])]
    _check_header(header)
    for number, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            yield number, dict(zip(header, (v.strip() for v in values), strict=False))


def _read_xlsx(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        rows = xlsx_rows(data, max_rows=MAX_ROWS + 1, max_columns=MAX_SHEET_COLUMNS)
        header = [_header(h) for h in next(rows, [])]
        _check_header(header)
        for number, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if any(cells):
                yield number, dict(zip(header, cells, strict=False))
    except XlsxError as exc:
        raise SheetError(_(XLSX_MESSAGES[exc.code]) % exc.params) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_header(header: Sequence[str]) -> None:
    missing = [c for c in ("kode_wilayah", "nama_kim") if c not in header]
    if missing:
        raise SheetError(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


# --- importing ----------------------------------------------------------------------
@dataclass
class _Row:
    line: int
    kim_key: tuple[str, str]
    kim_fields: dict[str, Any]
    # The KIM cells that were filled: what an existing KIM takes from the row.
    kim_updates: dict[str, Any]
    member: dict[str, Any] | None
    kim_id: int | None = None
    membership_id: int | None = None


def kim_import(*, actor: User, data: bytes, filename: str = "") -> ImportResult:
    """Import a sheet of KIMs and members within ``actor``'s scope (see the module
    docstring). Raises ``SheetError`` when the file is not a readable sheet."""
    result = ImportResult()
    regions = {
        r.kode: r
        for r in Region.objects.filter(
            level__in=[Region.Level.VILLAGE, Region.Level.DISTRICT]
        ).only("kode", "level", "name")
    }
    today = timezone.localdate()
    rows: list[_Row] = []
    for line, raw in read_sheet(data):
        result.rows += 1
        if result.rows > MAX_ROWS:
            raise SheetError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        row = _check_row(actor, line, raw, regions, today, result.errors)
        if row is not None:
            rows.append(row)
    rows = _resolve_ids(rows, result.errors)
    rows = _check_duplicates(rows, result.errors)
    with transaction.atomic():
        _write(rows, result)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            object_type="network.import",
            object_repr=(filename or _("sheet"))[:255],
            region_code=actor.region_id or "",
            changes={
                "rows": result.rows,
                "kims_created": result.kims_created,
                "kims_updated": result.kims_updated,
                "members_created": result.members_created,
                "members_updated": result.members_updated,
                "rows_with_errors": len(result.bad_lines),
            },
        )
    result.errors.sort(
        key=lambda e: (e.line, COLUMNS.index(e.field) if e.field in COLUMNS else 99)
    )
    return result


def _check_row(
    actor: User,
    line: int,
    raw: dict[str, str],
    regions: dict[str, Region],
    today: date,
    errors: list[RowError],
) -> _Row | None:
    found: list[RowError] = []

    def bad(column: str, message: str) -> None:
        found.append(RowError(line, column, message))

    def cell(column: str) -> str:
        return raw.get(column, "").strip()

    code = cell("kode_wilayah")
    region = regions.get(code)
    if not code:
        bad("kode_wilayah", _("Required."))
    elif region is None:
        bad("kode_wilayah", _("Unknown village/district code %(c)s.") % {"c": code})
    elif not in_scope(actor, code):
        bad("kode_wilayah", _("This region is outside your area."))
    name = " ".join(raw.get("nama_kim", "").split())
    if not name:
        bad("nama_kim", _("Required."))
    elif len(name) > 150:
        bad("nama_kim", _("At most 150 characters."))
    kim_id = None
    if cell("id"):
        try:
            kim_id = int(float(cell("id")))
        except ValueError:
            bad("id", _("Not a KIM number: %(v)s") % {"v": cell("id")[:20]})
    status = STATUS.get(cell("status_kim").lower())
    if status is None:
        bad("status_kim", _("Use aktif, vakum or bubar."))
    level = LEVELS.get(cell("tingkat_kim").lower())
    if level is None:
        bad("tingkat_kim", _("Use pemula, madya or utama."))
    decree_date = _parse_date(raw, "tanggal_sk", today, bad)
    updates: dict[str, Any] = {
        "status": status if cell("status_kim") else None,
        "level": level if cell("tingkat_kim") else None,
        "decree_number": cell("nomor_sk")[:100] or None,
        "decree_date": decree_date,
        **_kim_contacts(raw, bad),
    }
    member: dict[str, Any] | None = None
    member_name = " ".join(raw.get("nama_anggota", "").split())
    if member_name:
        role = ROLES.get(cell("peran").lower())
        if role is None:
            bad("peran", _("Use ketua, sekretaris, bendahara or anggota."))
        phone = _phone(raw, "telepon", bad)
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                bad("email", _("Not a valid email address."))
        joined = _parse_date(raw, "tanggal_bergabung", today, bad)
        left = _parse_date(raw, "tanggal_keluar", today, bad)
        consent = cell("kontak_publik").lower()
        if consent not in YES | NO:
            bad("kontak_publik", _("Use ya or tidak."))
        member = {
            "full_name": member_name[:150],
            "role": role,
            "phone": phone,
            "email": email,
            "joined_on": joined,
            "left_on": left,
            "public_contact": consent in YES,
            "public_contact_given": bool(consent),
        }
    elif any(cell(c) for c in ("peran", "telepon", "email")):
        bad("nama_anggota", _("Give the member's name."))
    if found:
        errors.extend(found)
        return None
    assert region is not None
    updates = {k: v for k, v in updates.items() if v not in (None, "")}
    return _Row(
        line=line,
        kim_key=(region.kode, name.lower()),
        kim_fields={
            "region": region,
            "name": name,
            "status": status,
            "level": level,
            "decree_number": cell("nomor_sk")[:100],
            "decree_date": decree_date,
            **{k: v for k, v in updates.items() if k not in ("status", "level")},
        },
        kim_updates=updates,
        member=member,
        kim_id=kim_id,
    )


def _phone(raw: dict[str, str], column: str, bad: Any) -> str | None:
    value = raw.get(column, "").strip()
    if not value:
        return None
    try:
        return normalize_phone(value)
    except InvalidPhoneNumber:
        bad(column, _("Not a valid phone number: %(v)s") % {"v": value[:30]})
        return None


def _kim_contacts(raw: dict[str, str], bad: Any) -> dict[str, Any]:
    """The KIM's own contacts and focus areas, from the columns the KIM list
    export writes (each optional)."""
    email = raw.get("email_kim", "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email_kim", _("Not a valid email address."))
    links: dict[str, str] = {}
    for column in ("instagram", "facebook"):
        link = raw.get(column, "").strip()
        if link:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                bad(column, _("Not a web address (https://…)."))
            links[column] = link[:200]
    areas = [
        a.strip().lower()
        for a in raw.get("bidang_fokus", "").replace(",", ";").split(";")
        if a.strip()
    ]
    unknown = [a for a in areas if a not in FocusArea.values]
    if unknown:
        bad(
            "bidang_fokus",
            _("Unknown focus area: %(v)s") % {"v": ", ".join(unknown)[:60]},
        )
    return {
        "email": email,
        "phone": _phone(raw, "telepon_kim", bad),
        **links,
        "focus_areas": list(dict.fromkeys(areas)) or None,
    }


def _parse_date(raw: dict[str, str], column: str, today: date, bad: Any) -> date | None:
    try:
        value = _date(raw.get(column, ""))
    except ValueError:
        bad(column, _("Not a date; write 2021-03-15 or 15/03/2021."))
        return None
    if value is not None and value > today:
        bad(column, _("The date cannot be in the future."))
        return None
    return value


def _resolve_ids(rows: list[_Row], errors: list[RowError]) -> list[_Row]:
    """Rows naming a KIM by ``id`` (the KIM list export) update that KIM, also its
    name; the id must be a KIM of the row's region."""
    ids = {r.kim_id for r in rows if r.kim_id is not None}
    if not ids:
        return rows
    known = {
        pk: (code, name)
        for pk, code, name in Kim.objects.filter(pk__in=ids).values_list(
            "pk", "region_id", "name"
        )
    }
    kept = []
    for row in rows:
        if row.kim_id is not None:
            found = known.get(row.kim_id)
            if found is None or found[0] != row.kim_key[0]:
                errors.append(
                    RowError(
                        row.line,
                        "id",
                        _("No KIM %(id)s in this village/district.")
                        % {"id": row.kim_id},
                    )
                )
                continue
            if found[1] != row.kim_fields["name"]:
                row.kim_updates["name"] = row.kim_fields["name"]
            row.kim_key = (found[0], found[1].lower())
        kept.append(row)
    return kept


def _check_duplicates(rows: list[_Row], errors: list[RowError]) -> list[_Row]:
    """Link rows to the memberships they update; drop members that repeat within
    the sheet, and a second sitting chair."""
    existing_kims: dict[tuple[str, str], int] = {
        (code, name.lower()): pk
        for pk, code, name in Kim.objects.filter(
            region_id__in={r.kim_key[0] for r in rows}
        ).values_list("pk", "region_id", "name")
    }
    by_phone: dict[tuple[int, str], int] = {}
    by_name: dict[tuple[int, str], int] = {}
    chairs: dict[int, int] = {}  # KIM -> membership of its sitting chair
    if existing_kims:
        for pk, member_kim, phone, name, role, left in Membership.objects.filter(
            kim_id__in=existing_kims.values()
        ).values_list(
            "pk", "kim_id", "person__phone", "person__full_name", "role", "left_on"
        ):
            if phone:
                by_phone[(member_kim, phone)] = pk
            by_name.setdefault((member_kim, name.lower()), pk)
            if role == Membership.Role.KETUA and left is None:
                chairs[member_kim] = pk
    for row in rows:
        m = row.member
        kim_id = existing_kims.get(row.kim_key)
        if m is None or kim_id is None:
            continue
        if m["phone"]:
            row.membership_id = by_phone.get((kim_id, m["phone"]))
        else:
            row.membership_id = by_name.get((kim_id, m["full_name"].lower()))
        # A chair stepping down in this sheet makes room for the next one.
        sits = m["role"] == Membership.Role.KETUA and m["left_on"] is None
        if (
            not sits
            and row.membership_id is not None
            and chairs.get(kim_id) == row.membership_id
        ):
            del chairs[kim_id]
    seen: dict[tuple[tuple[str, str], str], int] = {}
    sheet_chairs: dict[tuple[str, str], int] = {}
    provinces = member_provinces_by_phone(
        {r.member["phone"] for r in rows if r.member and r.member["phone"]}
    )
    kept = []
    for row in rows:
        m = row.member
        if m is None:
            kept.append(row)
            continue
        elsewhere = provinces.get(m["phone"], set()) - {row.kim_key[0][:2]}
        if elsewhere and row.membership_id is None:
            # A new member whose phone another province's KIM holds: linking
            # would show this sheet's uploader that province's record of them.
            errors.append(RowError(row.line, "telepon", str(OTHER_PROVINCE)))
            continue
        # Already in this KIM and in another province's: the row updates the
        # membership, never the details that province keeps.
        m["person_locked"] = bool(elsewhere)
        identity = m["phone"] or "name:" + m["full_name"].lower()
        kim_id = existing_kims.get(row.kim_key)
        key = (row.kim_key, identity)
        column = "telepon" if m["phone"] else "nama_anggota"
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    column,
                    _("Duplicate member: same person as line %(n)s.")
                    % {"n": seen[key]},
                )
            )
            continue
        if m["role"] == Membership.Role.KETUA and m["left_on"] is None:
            sitting = chairs.get(kim_id) if kim_id is not None else None
            if (
                sitting is not None and sitting != row.membership_id
            ) or row.kim_key in sheet_chairs:
                errors.append(
                    RowError(row.line, "peran", _("This KIM already has a chair."))
                )
                continue
            sheet_chairs[row.kim_key] = row.line
        seen[key] = row.line
        kept.append(row)
    return kept


def _write(rows: list[_Row], result: ImportResult) -> None:
    kims = {
        (kim.region_id, kim.name.lower()): kim
        for kim in Kim.objects.filter(region_id__in={r.kim_key[0] for r in rows})
    }
    new_kims: dict[tuple[str, str], Kim] = {}
    changed: set[Kim] = set()
    for row in rows:
        kim = kims.get(row.kim_key)
        if kim is not None:
            for key, value in row.kim_updates.items():
                if getattr(kim, key) != value:
                    setattr(kim, key, value)
                    changed.add(kim)
            continue
        if row.kim_key in new_kims:
            continue
        kim = Kim(**row.kim_fields)
        kim.set_codes()
        new_kims[row.kim_key] = kim
    Kim.objects.bulk_create(new_kims.values(), batch_size=500)
    for kim in changed:
        kim.save()
    kims.update(new_kims)
    result.kims_created = len(new_kims)
    result.kims_updated = len(changed)
    _write_members(rows, kims, result)


def _write_members(
    rows: list[_Row], kims: dict[tuple[str, str], Kim], result: ImportResult
) -> None:
    members = [r for r in rows if r.member is not None]
    updates = {
        r.membership_id: r.member
        for r in members
        if r.membership_id is not None and r.member is not None
    }
    _update_members(updates, result)
    members = [r for r in members if not r.membership_id]
    phones = {r.member["phone"] for r in members if r.member and r.member["phone"]}
    people: dict[str, Person] = {}
    for chunk in _chunks(sorted(phones), 500):
        people.update(
            {p.phone: p for p in Person.objects.filter(phone__in=chunk) if p.phone}
        )
    new_people: list[Person] = []
    row_people: list[Person] = []
    for row in members:
        m = row.member
        assert m is not None
        person = people.get(m["phone"]) if m["phone"] else None
        if person is None:
            person = Person(
                full_name=m["full_name"],
                phone=m["phone"],
                email=m["email"],
                public_contact=m["public_contact"],
            )
            new_people.append(person)
            if m["phone"]:
                people[m["phone"]] = person
        row_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=500)
    result.people_created = len(new_people)
    memberships = [
        Membership(
            kim=kims[row.kim_key],
            person=person,
            role=row.member["role"],
            joined_on=row.member["joined_on"],
            left_on=row.member["left_on"],
        )
        for row, person in zip(members, row_people, strict=True)
        if row.member is not None
    ]
    Membership.objects.bulk_create(memberships, batch_size=500)
    result.members_created = len(memberships)


def _update_members(updates: dict[int, dict[str, Any]], result: ImportResult) -> None:
    """Members already in their KIM take the sheet's role, dates, name, email and
    consent (an empty date, email or consent cell keeps what is stored)."""
    changed_members: list[Membership] = []
    changed_people: list[Person] = []
    touched: set[int] = set()
    for membership in Membership.objects.filter(pk__in=updates).select_related(
        "person"
    ):
        m = updates[membership.pk]
        own = {"role": m["role"], "joined_on": m["joined_on"], "left_on": m["left_on"]}
        person = {"full_name": m["full_name"], "email": m["email"]}
        if m["public_contact_given"]:
            person["public_contact"] = m["public_contact"]
        if _apply(membership, own, keep_empty=("joined_on", "left_on")):
            changed_members.append(membership)
            touched.add(membership.pk)
        if not m.get("person_locked") and _apply(
            membership.person, person, keep_empty=("email",)
        ):
            changed_people.append(membership.person)
            touched.add(membership.pk)
    Membership.objects.bulk_update(
        changed_members, ["role", "joined_on", "left_on"], batch_size=500
    )
    Person.objects.bulk_update(
        changed_people, ["full_name", "email", "public_contact"], batch_size=500
    )
    result.members_updated = len(touched)


def _apply(obj: Any, values: dict[str, Any], *, keep_empty: Sequence[str]) -> bool:
    changed = False
    for key, value in values.items():
        if key in keep_empty and value in (None, ""):
            continue
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def template_rows() -> list[list[str]]:
    return [[c[2] for c in TEMPLATE_COLUMNS]]


# --- exporting ----------------------------------------------------------------------
FORMATS = {"csv", "xlsx"}


def export_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    """A CSV (UTF-8 with BOM, opens in Excel) or .xlsx download of ``rows``."""
    return table_response(
        filename=filename, headers=headers, rows=rows, fmt=fmt, title=filename[:31]
    )


# Columns the import reads (see the module docstring): the list re-imports.
KIM_HEADERS = [
    "id",
    "nama_kim",
    "kode_wilayah",
    "desa_kelurahan",
    "kecamatan",
    "status_kim",
    "tingkat_kim",
    "bidang_fokus",
    "nomor_sk",
    "tanggal_sk",
    "email_kim",
    "telepon_kim",
    "instagram",
    "facebook",
]


def kim_rows(kims: Iterable[Kim]) -> Iterator[list[Any]]:
    for kim in kims:
        yield [
            kim.pk,
            kim.name,
            kim.region_id,
            kim.region.name,
            kim.region.parent.name if kim.region.parent else "",
            STATUS_WORDS.get(kim.status, kim.status),
            kim.level,
            ";".join(kim.focus_areas),
            kim.decree_number,
            kim.decree_date,
            kim.email,
            phone_text(kim.phone),
            kim.instagram,
            kim.facebook,
        ]


MEMBER_HEADERS = [
    "kode_wilayah",
    "nama_kim",
    "status_kim",
    "tingkat_kim",
    "nomor_sk",
    "tanggal_sk",
    "nama_anggota",
    "peran",
    "telepon",
    "email",
    "tanggal_bergabung",
    "kontak_publik",
    "tanggal_keluar",
]


def member_rows(memberships: Iterable[Membership]) -> Iterator[list[Any]]:
    """Same columns as the import template (then the leaving date): a sheet exported
    here can be imported elsewhere."""
    for m in memberships:
        kim, person = m.kim, m.person
        yield [
            kim.region_id,
            kim.name,
            STATUS_WORDS.get(kim.status, kim.status),
            kim.level,
            kim.decree_number,
            kim.decree_date,
            person.full_name,
            m.role,
            phone_text(person.phone),
            person.email,
            m.joined_on,
            "ya" if person.public_contact else "tidak",
            m.left_on,
        ]
