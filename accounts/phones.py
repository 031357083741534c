"""Phone numbers in E.164, Indonesian numbers by default (08…, +62…, 62…)."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def normalize_phone(raw: str, *, default_region: str = "ID") -> str:
    """Return ``raw`` as E.164 (``+6281234567890``) or raise InvalidPhoneNumber."""
    text = (raw or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidPhoneNumber("empty")
    # "62812…" typed without the plus is common in Indonesia (WhatsApp links).
    if (
        default_region == "ID"
        and not text.startswith(("+", "0"))
        and digits.startswith("62")
    ):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """``+6281234567890`` → ``+62812•••••890``: enough to recognise, not to dial."""
    if len(e164) <= 7:
        return "•" * len(e164)
    return e164[:6] + "•" * (len(e164) - 9) + e164[-3:]


def phone_text(e164: str | None) -> str:
    """An E.164 number as people write it and spreadsheets keep it as text:
    ``+6281234567890`` → ``0812-3456-7890`` (Indonesian numbers in national
    form; others ``+1 650-253-0000``). Exports use it so that Excel neither turns
    the number into ``6.28E+12`` nor shows an escaping apostrophe (the ``+``
    start of E.164 is a formula start); ``normalize_phone`` reads it back."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 62:
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
