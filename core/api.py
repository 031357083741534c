"""Small pieces shared by the apps' JSON APIs (django-ninja)."""

from __future__ import annotations

from typing import TypeVar

from ninja.errors import HttpError

T = TypeVar("T")


def found_or_404(found: T | None, message: str) -> T:
    """``found``, or a 404 with ``message`` (Indonesian, shown to API clients) when a
    selector found nothing."""
    if found is None:
        raise HttpError(404, message)
    return found
