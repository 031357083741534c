"""Helpers shared by the network pages."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from core.viewtools import choice_param
from network.importing import (
    FORMATS,
)

PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _fmt(request: HttpRequest) -> str | None:
    return choice_param(request, "format", FORMATS) or None


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)
