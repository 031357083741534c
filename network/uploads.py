"""Where the network app stores uploads (photos, decrees) under MEDIA_ROOT, with
generated names; the checks themselves are ``core.uploads``."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.utils import timezone

from core.uploads import IMAGE, MAX_UPLOAD_BYTES, PDF, check_upload

__all__ = ["IMAGE", "MAX_UPLOAD_BYTES", "PDF", "check_upload", "upload_path"]


def upload_path(instance: Any, filename: str) -> str:
    """``network/<model>/<yyyy>/<random>.<ext>``: no user-chosen names on disk."""
    ext = PurePosixPath(filename).suffix.lower().lstrip(".")[:5] or "bin"
    model = type(instance).__name__.lower()
    return f"network/{model}/{timezone.now():%Y}/{secrets.token_hex(10)}.{ext}"
