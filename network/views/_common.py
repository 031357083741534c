"""Helpers shared by the network pages."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from network.importing import (
    FORMATS,
)

PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)
