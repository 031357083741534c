from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from factcheck.matching_service import public_id
from factcheck.models import MatchPair


class Command(BaseCommand):
    help = (
        "Write the labelled pairs (a message and the fact-check that answers it, "
        "confirmed by its sender or at the desk) as JSONL in the format of the "
        'benchmark queries: {"id", "text", "expected"} (expected: the '
        'fact-check\'s external_id, else "simpul-<pk>"), plus "source" and "at".'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--days", type=int, default=0, help="only the last N days (0: all)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = MatchPair.objects.select_related("factcheck").order_by("pk")
        if options["days"] > 0:
            since = timezone.now() - timedelta(days=options["days"])
            pairs = pairs.filter(created_at__gte=since)
        written = 0
        with options["output"].open("w", encoding="utf-8") as out:
            for pair in pairs.iterator(chunk_size=2000):
                row = {
                    "id": f"pair-{pair.pk}",
                    "text": pair.text,
                    "expected": public_id(pair.factcheck),
                    "source": pair.source,
                    "at": pair.created_at.isoformat(),
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
        self.stdout.write(f"{written} pairs written to {options['output']}")
