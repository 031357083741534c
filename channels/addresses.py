"""Addresses of people on each channel: normalised, hashed, masked.

The hash is a keyed HMAC-SHA256 (key derived from ``SECRET_KEY``, as in
``factcheck.personal``) of ``channel:address``, so a consent record finds its
person again without keeping the number in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.phones import InvalidPhoneNumber, mask_phone, normalize_phone

_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_CHAT_ID = re.compile(r"^-?[0-9]{1,20}$")


class InvalidAddress(ValueError):
    pass


def normalize(channel: str, raw: str) -> str:
    """The one spelling of an address on ``channel``, or InvalidAddress."""
    text = (raw or "").strip()
    if channel in ("whatsapp", "sms"):
        # Already E.164 (how apps store numbers): skip the costly parse, which
        # matters for a fan-out of 100,000.
        if _E164.match(text):
            return text
        try:
            return normalize_phone(text)
        except InvalidPhoneNumber as exc:
            raise InvalidAddress(f"{channel}: not a phone number") from exc
    if channel == "telegram":
        if not _CHAT_ID.match(text):
            raise InvalidAddress("telegram: not a chat id")
        return text
    if channel == "email":
        text = text.lower()
        try:
            validate_email(text)
        except ValidationError as exc:
            raise InvalidAddress("email: not an address") from exc
        return text
    if channel in ("facebook", "instagram", "x", "tiktok"):
        # A connected social account (``SocialAccount`` id): no person's address.
        if not text.isdigit():
            raise InvalidAddress(f"{channel}: not a social account id")
        return text
    raise InvalidAddress(f"unknown channel {channel!r}")


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"simpul.channels.hash:{secret}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(f"simpul.channels.seal:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(address: str) -> str:
    """``address`` encrypted (Fernet, key derived from ``SECRET_KEY``), for a
    link that must act on it without showing it: the email's unsubscribe link
    carries the address only so, for the person's erasure request."""
    return _fernet(settings.SECRET_KEY).encrypt(address.encode()).decode()


def unseal(sealed: str) -> str:
    """The address of ``seal``; "" when the text was not sealed here."""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def address_hash(channel: str, address: str) -> str:
    """HMAC-SHA256 (hex) of ``channel:address`` (a normalised address)."""
    return hmac.new(
        _key(settings.SECRET_KEY), f"{channel}:{address}".encode(), hashlib.sha256
    ).hexdigest()


def mask(channel: str, address: str) -> str:
    """What staff may see: ``+62812•••••890``, ``tg:12•••89``, ``a•••@example.org``."""
    if address.startswith("+"):
        return mask_phone(address)
    if channel == "email" and "@" in address:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    if len(address) <= 4:
        return "•" * len(address)
    return f"{address[:2]}{'•' * (len(address) - 4)}{address[-2:]}"
