"""Every operation of the OpenAPI, fed generated input by schemathesis.

A bounded property-based run (a fixed number of examples per operation, a fixed
seed): no answer may be a 5xx, and every answer must match the schema the
OpenAPI documents for its status.  The demo data is loaded so that ids in paths
resolve; requests carry a provincial admin's token so that staff operations
are reached too.  Select it alone with ``pytest -m openapi``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

EXAMPLES = int(os.environ.get("SIMPUL_FUZZ_EXAMPLES", "12"))


def _wsgi() -> Any:
    django_app = get_wsgi_application()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        # A WSGI server always sets the caller's address; the test transport
        # does not, and the per-IP limits read it.
        environ.setdefault("REMOTE_ADDR", "203.0.113.7")
        return django_app(environ, start_response)

    return app


def _ids() -> dict[str, dict[str, Any]]:
    """Path parameters of the demo data, by the path they belong to."""
    from connectivity.models import Place, Programme, Tower, VillageStatus
    from datahub.models import Dataset, InfoRequest
    from factcheck.models import Claim, FactCheck
    from network.models import Activity, Event, Forum, Kim
    from newsroom.models import Article

    def pk(model: Any) -> int | None:
        first = model.objects.order_by("pk").first()
        return first.pk if first is not None else None

    dataset = Dataset.objects.order_by("pk").first()
    resource = dataset.resources.order_by("pk").first() if dataset else None
    request = InfoRequest.objects.order_by("pk").first()
    article = Article.objects.order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    village = VillageStatus.objects.order_by("region_id").first()
    found = {
        "kode": "64.02",
        "kim_id": pk(Kim),
        "forum_id": pk(Forum),
        "event_id": pk(Event),
        "activity_id": pk(Activity),
        "factcheck_id": pk(FactCheck),
        "claim_id": pk(Claim),
        "request_id": request.pk if request else None,
        "number": request.tracking_number if request else None,
        "article_id": article.pk if article else None,
        "key": article.slug if article else None,
        "resource_id": str(resource.pk) if resource else None,
    }
    by_path: dict[str, dict[str, Any]] = {
        "/connectivity/places/": {"pk": pk(Place)},
        "/connectivity/towers/": {"pk": pk(Tower)},
        "/connectivity/programmes/": {"slug": programme.slug if programme else None},
        "/data/datasets/": {"slug": dataset.slug if dataset else None},
        "/connectivity/villages/": {"kode": village.region_id if village else None},
    }
    return {"": found, **by_path}


def _path_parameters(path: str, names: set[str], ids: dict[str, Any]) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for name in names:
        value = ids[""].get(name)
        for prefix, values in ids.items():
            if prefix and prefix in path and name in values:
                value = values[name]
        if value is not None:
            chosen[name] = value
    return chosen


@pytest.mark.openapi
@pytest.mark.django_db
def test_openapi_operations_never_fail(
    kaltim: None, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("load_demo", verbosity=0)
    # As Django's test client does: the requests share the test's connection
    # (and its transaction), which Django would otherwise close after each.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _run(make_user, monkeypatch)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(make_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accounts.models import Role
    from accounts.services import api_token_create
    from simpul.api import api

    ids = _ids()
    # Hundreds of requests from one token in a few seconds: the limits are
    # tested elsewhere, here they would only hide operations behind 429s.
    for operation_throttles in _all_throttles(api):
        monkeypatch.setattr(operation_throttles, "num_requests", 10**9)
    _, key = api_token_create(user=make_user(Role.PROVINCE_ADMIN, "64"), name="fuzz")
    # Uncompressed: the WSGI transport hands over the bytes as they are.
    headers = {"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"}

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _wsgi())
    failures: list[str] = []
    checks = [not_a_server_error, response_schema_conformance]
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        fixed = _path_parameters(operation.path, names, ids)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(
                generation_mode=mode,
                path_parameters=fixed if mode is GenerationMode.POSITIVE else None,
            )

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                response = case.call(headers=headers)
                case.validate_response(response, checks=checks)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing in this operation can be made invalid
            except KeyboardInterrupt:
                raise
            # Every operation runs, and every failure is reported at the end.
            except BaseException as exc:
                failures.append(f"{operation.label} [{mode.value}]: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)


def _all_throttles(api: Any) -> list[Any]:
    found: dict[int, Any] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for throttle in op.throttle_objects:
                    found[id(throttle)] = throttle
    return list(found.values())
