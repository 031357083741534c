"""Helpers shared by the network models: the phone pattern and the random
tokens and codes."""

from __future__ import annotations

import secrets

E164 = r"^\+[1-9][0-9]{6,14}$"


def _token() -> str:
    return secrets.token_urlsafe(16)


def _certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
