"""API authentication: bearer tokens (``Authorization: Bearer smp_…``) or a session.

Write endpoints take ``auth=token_or_session``; reads of public data take none.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from accounts.models import User
from accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's session (CSRF checked by django-ninja for unsafe methods)."""

    def __call__(self, request: HttpRequest) -> Any:
        # Without a signed-in session there is nothing a forged request could
        # borrow, so no CSRF check: the caller is told to authenticate (401),
        # not that a CSRF token is missing (403).
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


token_or_session = [TokenAuth(), ActiveSessionAuth()]


def api_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
