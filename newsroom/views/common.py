"""Helpers shared by the newsroom's views."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    HttpRequest,
)

from accounts.models import User

PROVINCE = settings.HOME_REGION


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        return 1
