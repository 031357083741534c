from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck import matching_service
from factcheck.services import tip_text_clean

BATCH = 256


class Command(BaseCommand):
    help = (
        'Match messages against the fact-checks: input lines {"id", "text"}, output '
        'lines {"id", "decision", "matches": [{"external_id", "score", "verdict", '
        '"title"}]} in input order.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--top", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["input"].is_file():
            raise CommandError(f"{options['input']}: no such file")
        top = max(1, min(options["top"], 100))
        matching_service.engine()  # load (or build) once before timing starts
        written = bad = 0
        with (
            options["input"].open(encoding="utf-8", errors="replace") as src,
            options["output"].open("w", encoding="utf-8") as out,
        ):
            batch: list[tuple[str, str | None, str]] = []
            for number, line in enumerate(src, start=1):
                if not line.strip():
                    continue
                qid, text, error = self._read(line)
                if error:
                    bad += 1
                    sys.stderr.write(f"line {number}: {error}\n")
                batch.append((qid, text, error))
                if len(batch) >= BATCH:
                    written += self._flush(batch, out, top)
                    batch = []
            if batch:
                written += self._flush(batch, out, top)
        self.stderr.write(f"{written} results written, {bad} unreadable lines")

    @staticmethod
    def _read(line: str) -> tuple[str, str | None, str]:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return "", None, "not JSON"
        if not isinstance(data, dict):
            return "", None, "not an object"
        qid = str(data.get("id", ""))
        text = data.get("text")
        if isinstance(text, str):  # a batch cuts long texts instead of refusing
            text = text[: settings.TIPLINE_MAX_CHARS]
        try:
            return qid, tip_text_clean(text), ""
        except ValidationError as exc:
            return qid, None, " ".join(exc.messages)

    @staticmethod
    def _flush(batch: list[tuple[str, str | None, str]], out: Any, top: int) -> int:
        texts = [text for _, text, _ in batch if text is not None]
        results = iter(matching_service.match_many(texts, top=top) if texts else [])
        for qid, text, error in batch:
            if text is None:
                row: dict[str, Any] = {
                    "id": qid,
                    "decision": "invalid",
                    "matches": [],
                    "error": error,
                }
            else:
                result = next(results)
                row = {
                    "id": qid,
                    "decision": result["decision"],
                    "matches": [
                        {k: m[k] for k in ("external_id", "score", "verdict", "title")}
                        for m in result["matches"]
                    ],
                }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return len(batch)
