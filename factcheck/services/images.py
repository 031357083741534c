"""Writes of images: pictures attached to fact-checks (imported, or at the
desk) and the picture of a tip. Each is checked by its content, re-encoded
without metadata (``factcheck.imaging``) and stored in private storage; the
file goes with its row (``factcheck.signals``)."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from factcheck import image_matching
from factcheck.image_matching import ImageRead
from factcheck.models import FactCheck, FactCheckImage, ImageSource, Tip, TipImage


def _file(read: ImageRead, prefix: str) -> ContentFile[bytes]:
    return ContentFile(read.clean.jpeg, name=f"{prefix}-{secrets.token_hex(8)}.jpg")


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
    row = FactCheckImage(
        factcheck=factcheck,
        source=source,
        phash=read.phash,
        text=read.text,
        signature=read.signature,
        width=read.clean.width,
        height=read.clean.height,
    )
    try:
        _stored(row, read, f"fc{factcheck.pk}")
    except IntegrityError:
        return FactCheckImage.objects.get(factcheck=factcheck, phash=read.phash)
    return row


def tip_image_store(*, tip: Tip, read: ImageRead) -> TipImage:
    row = TipImage(
        tip=tip,
        phash=read.phash,
        text=read.text,
        signature=read.signature,
        width=read.clean.width,
        height=read.clean.height,
    )
    _stored(row, read, f"tip{tip.pk}")
    return row
