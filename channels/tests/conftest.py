from collections.abc import Iterator
from typing import Any

import pytest

from channels.tests.fixtures import (  # noqa: F401 (fixtures)
    _routes,
    _unlimited,
    fake_graph,
    fake_sms,
    fake_telegram,
    fake_whatsapp,
    mail,
    post_hook,
)


@pytest.fixture(autouse=True)
def _no_app_routes() -> Iterator[None]:
    """Channels is tested alone: the apps' routes (factcheck's tipline takes
    every text) are tested in the apps."""
    from channels import routes

    with routes.registry_snapshot(empty=True):
        yield


# --- social accounts (shared by the test_social* modules) ---------------------------
KIM_VILLAGE = "64.02.06.1001"  # Tenggarong, Kutai Kartanegara


@pytest.fixture
def kim(kaltim: None) -> Any:
    from network.models import Kim
    from network.social import register

    register()  # the owner kind network registers from its hooks
    return Kim.objects.create(name="KIM Maju Bersama", region_id=KIM_VILLAGE)


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("regency_admin", "64.02", full_name="Admin Kukar")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    # The outbox validates image URLs (a dotless host like "testserver" fails).
    settings.SITE_URL = "http://localhost:8101"
    return tmp_path
