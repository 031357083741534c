"""The one guarded fetcher for URLs that staff or citizens give us (feeds, links).

A URL typed into a form must not reach the machine's own network: the fetcher
speaks http/https only, resolves the host itself and refuses private, loopback,
link-local, reserved, multicast and cloud-metadata addresses (IPv4-mapped IPv6
too), then connects to the very address it checked while keeping the Host header
and TLS server name (no DNS-rebinding gap between check and connect). Redirects
are followed by hand and each hop is checked again; bodies are streamed and cut
off at a size and a total time; no cookies are kept; the environment's proxies
are ignored.

Errors (``FetchError``) carry a message fit for staff pages: every connection
failure reads the same, so a stored error never tells an open port from a
closed one.

``FETCH_ALLOWED_HOSTS`` (settings, from the environment) lists host names or
addresses fetched even when they resolve to a refused address (tests use
127.0.0.1; an intranet feed could be listed on purpose).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from django.conf import settings
from django.utils.translation import gettext, gettext_noop

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints; most are link-local or private already, listed so
# that no change in Python's tables can let them through.
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class FetchError(Exception):
    """A fetch failed; ``str()`` is safe to store and show to staff, in the
    language active when it is read."""

    def __init__(
        self, message: str, *, temporary: bool = False, **params: object
    ) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        # Worth trying again later: the server was slow, down or overloaded.
        self.temporary = temporary

    def __str__(self) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text


class FetchRefused(FetchError):
    """The URL or an address it resolves to is not allowed."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status_code: int
    content_type: str
    content: bytes
    encoding: str = "utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.encoding, errors="replace")
        except LookupError:  # an unknown charset named by the server
            return self.content.decode("utf-8", errors="replace")


def address_allowed(ip: IPAddress) -> bool:
    """A public unicast address (for IPv4-mapped IPv6, the IPv4 inside)."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo is not None:
            ip = ip.teredo[1]
    if ip in _METADATA:
        return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def _host_allowed_by_setting(host: str) -> bool:
    allowed = {h.lower() for h in getattr(settings, "FETCH_ALLOWED_HOSTS", [])}
    return host.lower() in allowed


def resolve(host: str, port: int) -> str:
    """The address to connect to for ``host``; refuses when any address it
    resolves to is not public (unless the host is listed in
    ``FETCH_ALLOWED_HOSTS``)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        # A resolver that failed (not "no such name") may answer later.
        temporary = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_FAIL", -1))
        raise FetchError(gettext_noop("host not found"), temporary=temporary) from exc
    except UnicodeError as exc:
        raise FetchError(gettext_noop("host not found")) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(gettext_noop("host not found"))
    if not _host_allowed_by_setting(host) and not all(
        address_allowed(ip) for ip in addresses
    ):
        raise FetchRefused(gettext_noop("address not allowed"))
    return str(addresses[0])


class PinnedTransport(httpx.HTTPTransport):
    """Resolves and checks the host of each request, then connects to that
    address; the Host header and the TLS server name stay the host's name."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise FetchRefused(gettext_noop("only http and https URLs are fetched"))
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        address = resolve(host, port)
        request.url = url.copy_with(host=address)
        request.headers["Host"] = url.netloc.decode("ascii")
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


def fetch(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` under the guards described in this module's docstring.

    ``timeout`` bounds the whole fetch (every hop, every byte); a non-2xx final
    answer raises ``FetchError("HTTP <code>")``."""
    total = float(timeout or settings.OUTGOING_HTTP_TIMEOUT)
    deadline = time.monotonic() + total
    with httpx.Client(
        transport=PinnedTransport(),
        follow_redirects=False,
        trust_env=False,
        headers=headers or {},
    ) as client:
        for _hop in range(max_redirects + 1):
            try:
                parsed = httpx.URL(url)
            except httpx.InvalidURL as exc:
                raise FetchRefused(gettext_noop("invalid URL")) from exc
            if parsed.scheme not in ("http", "https") or not parsed.host:
                raise FetchRefused(gettext_noop("only http and https URLs are fetched"))
            client.cookies.clear()  # nothing a server sets travels on
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(gettext_noop("timed out"), temporary=True)
            try:
                with client.stream("GET", parsed, timeout=left) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location", "")
                        if not location:
                            raise FetchError("HTTP %(code)d", code=response.status_code)
                        url = urljoin(str(parsed), location)
                        continue
                    if not response.is_success:
                        code = response.status_code
                        raise FetchError(
                            "HTTP %(code)d", code=code, temporary=_busy(code)
                        )
                    body = _read_limited(response, max_bytes, deadline)
                    return Fetched(
                        url=str(parsed),
                        status_code=response.status_code,
                        content_type=response.headers.get("Content-Type", ""),
                        content=body,
                        encoding=response.charset_encoding or "utf-8",
                        headers=dict(response.headers),
                    )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # One message whether refused, unreachable or filtered: port
                # state stays private.
                raise FetchError(
                    gettext_noop("connection failed"), temporary=True
                ) from exc
            except httpx.TimeoutException as exc:
                raise FetchError(gettext_noop("timed out"), temporary=True) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    gettext_noop("connection failed"), temporary=True
                ) from exc
        raise FetchError(gettext_noop("too many redirects"))


def _busy(status: int) -> bool:
    """An answer that may be different later: rate-limited or a server error."""
    return status in (408, 425, 429) or status >= 500


def _read_limited(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(gettext_noop("larger than %(bytes)d bytes"), bytes=max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                gettext_noop("larger than %(bytes)d bytes"), bytes=max_bytes
            )
        if time.monotonic() > deadline:
            raise FetchError(gettext_noop("timed out"), temporary=True)
        chunks.append(chunk)
    return b"".join(chunks)
