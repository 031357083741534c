"""Helpers shared by the data hub pages."""

from __future__ import annotations

from django.http import (
    HttpRequest,
)

from accounts.models import User

PREVIEW_ROWS = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user
