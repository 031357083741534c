"""The guarded fetcher, against local servers on 127.0.0.1 (allowed by name where a
test needs to reach them)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import translation

from core.fetch import FetchError, FetchRefused, address_allowed, fetch

_real_getaddrinfo = socket.getaddrinfo


class Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.streamed = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                if self.path == "/ok":
                    body = b"hello"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Set-Cookie", "session=secret")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("?to=", 1)[1])
                    self.send_header("Set-Cookie", "session=secret")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/endless":
                    self.send_response(200)
                    self.end_headers()  # no length: read until the server stops
                    chunk = b"x" * 8192
                    try:
                        while True:
                            self.wfile.write(chunk)
                            server.streamed += len(chunk)
                    except OSError:
                        pass
                elif self.path == "/slow":
                    self.send_response(200)
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.1)
                    except OSError:
                        pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Made-up names resolve to the addresses given here (a fake DNS)."""
    names: dict[str, str] = {}

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return _real_getaddrinfo(names[host], port, *args, **kwargs)
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.5",
        "100.64.0.1",
        "169.254.169.254",
        "169.254.1.1",
        "0.0.0.0",  # noqa: S104 (an address checked, nothing bound)
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_internal_addresses_are_not_allowed(address: str) -> None:
    assert not address_allowed(ipaddress.ip_address(address))


def test_public_addresses_are_allowed() -> None:
    assert address_allowed(ipaddress.ip_address("36.86.63.182"))
    assert address_allowed(ipaddress.ip_address("2001:4860:4860::8888"))


def test_loopback_private_link_local_and_metadata_urls_are_refused(
    server: Server,
) -> None:
    for url in [
        f"http://127.0.0.1:{server.port}/ok",
        f"http://[::ffff:127.0.0.1]:{server.port}/ok",
        f"http://localhost:{server.port}/ok",
        "http://10.0.0.8/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::1]/",
    ]:
        with pytest.raises(FetchRefused, match="address not allowed"):
            fetch(url)
    assert server.requests == []  # nothing reached the server


def test_a_name_resolving_to_a_private_address_is_refused(dns: dict[str, str]) -> None:
    dns["intranet.test"] = "10.20.30.40"
    with pytest.raises(FetchRefused):
        fetch("http://intranet.test/feed.xml")


def test_other_schemes_are_refused() -> None:
    for url in ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "x"]:
        with pytest.raises(FetchRefused):
            fetch(url)


def test_an_allowed_host_is_fetched_at_the_checked_address_with_its_name(
    server: Server, dns: dict[str, str], settings: Any
) -> None:
    dns["feeds.test"] = "127.0.0.1"
    settings.FETCH_ALLOWED_HOSTS = ["feeds.test"]
    got = fetch(f"http://feeds.test:{server.port}/ok")
    assert got.text == "hello" and got.status_code == 200
    path, headers = server.requests[0]
    assert path == "/ok" and headers["Host"] == f"feeds.test:{server.port}"


def test_a_redirect_to_loopback_is_refused(
    server: Server, dns: dict[str, str], settings: Any
) -> None:
    dns["feeds.test"] = "127.0.0.1"
    settings.FETCH_ALLOWED_HOSTS = ["feeds.test"]
    target = f"http://127.0.0.1:{server.port}/ok"
    with pytest.raises(FetchRefused):
        fetch(f"http://feeds.test:{server.port}/redirect?to={target}")
    assert server.paths() == [f"/redirect?to={target}"]


def test_redirects_are_followed_without_cookies_and_limited(
    server: Server, dns: dict[str, str], settings: Any
) -> None:
    dns["feeds.test"] = "127.0.0.1"
    settings.FETCH_ALLOWED_HOSTS = ["feeds.test"]
    assert fetch(f"http://feeds.test:{server.port}/redirect?to=/ok").text == "hello"
    assert all("Cookie" not in headers for _, headers in server.requests)
    loop = f"/redirect?to=http://feeds.test:{server.port}/redirect?to=/ok"
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"http://feeds.test:{server.port}{loop}", max_redirects=1)


def test_an_endless_body_is_cut_off_at_the_size_limit(
    server: Server, settings: Any
) -> None:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchError, match="larger than 65536 bytes"):
        fetch(f"http://127.0.0.1:{server.port}/endless", max_bytes=65536)


def test_a_slow_server_is_timed_out(server: Server, settings: Any) -> None:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    # Each byte arrives well within any per-read timeout: only the total bound
    # stops it.
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"http://127.0.0.1:{server.port}/slow", timeout=1)


def test_connection_failures_read_the_same_whatever_the_port(
    settings: Any,
) -> None:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{closed_port}/")
    assert str(caught.value) == "connection failed"


def test_messages_are_in_the_language_of_whoever_reads_them() -> None:
    with pytest.raises(FetchError) as caught:
        fetch("http://10.0.0.8/")
    with translation.override("id"):
        assert str(caught.value) == "alamat tidak diizinkan"
    assert str(caught.value) == "address not allowed"
