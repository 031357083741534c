"""Import of a 5,000-row KIM member sheet (network.importing.kim_import).

In a temporary SQLite database with Kaltim's regions, generates a sheet of 500
KIMs x 10 members in villages across the province (fictional names, unique
+62812… numbers), then measures, in the same run:

- baseline: a bare ``bulk_create`` of the same KIMs, people and memberships from
  already-parsed values (no reading, no validation), rolled back;
- the import of the sheet as CSV and as Excel (.xlsx), each into an empty
  database state (rolled back between runs);
- a sheet with 250 bad rows (invalid phones, future dates, unknown codes,
  duplicates): every bad row must be reported and every other row imported.

Target: the 5,000-row import in under 30 s on this machine.

    .venv/bin/python bench/network_import.py
"""

from __future__ import annotations

import csv
import io
import sys
import time

from _network_env import setup

ROWS = 5_000
MEMBERS_PER_KIM = 10
TARGET_S = 30.0


class Rollback(Exception):
    pass


def make_rows(villages: list[str]) -> list[list[str]]:
    rows = []
    for i in range(ROWS):
        k = i // MEMBERS_PER_KIM
        j = i % MEMBERS_PER_KIM
        role = "ketua" if j == 0 else ("sekretaris" if j == 1 else "anggota")
        rows.append(
            [
                villages[k % len(villages)],
                f"KIM Uji {k:04d}",
                "aktif",
                "pemula",
                f"140/{k}/SK/2021",
                "2021-03-15",
                f"Anggota {i:05d}",
                role,
                f"0812 9{i:03d} {i % 10000:04d}",
                "",
                "01/04/2021",
                "ya" if j == 0 else "tidak",
            ]
        )
    return rows


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("KIM")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    setup()
    from django.db import transaction

    from accounts.models import Role, User
    from network.importing import COLUMNS, kim_import
    from network.models import Kim, Membership, Person
    from regions.models import Region

    admin = User.objects.create_user(
        "bench@example.org",
        "x",
        full_name="Bench",
        role=Role.PROVINCE_ADMIN,
        region=Region.objects.get(kode="64"),
    )
    villages = list(
        Region.objects.filter(level="desa_kel")
        .order_by("kode")
        .values_list("kode", flat=True)
    )
    rows = make_rows(villages)
    sheet_csv = to_csv(COLUMNS, rows)
    sheet_xlsx = to_xlsx(COLUMNS, rows)
    regions = {r.kode: r for r in Region.objects.filter(kode__in=villages)}

    # Baseline: bare bulk_create of the same rows.
    start = time.perf_counter()
    try:
        with transaction.atomic():
            kims: dict[str, Kim] = {}
            for row in rows:
                if row[1] not in kims:
                    kim = Kim(name=row[1], region=regions[row[0]])
                    kim.set_codes()
                    kims[row[1]] = kim
            Kim.objects.bulk_create(kims.values(), batch_size=500)
            people = [Person(full_name=r[6]) for r in rows]
            Person.objects.bulk_create(people, batch_size=500)
            Membership.objects.bulk_create(
                [
                    Membership(kim=kims[r[1]], person=p, role=r[7])
                    for r, p in zip(rows, people, strict=True)
                ],
                batch_size=500,
            )
            baseline_s = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass

    results = {}
    for name, data in (("csv", sheet_csv), ("xlsx", sheet_xlsx)):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                result = kim_import(actor=admin, data=data, filename=f"bench.{name}")
                elapsed = time.perf_counter() - start
                assert not result.errors, result.errors[:5]
                assert result.members_created == ROWS, result.members_created
                assert Membership.objects.count() == ROWS
                results[name] = (elapsed, result)
                raise Rollback
        except Rollback:
            pass

    # A sheet with bad rows: every 20th row broken in one of five ways.
    bad_rows = [list(r) for r in rows]
    expected_bad: set[int] = set()
    for n, row in enumerate(bad_rows):
        if n % 20 != 7:
            continue
        kind = (n // 20) % 5
        if kind == 0:
            row[8] = "12345"  # invalid phone
        elif kind == 1:
            row[10] = "2999-01-01"  # joined in the future
        elif kind == 2:
            row[0] = "64.99.99.9999"  # unknown region
        elif kind == 3:
            row[8] = bad_rows[n - 1][8]  # duplicate of the previous member
        else:
            row[7] = "bos"  # unknown role
        expected_bad.add(n + 2)  # line numbers: header is line 1
    start = time.perf_counter()
    bad = kim_import(actor=admin, data=to_csv(COLUMNS, bad_rows))
    bad_s = time.perf_counter() - start
    reported = set(bad.bad_lines)

    csv_s, csv_result = results["csv"]
    xlsx_s, _ = results["xlsx"]
    print(f"rows: {ROWS} ({len({r[1] for r in rows})} KIMs, {MEMBERS_PER_KIM} each)")
    rate = ROWS / baseline_s
    print(f"baseline bare bulk_create: {baseline_s:.2f} s ({rate:,.0f} rows/s)")
    print(
        f"import CSV:  {csv_s:.2f} s ({ROWS / csv_s:,.0f} rows/s, "
        f"{csv_s / baseline_s:.1f}x baseline)"
    )
    print(
        f"import XLSX: {xlsx_s:.2f} s ({ROWS / xlsx_s:,.0f} rows/s, "
        f"{xlsx_s / baseline_s:.1f}x baseline)"
    )
    print(
        f"sheet with {len(expected_bad)} bad rows: {bad_s:.2f} s, "
        f"{len(reported)} rows reported ({len(bad.errors)} errors), "
        f"{bad.members_created} members imported"
    )
    ok = True
    checks = [
        (f"5,000-row CSV import under {TARGET_S:.0f} s", csv_s < TARGET_S),
        (f"5,000-row XLSX import under {TARGET_S:.0f} s", xlsx_s < TARGET_S),
        ("every bad row reported, no other", reported == expected_bad),
        ("every other row imported", bad.members_created == ROWS - len(expected_bad)),
    ]
    for label, passed in checks:
        print(f"  [{'ok' if passed else 'FAIL'}] {label}")
        ok = ok and passed
    del csv_result
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
