"""Uploaded files, for every app: checked by their content (not their name) and
size.

PDFs must start with ``%PDF-``; images must open with Pillow as JPEG, PNG or WebP.
Anything over ``MAX_UPLOAD_BYTES`` (10 MB) is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF = "pdf"
IMAGE = "image"


def check_upload(
    file: UploadedFile | Any, *, kinds: frozenset[str] | set[str], field: str
) -> str:
    """Validate ``file``; returns its extension (``pdf``, ``jpg``…) or raises
    ``ValidationError({field: …})``. The file's name is set to that extension."""
    size = getattr(file, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: _("The file is larger than 10 MB.")})
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    ext: str | None = None
    if PDF in kinds and head.startswith(b"%PDF-"):
        ext = "pdf"
    elif IMAGE in kinds:
        ext = _image_ext(file)
    if ext is None:
        wanted = {
            frozenset({PDF}): _("Upload a PDF file."),
            frozenset({IMAGE}): _("Upload a photo (JPEG, PNG or WebP)."),
        }.get(frozenset(kinds), _("Upload a PDF file or a photo (JPEG, PNG, WebP)."))
        raise ValidationError({field: wanted})
    file.name = f"upload.{ext}"
    return ext


def _image_ext(file: Any) -> str | None:
    from PIL import Image

    try:
        with Image.open(file) as img:
            fmt = img.format or ""
            img.verify()
    except Exception:
        return None
    finally:
        file.seek(0)
    return IMAGE_FORMATS.get(fmt)
