from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regions.importing import (
    CSV_NAME,
    RegionFileError,
    has_boundaries,
    iter_boundaries,
    read_source,
)
from regions.services import RegionImportResult, regions_import

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load regions (Kemendagri codes) and boundaries. Reads --source (Kaltim's "
        "CSV + boundaries, or the national indonesia_wilayah_2025.csv[.gz] without "
        "geometry), else ../shared/data/regions when present, else Kaltim's fixture "
        "shipped in regions/data. Safe to run again: unchanged rows are not written, "
        "renamed regions keep their former names, codes no longer listed are retired "
        "(never deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", type=Path, help="Folder with the CSV (+ GeoJSON for Kaltim)"
        )
        parser.add_argument(
            "--write-fixture",
            type=Path,
            metavar="DIR",
            help="Instead of importing, pack --source into the shipped fixture format",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path | None = options["source"]
        if source is None:
            shared = settings.SHARED_DATA_DIR / "regions"
            source = shared if (shared / CSV_NAME).exists() else FIXTURE_DIR
        try:
            region_file = read_source(source)
            if options["write_fixture"]:
                self._write_fixture(source, options["write_fixture"])
                return
            shapes = iter_boundaries(source) if has_boundaries(source) else iter(())
            result = regions_import(
                records=region_file.records,
                boundaries=shapes,
                duplicates=region_file.duplicates,
            )
        except RegionFileError as exc:
            raise CommandError("\n".join([str(exc), *exc.errors])) from exc
        self._summary(region_file.path, result, int(options["verbosity"]))

    def _summary(self, path: Path, result: RegionImportResult, verbosity: int) -> None:
        if verbosity == 0:
            return
        levels = ", ".join(f"{k}: {v}" for k, v in result.by_level.items())
        lines = [
            f"Regions from {path}: {result.regions} ({levels}); "
            f"{result.boundaries} boundaries.",
            f"  created {result.created}, updated {result.updated}, unchanged "
            f"{result.unchanged}, renamed {len(result.renamed)}, retired "
            f"{len(result.retired)}, reinstated {result.reinstated}.",
        ]
        # Up to 20 lines of each kind (all with -v 2): a bad file may have thousands.
        limit = None if verbosity >= 2 else 20
        for title, items in (
            ("Skipped (parent missing)", result.skipped),
            ("Repeated codes (first kept)", result.duplicates),
            ("Renamed (former name kept)", result.renamed),
            ("Retired (no longer listed; kept with their records)", result.retired),
        ):
            if not items:
                continue
            lines.append(f"  {title}: {len(items)}")
            lines.extend(f"    {item}" for item in items[:limit])
            if limit is not None and len(items) > limit:
                lines.append(f"    … and {len(items) - limit} more (-v 2 lists all)")
        if result.retired_with_records:
            held = ", ".join(
                f"{n} {label}" for label, n in result.retired_with_records.items()
            )
            lines.append(f"  Retired regions still hold: {held}.")
        self.stdout.write("\n".join(lines))

    def _write_fixture(self, source: Path, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        src_csv = source / CSV_NAME
        if src_csv.exists():
            shutil.copyfile(src_csv, target / CSV_NAME)
        shapes = dict(iter_boundaries(source))
        with gzip.open(
            target / "kaltim_boundaries.json.gz", "wt", encoding="utf-8"
        ) as fh:
            json.dump(shapes, fh, separators=(",", ":"))
        self.stdout.write(f"Wrote {len(shapes)} boundaries and the CSV to {target}")
