"""Bounds on what people and machines may send in: years, control characters,
finite numbers. One place, so that every form, API and view refuses the same
things with the same words."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 2000
# Control characters other than tab, newline and carriage return: PostgreSQL refuses
# NUL in text (a DataError, so a 500) and none of them has a place in a form field.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def year_max() -> int:
    return timezone.localdate().year + 1


def parse_year(text: str | None, *, default: int) -> int:
    """``text`` as a year between ``YEAR_MIN`` and next year (``default`` when
    empty); raises ``ValidationError`` otherwise."""
    text = (text or "").strip()
    if not text:
        return default
    if (
        not text.isascii()
        or not text.isdigit()
        or not (YEAR_MIN <= int(text) <= year_max())
    ):
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s."),
            code="year_range",
            params={"min": YEAR_MIN, "max": year_max()},
        )
    return int(text)


def has_control_chars(text: str) -> bool:
    return CONTROL_CHARS.search(text) is not None


def find_control_chars(value: Any, *, depth: int = 0) -> bool:
    """Whether a JSON-like value holds a control character in a key or a string."""
    if isinstance(value, str):
        return has_control_chars(value)
    if depth > 64:
        return False  # deeper documents are refused by the parser's own bounds
    if isinstance(value, dict):
        return any(
            has_control_chars(str(k)) or find_control_chars(v, depth=depth + 1)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(find_control_chars(v, depth=depth + 1) for v in value)
    return False


def validate_finite(value: Any) -> None:
    """Refuse NaN and ±Infinity (``1e308 * 10`` is stored as ``Infinity``)."""
    try:
        finite = math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        finite = False
    if not finite:
        raise ValidationError(_("Enter a finite number."), code="not_finite")
