from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck import matching_service
from factcheck.importing import FORMATS, ImportFormatError, infer_format, parse
from factcheck.services import factchecks_import


class Command(BaseCommand):
    help = (
        "Import fact-checks from a JSONL, CSV or ClaimReview (JSON-LD or web page) "
        "file. Idempotent on external_id/URL; bad records are reported by line and "
        "skipped. The matching index is up to date when the command returns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="default: from the file extension (.jsonl, .csv, .json/.html)",
        )
        parser.add_argument(
            "--publisher", default="", help="publisher name for RSS entries"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            fmt = options["format"] or infer_format(path.name)
        except ImportFormatError as exc:
            raise CommandError(str(exc)) from exc
        text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
        started = time.perf_counter()
        try:
            result = factchecks_import(
                items=parse(text, fmt, publisher=options["publisher"])
            )
        except ImportFormatError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for line, error in result.errors:
            where = "item" if fmt == "claimreview" else "line"
            self.stderr.write(f"{path}:{where} {line}: {error}")
        index = matching_service.save()
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.errors)} rejected "
            f"({time.perf_counter() - started:.1f} s); index {index}"
        )
