"""Writes of images: pictures attached to fact-checks (imported, or at the
desk) and the picture of a tip. Each is checked by its content, re-encoded
without metadata (``factcheck.imaging``) and stored in private storage; the
file goes with its row (``factcheck.signals``), and a file whose row never
committed is swept (``private_files_sweep``)."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from core.fetch import FetchError, fetch
from factcheck import image_matching, imaging
from factcheck.image_matching import ImageRead
from factcheck.models import FactCheck, FactCheckImage, ImageSource, Tip, TipImage

log = logging.getLogger(__name__)


def _file(read: ImageRead, prefix: str) -> ContentFile[bytes]:
    return ContentFile(read.clean.jpeg, name=f"{prefix}-{secrets.token_hex(8)}.jpg")


def _read_fields(read: ImageRead) -> dict[str, Any]:
    """The columns every stored picture takes from its read."""
    return {
        "phash": read.phash,
        "text": read.text,
        "signature": read.signature,
        "width": read.clean.width,
        "height": read.clean.height,
    }


def _stored(row: FactCheckImage | TipImage, read: ImageRead, prefix: str) -> None:
    """Save the row with its file; a failed save leaves no file behind. Callers
    store the picture last in their transaction, after everything that could
    refuse the tip, so that a refused tip stores nothing."""
    content = _file(read, prefix)
    row.file.save(content.name or f"{prefix}.jpg", content, save=False)
    try:
        row.full_clean()
        with transaction.atomic():
            row.save()
    except Exception:
        if row.file.name:
            row.file.storage.delete(row.file.name)
        raise


def factcheck_image_add(
    *,
    factcheck: FactCheck,
    data: bytes,
    source: str = ImageSource.DESK,
    read: ImageRead | None = None,
) -> FactCheckImage:
    """Attach a picture to a fact-check (``ValidationError({"image": …})`` if
    it is refused). The same picture twice is stored once."""
    read = read or image_matching.image_read(data)
    existing = FactCheckImage.objects.filter(
        factcheck=factcheck, phash=read.phash
    ).first()
    if existing is not None:
        return existing
    row = FactCheckImage(factcheck=factcheck, source=source, **_read_fields(read))
    try:
        _stored(row, read, f"fc{factcheck.pk}")
    except IntegrityError:
        return FactCheckImage.objects.get(factcheck=factcheck, phash=read.phash)
    return row


def tip_image_store(*, tip: Tip, read: ImageRead) -> TipImage:
    row = TipImage(tip=tip, **_read_fields(read))
    _stored(row, read, f"tip{tip.pk}")
    return row


def factcheck_image_fetch(*, factcheck_id: int, url: str) -> str:
    """Fetch the picture an imported fact-check shows (its feed's or
    ClaimReview's image) and attach it, so that tips of that picture match.
    Returns ``stored``, ``skipped`` (gone, or it has an imported picture
    already: safe to run twice), ``error: …`` or ``refused: <code>``."""
    factcheck = FactCheck.objects.filter(pk=factcheck_id).first()
    if (
        factcheck is None
        or factcheck.images.filter(source=ImageSource.IMPORTED).exists()
    ):
        return "skipped"
    try:
        fetched = fetch(
            url,
            max_bytes=imaging.MAX_BYTES,
            headers={"User-Agent": "Simpul fact-check importer"},
        )
        read = image_matching.image_read(fetched.content)
    except FetchError as exc:
        with translation.override("en"):
            log.info("factcheck: picture of %s not fetched: %s", factcheck_id, exc)
            return f"error: {exc}"
    except ValidationError as exc:
        code = exc.error_dict["image"][0].code if hasattr(exc, "error_dict") else ""
        log.info("factcheck: picture of %s refused: %s", factcheck_id, code)
        return f"refused: {code}"
    factcheck_image_add(
        factcheck=factcheck, data=b"", source=ImageSource.IMPORTED, read=read
    )
    return "stored"


SWEEP_AFTER = timedelta(hours=1)
"""A file younger than this may belong to a transaction still open."""


def private_files_sweep(*, older_than: timedelta = SWEEP_AFTER) -> int:
    """Delete private picture files that no row names: the file of a tip or
    fact-check image is written before its transaction commits, so an outer
    transaction that rolls back (a refused tip, a crashed worker) leaves the
    picture, a tipster's personal data, on disk with nothing pointing at it.
    Returns how many files went. Idempotent."""
    root = Path(settings.FACTCHECK_PRIVATE_DIR)
    if not root.is_dir():
        return 0
    named = set(FactCheckImage.objects.values_list("file", flat=True))
    named |= set(TipImage.objects.values_list("file", flat=True))
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if path.relative_to(root).as_posix() in named:
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed
