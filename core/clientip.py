"""The address of the person making a request, for rate limits and audit entries.

``X-Forwarded-For`` is written by whoever sends the request: a client can put
any address there, and a rate limit keyed on it is dodged by changing it on
every request.  Only the entries added by our own reverse proxies can be
trusted: with ``PROXY_COUNT`` proxies in front of the application, the client's
address is the ``PROXY_COUNT``-th entry from the right (each proxy appends the
address it received the connection from).  With ``PROXY_COUNT = 0`` (the
default: nothing in front, or a proxy that overwrites ``REMOTE_ADDR``) the
header is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as far as our own proxies vouch for it."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if not hops:
        return remote
    # Fewer entries than proxies: the request skipped a proxy (or the first one
    # received it directly); the leftmost entry is still one a proxy wrote.
    return hops[-min(proxies, len(hops))]
