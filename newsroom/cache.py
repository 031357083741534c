"""Caching of public pages, dropped whenever published content changes.

Every cached fragment's key carries a version number; ``bump`` (called after a
publication, an edit of a published article, a moderated comment…) moves the
version on, so every page is rebuilt on its next request. Only the page's content
is cached, never its shell (the CSRF token and the signed-in user's menu).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "newsroom:version"


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        value = int(time.time() * 1000)
        cache.add(VERSION_KEY, value, timeout=None)
        value = cache.get(VERSION_KEY, value)
    return int(value)


def _bump_now() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def bump() -> None:
    """Invalidate every cached page once the current transaction commits."""
    transaction.on_commit(_bump_now)


def cached(name: str, parts: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """``build()``'s result, cached under the current version, page and language."""
    raw = ":".join(str(p) for p in parts)
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]
    key = f"newsroom:{version()}:{name}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return value


CSRF_MARK = "__SIMPUL_CSRF__"
_TOKEN_RE = re.compile(
    r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,64})(")'
)


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and not request.headers.get("HX-Request")
        and set(request.GET) <= {"page"}
    )


def anonymous_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page to anonymous visitors from the cache, whole.

    Only requests without a session (nothing personal on the page) are cached;
    the page's CSRF tokens are swapped for a mark when stored and for this
    visitor's own token when served, so forms on cached pages keep working.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _anonymous(request):
            return view(request, *args, **kwargs)
        key = f"newsroom:{version()}:page:{get_language()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            html = _TOKEN_RE.sub(
                lambda m: m[1] + CSRF_MARK + m[3], response.content.decode()
            )
            cache.set(
                key,
                (html, response["Content-Type"]),
                timeout=settings.NEWSROOM_PAGE_CACHE_SECONDS,
            )
            return response
        html, content_type = stored
        if CSRF_MARK in html:
            html = html.replace(CSRF_MARK, get_token(request))
        return HttpResponse(html, content_type=content_type)

    return wrapper
