"""The test set-up's live server (``conftest.py``): once a browser test is over, a
request its closed browser left behind is turned away before the database is
emptied, instead of writing into the flush."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as answer:  # noqa: S310 (the test server)
            return int(answer.status)
    except HTTPError as error:
        return error.code


def test_a_closed_gate_answers_503(live_server, live_server_gate) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("the gate guards in-memory SQLite only (one shared connection)")
    assert _status(live_server.url + "/healthz") == 200
    with live_server_gate.lock:
        live_server_gate.closed = True
    assert _status(live_server.url + "/healthz") == 503


def test_the_next_test_finds_the_gate_open(live_server) -> None:  # type: ignore[no-untyped-def]
    assert _status(live_server.url + "/healthz") == 200
