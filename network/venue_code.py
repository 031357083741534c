"""The check-in code shown at an event's venue: six digits that change every
few minutes (TOTP-like, RFC 6238's dynamic truncation over HMAC-SHA256).

Derived from the event's secret (``Event.checkin_token``) and the time window,
so a photo of the screen shared on WhatsApp stops working minutes later. The
code of the previous window is accepted too: a participant who read it just
before it changed is not turned away.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

PERIOD_SECONDS = 180
DIGITS = 6


def window_of(moment: datetime) -> int:
    return int(moment.timestamp()) // PERIOD_SECONDS


def code_for(secret: str, event_id: int, window: int) -> str:
    message = f"{event_id}:{window}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_code(secret: str, event_id: int, moment: datetime) -> str:
    return code_for(secret, event_id, window_of(moment))


def seconds_left(moment: datetime) -> int:
    """Seconds until the code shown at ``moment`` changes."""
    return PERIOD_SECONDS - int(moment.timestamp()) % PERIOD_SECONDS


def code_valid(secret: str, event_id: int, code: str, moment: datetime) -> bool:
    """Whether ``code`` is this window's or the previous one's."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return False
    window = window_of(moment)
    return any(
        secrets.compare_digest(code, code_for(secret, event_id, w))
        for w in (window, window - 1)
    )
