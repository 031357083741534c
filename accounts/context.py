"""The request being served, for services that record who did what from where."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

from core.clientip import client_ip as _client_ip

current_request: ContextVar[HttpRequest | None] = ContextVar(
    "current_request", default=None
)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return _client_ip(request) or None
