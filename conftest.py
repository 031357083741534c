"""Test set-up shared by every app.

Settings switch to test defaults under pytest (see ``simpul/settings.py``); here
tests get Kaltim's regions from the fixture the project ships, and a fresh cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent


def _load_regions() -> None:
    from django.core.management import call_command

    from regions.models import Region

    if not Region.objects.filter(kode="64").exists():
        call_command("import_regions", source=REPO / "regions" / "data", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    # Loaded once, outside the tests' transactions, so every test sees the regions.
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _load_regions()


@pytest.fixture
def kaltim(db: None) -> None:
    """Kaltim's regions and boundaries. Transactional tests (which pytest-django runs
    last) empty the tables afterwards, so they load them again themselves."""
    _load_regions()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield


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
        password: str = "rahasia-Kaltim-2026",
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
