from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck import image_matching, imaging, matching_service
from factcheck.services import tip_text_clean

BATCH = 256


@dataclass(frozen=True)
class ImageInput:
    """A line's picture, read when its batch is matched (not all at once)."""

    path: str
    caption: str


Row = tuple[str, "str | ImageInput | None", str]


def _image_input(path: object, caption: object) -> tuple[ImageInput | None, str]:
    if not isinstance(path, str) or not path:
        return None, "image: not a file path"
    text = caption[: settings.TIPLINE_MAX_CHARS] if isinstance(caption, str) else ""
    return ImageInput(path, text), ""


def _image_match(item: ImageInput, top: int) -> tuple[dict[str, Any] | None, str]:
    """The picture's result, or why it cannot be read."""
    file = Path(item.path)
    try:
        if file.stat().st_size > imaging.MAX_BYTES:
            return None, "image: " + image_matching.refusal("too_large")
        data = file.read_bytes()
    except OSError as exc:
        return None, f"image: {exc.strerror or exc.__class__.__name__}"
    try:
        read = image_matching.image_read(data)
    except ValidationError as exc:
        return None, "image: " + " ".join(exc.messages)
    return image_matching.match_image(read, text=item.caption, top=top), ""


class Command(BaseCommand):
    help = (
        'Match messages against the fact-checks: input lines {"id", "text"} and/or '
        '"image": "<file path>", output lines {"id", "decision", "matches": '
        '[{"external_id", "score", "verdict", "title"}]} in input order.'
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
            batch: list[Row] = []
            for number, line in enumerate(src, start=1):
                if not line.strip():
                    continue
                row = self._read(line)
                error = row[2]
                if error:
                    bad += 1
                    sys.stderr.write(f"line {number}: {error}\n")
                batch.append(row)
                if len(batch) >= BATCH:
                    written += self._flush(batch, out, top)
                    batch = []
            if batch:
                written += self._flush(batch, out, top)
        self.stderr.write(f"{written} results written, {bad} unreadable lines")

    @staticmethod
    def _read(line: str) -> Row:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return "", None, "not JSON"
        if not isinstance(data, dict):
            return "", None, "not an object"
        qid = str(data.get("id", ""))
        text = data.get("text")
        if data.get("image") is not None:
            return qid, *_image_input(data["image"], text)
        if isinstance(text, str):  # a batch cuts long texts instead of refusing
            text = text[: settings.TIPLINE_MAX_CHARS]
        try:
            return qid, tip_text_clean(text), ""
        except ValidationError as exc:
            return qid, None, " ".join(exc.messages)

    @staticmethod
    def _flush(batch: list[Row], out: Any, top: int) -> int:
        texts = [text for _, text, _ in batch if isinstance(text, str)]
        results = iter(matching_service.match_many(texts, top=top) if texts else [])
        for qid, text, error in batch:
            result: dict[str, Any] | None = None
            if isinstance(text, ImageInput):
                result, error = _image_match(text, top)
            elif text is not None:
                result = next(results)
            if result is None:
                row: dict[str, Any] = {
                    "id": qid,
                    "decision": "invalid",
                    "matches": [],
                    "error": error,
                }
            else:
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
