"""Tipsters' contacts (phone numbers, Telegram chat ids): hashed and encrypted.

A keyed hash (HMAC-SHA256) finds a tipster again without storing the number in
clear; the number itself is kept encrypted (Fernet) only so that the verdict can
be sent back. Both keys are derived from ``SECRET_KEY``; staff see masked numbers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from accounts.phones import mask_phone


def _derive(purpose: str) -> bytes:
    return hashlib.sha256(
        f"simpul.factcheck.{purpose}:{settings.SECRET_KEY}".encode()
    ).digest()


def contact_hash(channel: str, contact: str) -> str:
    """HMAC-SHA256 of ``channel:contact`` (hex), the same for the same person."""
    return hmac.new(
        _derive("hash"), f"{channel}:{contact}".encode(), hashlib.sha256
    ).hexdigest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("fernet")))


def contact_encrypt(contact: str) -> str:
    return _fernet().encrypt(contact.encode()).decode()


def contact_decrypt(token: str) -> str | None:
    """The contact in clear, or None if the token is empty or was made with
    another key (e.g. after SECRET_KEY changed)."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def contact_mask(channel: str, contact: str) -> str:
    """What staff may see: ``+62812•••••890`` or ``tg:12•••89``."""
    if contact.startswith("+"):
        return mask_phone(contact)
    if len(contact) <= 4:
        return f"{channel}:" + "•" * len(contact)
    return f"{channel}:{contact[:2]}{'•' * (len(contact) - 4)}{contact[-2:]}"
