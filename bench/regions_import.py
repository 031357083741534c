"""Import of all of Indonesia's regions (91,599: 38 provinces, 514 kab/kota,
7,285 kecamatan, 83,762 desa/kelurahan) over Kaltim's, as
``import_regions --source ../shared/data/regions/indonesia`` does.

Run: ``.venv/bin/python bench/regions_import.py [--postgres] [--source DIR]``

A temporary database (SQLite file, or a temporary PostgreSQL database at
127.0.0.1:5432 with ``--postgres``) gets Kaltim's fixture, then, timed:

1. reading the national CSV (gzip, csv, validation) alone;
2. the first national import: 90,445 regions created, Kaltim's 1,154 unchanged;
3. the same import again: nothing written (idempotent);
4. an import with one village renamed and one removed (bulk_update + retire).

Target (issue 16): each import under 2 minutes. Prints the table; exits 1 if a
target is missed or a count is wrong.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
from pathlib import Path

from _scratch_db import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 120.0
NATIONAL = "indonesia_wilayah_2025.csv.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--source", type=Path, default=None)
    args = parser.parse_args()
    default = Path(
        os.environ.get("SIMPUL_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
    )
    source = args.source or default / "regions" / "indonesia"
    if not (source / NATIONAL).exists():
        print(f"skipped: {NATIONAL} not found in {source} (give --source)")
        return 0
    with scratch_database("regions", postgres=args.postgres) as vendor:
        return run(source, vendor)


def _import(source: Path) -> tuple[float, str]:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    start = time.perf_counter()
    call_command("import_regions", source=source, stdout=out)
    return time.perf_counter() - start, out.getvalue()


def run(source: Path, vendor: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from regions.importing import read_source
    from regions.models import Region, RegionBoundary

    call_command("migrate", verbosity=0)
    call_command("import_regions", source=ROOT / "regions" / "data", verbosity=0)
    shapes = RegionBoundary.objects.count()

    start = time.perf_counter()
    records = read_source(source).records
    read_s = time.perf_counter() - start
    first_s, first_out = _import(source)
    again_s, again_out = _import(source)

    # One village renamed, one removed: the file a later Kemendagri list gives.
    with gzip.open(source / NATIONAL, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    changed = [lines[0]]
    for line in lines[1:]:
        if line.startswith("11.01.01.2001,"):
            line = line.replace("Keude Bakongan", "Keude Bakongan Raya", 1)
        if not line.startswith("11.01.01.2002,"):
            changed.append(line)
    with tempfile.TemporaryDirectory() as tmp:
        with gzip.open(Path(tmp) / NATIONAL, "wt", encoding="utf-8") as fh:
            fh.write("\n".join(changed) + "\n")
        change_s, change_out = _import(Path(tmp))

    active = Region.objects.filter(retired_at__isnull=True)
    counts = {lv: active.filter(level=lv).count() for lv in Region.Level.values}
    print(f"regions import on {vendor}: {len(records):,} rows from {source}")
    print(f"  read + validate CSV     {read_s:7.2f} s")
    print(f"  first national import   {first_s:7.2f} s   (target < {TARGET_S:.0f} s)")
    print(f"  again (no change)       {again_s:7.2f} s")
    print(f"  1 renamed, 1 removed    {change_s:7.2f} s")
    print(f"  active regions by level {counts}")
    for text in (first_out, again_out, change_out):
        print("  | " + text.strip().replace("\n", "\n  | "))
    checks = [
        (f"first import under {TARGET_S:.0f} s", first_s < TARGET_S),
        (f"second import under {TARGET_S:.0f} s", again_s < TARGET_S),
        ("second import changes nothing", "created 0, updated 0," in again_out),
        (
            "rename + removal: 1 updated, 1 retired",
            "updated 1," in change_out and "retired 1," in change_out,
        ),
        (
            "counts 38 / 514 / 7,285 / 83,761 (one removed)",
            counts
            == {"provinsi": 38, "kabkota": 514, "kecamatan": 7285, "desa_kel": 83761},
        ),
        ("Kaltim's boundaries kept", RegionBoundary.objects.count() == shapes),
    ]
    for label, passed in checks:
        print(f"  [{'ok' if passed else 'FAIL'}] {label}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
