"""Import an elevation model (GeoTIFF, EPSG:4326) for terrain-aware coverage.

Needs the optional ``rasterio`` package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectivity.services import dem_import


class Command(BaseCommand):
    help = "Import a DEM GeoTIFF and use it for predicted coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="GeoTIFF in EPSG:4326")
        parser.add_argument("--name", default="", help="a name for it")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} not found")
        with path.open("rb") as f:
            try:
                dem = dem_import(
                    actor=None,
                    name=options["name"] or path.stem,
                    upload=File(f, path.name),
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"DEM {dem.name} ({dem.shape}) in use; tower ranges recomputed."
        )
