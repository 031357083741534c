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


def without_control_chars(value: Any) -> Any:
    """A JSON-like value with the control characters taken out of every string
    (keys included): for what others send us that we must keep, not refuse."""
    if isinstance(value, str):
        return CONTROL_CHARS.sub("", value)
    if isinstance(value, list):
        return [without_control_chars(v) for v in value]
    if isinstance(value, dict):
        return {
            without_control_chars(k): without_control_chars(v) for k, v in value.items()
        }
    return value


def find_control_chars(value: Any, *, path: str = "", depth: int = 0) -> str | None:
    """The dotted path (``"text"``, ``"items.0.name"``) of the first key or string
    of a JSON-like value holding a control character, or None."""
    if isinstance(value, str):
        return path if has_control_chars(value) else None
    if depth > 64:
        return None  # deeper documents are refused before they are parsed
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    for key, item in items:
        where = f"{path}.{key}" if path else key
        if has_control_chars(key):
            return where
        found = find_control_chars(item, path=where, depth=depth + 1)
        if found is not None:
            return found
    return None


class ControlCharactersValidator:
    """On every form ``CharField`` (installed by ``core.apps``): refuses control
    characters but tab, newline and carriage return. NUL is left to Django's own
    validator, which every CharField has and whose error code this one shares,
    so a form's own wording for it applies to both and a text holding NUL and
    other control characters gets one message, not two."""

    code = "null_characters_not_allowed"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and "\x00" not in value and has_control_chars(value):
            raise ValidationError(
                _("The text contains forbidden control characters (such as NUL)."),
                code=self.code,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def validate_finite(value: Any) -> None:
    """Refuse NaN and ±Infinity (``1e308 * 10`` is stored as ``Infinity``)."""
    try:
        finite = math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        finite = False
    if not finite:
        raise ValidationError(_("Enter a finite number."), code="not_finite")
