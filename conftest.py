"""Test set-up shared by every app.

Settings switch to test defaults under pytest (see ``simpul/settings.py``); here
tests get Kaltim's regions from the fixture the project ships, and a fresh cache.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent
# The fakes of every messaging provider, for any app's tests (channels/testing.py).
pytest_plugins = ["channels.tests.fixtures"]


def _load_regions() -> None:
    from django.core.management import call_command

    from regions.models import Region

    if not Region.objects.filter(kode="64").exists():
        call_command("import_regions", source=REPO / "regions" / "data", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> None:
    # Loaded once, outside the tests' transactions, so every test sees the regions.
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _load_regions()


@pytest.fixture
def kaltim(db: None) -> None:
    """Kaltim's regions and boundaries. Transactional tests (which pytest-django runs
    last) empty the tables afterwards, so they load them again themselves."""
    _load_regions()


@pytest.fixture
def two_provinces(kaltim: None, settings: Any) -> None:
    """One deployment serving Kaltim (64) and Kaltara (65), with Kaltara's regions
    (``regions/tests/kaltara.py``); a module of multi-province tests asks for it
    with ``pytest.mark.usefixtures("two_provinces")``."""
    from regions.tests.kaltara import KALTARA, kaltara_create

    kaltara_create()
    settings.PROVINCES = ["64", KALTARA]


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _still_ratelimit_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-ratelimit counts requests in fixed windows (a minute for "10/m"):
    a test that sends limit + 1 requests across a window's end would see the
    count start again and the limit never reached.  Its clock stands still
    within each test."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(
        django_ratelimit.core, "time", SimpleNamespace(time=lambda: now)
    )


@pytest.fixture
def shared_data() -> Path:
    """The read-only data beside the checkout; skips the test where it is absent."""
    from django.conf import settings

    path = Path(settings.SHARED_DATA_DIR)
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (set SIMPUL_SHARED_DATA)")
    return path


@pytest.fixture
def make_user(kaltim: None):  # type: ignore[no-untyped-def]
    """Create an account: ``make_user("regency_admin", "64.02")``."""
    from accounts.models import User
    from regions.models import Region

    counter = iter(range(1, 10_000))

    def make(
        role: str,
        region: str | None,
        *,
        password: str = "rahasia-Kaltim-2026",  # noqa: S107 (test accounts)
        email: str | None = None,
        **extra: object,
    ) -> User:
        n = next(counter)
        return User.objects.create_user(
            email or f"{role}{n}@example.org",
            password,
            full_name=extra.pop("full_name", f"{role} {n}"),  # type: ignore[arg-type]
            role=role,
            region=Region.objects.get(kode=region) if region else None,
            **extra,
        )

    return make


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Debian Chromium driven by Playwright; skips where none is installed."""
    import os
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium): browser test skipped"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls that
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class _LiveServerGate:
    """Serialises the live server's requests on in-memory SQLite, and shuts the
    server to a test's browser once the test is over (see ``page``)."""

    lock = threading.Lock()
    closed = False


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time() -> Iterator[None]:
    """On in-memory SQLite every live-server thread shares the test's one connection,
    and two requests at once (a page and its service worker warming its cache) fail
    with "database table is locked", a failure of the test set-up that production,
    with a connection per thread, never has. There the server answers one request
    at a time, still on a thread per connection so a kept-alive one blocks nobody.

    The same shared connection empties the database after each test: a request
    still running then (a service worker's fetch, a beacon) writes into the flush
    and fails it with "FOREIGN KEY constraint failed". So a closed gate answers
    503 without touching the database."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    # Asked before the test database exists: Django tests SQLite in memory unless
    # the settings name a test database file.
    if connection.vendor != "sqlite" or connection.settings_dict["TEST"]["NAME"]:
        yield
        return

    class OneAtATime(ThreadedWSGIServer):
        def set_app(self, application):  # type: ignore[no-untyped-def]
            def locked(environ, start_response):  # type: ignore[no-untyped-def]
                with _LiveServerGate.lock:
                    if _LiveServerGate.closed:
                        start_response("503 Service Unavailable", [])
                        return [b""]
                    return application(environ, start_response)

            super().set_app(locked)

    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = original


@pytest.fixture(autouse=True)
def live_server_gate() -> type[_LiveServerGate]:
    """Each test's live server answers again (``page`` closed it after the last)."""
    with _LiveServerGate.lock:
        _LiveServerGate.closed = False
    return _LiveServerGate


@pytest.fixture
def page(browser, live_server, settings, kaltim):  # type: ignore[no-untyped-def]
    """A fresh browser page that may reach only the test server."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else route.abort()
        ),
    )
    page = context.new_page()
    # A loaded CI machine (2 cores, service workers installing) can take longer
    # than Playwright's default 5 s to show what a test waits for.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # Waits for a request still being answered, and turns away any that the
    # closed browser left behind, before the test's database is emptied.
    with _LiveServerGate.lock:
        _LiveServerGate.closed = True


@pytest.fixture
def sign_in(page, live_server):  # type: ignore[no-untyped-def]
    """Sign the browser ``page`` in through the login form as a ``make_user``
    account (email or phone), leaving it on the staff home; signs out whoever was
    in first, so a story can pass from one account to the next."""

    def go(username: str) -> None:
        page.context.clear_cookies()
        page.goto(live_server.url + "/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "rahasia-Kaltim-2026")
        page.click("button[type=submit]")
        page.wait_for_url("**/staf/")

    return go
