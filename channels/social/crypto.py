"""Access tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package) with ``SOCIAL_TOKEN_KEY``, or a key derived from
``SECRET_KEY`` when that is not set. A database dump alone gives no token."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class TokenUnreadable(Exception):
    """The stored token was encrypted with another key (a rotated secret)."""


@lru_cache(maxsize=4)
def _fernet(key_setting: str, secret: str) -> Fernet:
    if key_setting:
        return Fernet(key_setting.encode())
    digest = hashlib.sha256(f"simpul.social.token:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _current() -> Fernet:
    return _fernet(settings.SOCIAL_TOKEN_KEY, settings.SECRET_KEY)


def encrypt(token: str) -> str:
    return _current().encrypt(token.encode()).decode() if token else ""


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return _current().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise TokenUnreadable("social token: wrong key") from exc
