from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.health import register_check, registered_checks
from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def test_healthz_reports_database_and_immediate_tasks(client: Client) -> None:
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert data["database"]["status"] == "ok"
    assert data["worker"] == {"status": "ok", "mode": "immediate"}


def test_healthz_says_when_no_worker_runs(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_BACKEND
    data = client.get("/healthz").json()
    assert data["status"] == "degraded"
    assert data["worker"]["status"] == "down"
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, last_seen=now
    )
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert data["worker"]["workers"] == 1
    WorkerHeartbeat.objects.update(last_seen=now - timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"]["status"] == "down"


def test_registered_checks_appear(client: Client) -> None:
    before = registered_checks()
    register_check("matching", lambda: {"status": "degraded", "reason": "no model"})
    try:
        data = client.get("/healthz").json()
        assert data["matching"]["reason"] == "no model"
        assert data["status"] == "degraded"
    finally:
        import core.health

        core.health._checks = before


def test_healthz_answers_503_when_the_database_check_hangs(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import core.selectors

    release = threading.Event()

    def hanging(conn: object = None) -> dict[str, object]:
        release.wait(30)  # a locked SQLite file, a server that stopped answering
        return {"status": "ok", "vendor": "sqlite"}

    monkeypatch.setattr(core.selectors, "database_status", hanging)
    monkeypatch.setattr(core.selectors, "DATABASE_CHECK_SECONDS", 0.2)
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        data = response.json()
        assert data["status"] == "error"
        assert data["database"]["error"] == "timed out"
        # The hung check still waits: the next call does not start another.
        threads = threading.active_count()
        assert client.get("/healthz").status_code == 503
        assert threading.active_count() == threads
    finally:
        release.set()


def test_healthz_answers_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    # Every new connection fails (the check runs on a fresh one).
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"


def test_the_database_check_uses_an_impatient_connection() -> None:
    from core.selectors import _impatient_connection, database_status

    conn = _impatient_connection(1.5)
    try:
        assert database_status(conn)["status"] == "ok"
        options = conn.settings_dict["OPTIONS"]
        if conn.vendor == "sqlite":
            assert options["timeout"] == 1.5  # not the 20 s busy wait of pages
        elif conn.vendor == "postgresql":
            assert options["connect_timeout"] == 2
            assert "statement_timeout=1500" in options["options"]
    finally:
        conn.close()
