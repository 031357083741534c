from collections.abc import Iterator

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
