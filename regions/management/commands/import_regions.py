from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regions.importing import CSV_NAME, RegionFileError, iter_boundaries, read_records
from regions.services import regions_import

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load Kalimantan Timur's regions (Kemendagri codes) and boundaries. Reads "
        "--source, else ../shared/data/regions when present, else the fixture shipped "
        "in regions/data. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, help="Folder with the CSV + GeoJSON")
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
            records = read_records(source)
            if options["write_fixture"]:
                self._write_fixture(source, options["write_fixture"])
                return
            result = regions_import(records=records, boundaries=iter_boundaries(source))
        except RegionFileError as exc:
            raise CommandError("\n".join([str(exc), *exc.errors])) from exc
        levels = ", ".join(f"{k}: {v}" for k, v in result.by_level.items())
        self.stdout.write(
            f"Regions from {source}: {result.regions} ({levels}); "
            f"{result.boundaries} boundaries."
        )

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
