"""Rate limits of the JSON API, one counter per limit.

django-ninja's stock throttles keep their history under ``throttle_<scope>_<ip>``
with the scope fixed by the class, so every ``AnonRateThrottle`` shared one
counter whatever its rate: the PPID form's 10-per-hour limit counted the
ordinary reads of the 120-per-minute one, and the minute limit's cache expiry
wiped the hour's history.  Here each limit names its own scope, and the key
holds the scope and the rate.

Signed-in people (token or session) are counted per account, so colleagues
behind one office router do not share a budget; anonymous callers per IP
address, with a rate sized for the carrier-grade NAT that many phones in
Kalimantan sit behind.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.connection import ConnectionProxy
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from core.clientip import client_ip


def _account(request: HttpRequest) -> int | None:
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "pk", None) is not None:
        return int(auth.pk)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return int(user.pk)
    return None


class ScopedThrottle(SimpleRateThrottle):
    """``ScopedThrottle("ppid", "10/h", who="anon")``: ``who`` is "anon" (only
    anonymous callers, by IP), "user" (only signed-in ones, by account) or
    "any" (both)."""

    # Counted in the rate-limit cache that django-ratelimit uses too
    # (RATELIMIT_USE_CACHE: files or Redis), never in the database cache, whose
    # writes would wait on a locked database. A proxy: one cache object per thread.
    cache: Any = ConnectionProxy(caches, "ratelimit")

    def __init__(self, scope: str, rate: str, *, who: str = "any") -> None:
        self.scope = scope
        self.who = who
        super().__init__(rate)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        account = _account(request)
        if account is None and self.who == "user":
            return None
        if account is not None and self.who == "anon":
            return None
        ident = f"u{account}" if account is not None else f"ip{self.get_ident(request)}"
        return f"throttle_{self.scope}_{self.rate}_{ident}"

    def get_ident(self, request: HttpRequest) -> str | None:
        # ninja's own reads the whole X-Forwarded-For unless NUM_PROXIES is set:
        # a new made-up header on each request was a new budget.
        return client_ip(request) or None


def api_throttles() -> list[BaseThrottle]:
    """The limits every operation of the API has (an operation that sets its own
    ``throttle=`` adds to these: ninja replaces the list, it does not merge)."""
    return [
        ScopedThrottle("api-anon", settings.API_ANON_RATE, who="anon"),
        ScopedThrottle("api-user", settings.API_AUTH_RATE, who="user"),
    ]
