"""Load the 2022 list of Kukar's villages without signal (idempotent).

Reads ``../shared/data/connectivity/kukar_blankspot_2022_news.csv`` when present
(or ``--source FILE``), else the copy shipped in ``connectivity/data/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectivity.hooks import BLANKSPOT_CSV, blankspot_rows
from connectivity.services import blankspots_import

SHARED_NAME = "connectivity/kukar_blankspot_2022_news.csv"


class Command(BaseCommand):
    help = "Import Kukar's 2022 blankspot villages (offices, observations, programme)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", help="CSV file (default: shared data, else shipped)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["source"]) if options["source"] else None
        if path is None:
            shared = Path(settings.SHARED_DATA_DIR) / SHARED_NAME
            path = shared if shared.is_file() else BLANKSPOT_CSV
        if not path.is_file():
            raise CommandError(f"{path} not found")
        try:
            result = blankspots_import(rows=blankspot_rows(path))
        except KeyError as exc:
            raise CommandError(f"{path}: missing column {exc}") from None
        self.stdout.write(
            f"{path}: {result.villages} villages, {result.observations} new "
            f"observations; unknown codes: {', '.join(result.missing) or 'none'}"
        )
