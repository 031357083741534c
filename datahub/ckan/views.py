"""The HTTP side: parameters read as CKAN reads them, and CKAN's envelope."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from datahub.ckan.actions import ACTIONS, status_show
from datahub.ckan.dicts import BadRequest, Invalid, NotFound, SearchQueryError


def _mixed(query: Any) -> dict[str, Any]:
    """CKAN's reading of query strings and forms: a key given once is a string,
    a key given more than once a list (``fq_list`` is always a list)."""
    params: dict[str, Any] = {}
    for key in query:
        values = query.getlist(key)
        params[key] = values[0] if len(values) == 1 and key != "fq_list" else values
    return params


def _params(request: HttpRequest) -> dict[str, Any]:
    """The action's parameters, where CKAN takes them from: a form (URL-encoded or
    multipart) for POSTs that send one, else a JSON body, else the query string."""
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = _mixed(request.POST)
        # CKAN's old clients post the JSON object as the only key of a form.
        if len(form) == 1 and next(iter(form.values())) in ("", "1"):
            try:
                body = json.loads(next(iter(form)))
            except ValueError:
                body = None
            if isinstance(body, dict):
                return body
        return form
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            raise BadRequest(f"JSON Error: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest(
                f"Bad request data: Request data JSON decoded to {body!r} but it "
                "needs to be a dictionary."
            )
        return body
    return _mixed(request.GET)


def _envelope(
    request: HttpRequest, name: str, status: int, **fields: Any
) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("ckan:action", kwargs={"name": "help_show"}))
        + f"?name={name}"
    )
    response = JsonResponse(
        {"help": help_url, **fields},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _failure(
    request: HttpRequest, name: str, status: int, error: dict[str, Any]
) -> JsonResponse:
    """CKAN's envelope of a failed action: ``success`` false and the ``error``."""
    return _envelope(request, name, status, success=False, error=error)


@csrf_exempt
@never_cache
def action(request: HttpRequest, name: str) -> JsonResponse:
    """``GET|POST /api/action/<name>`` and ``/api/3/action/<name>``: CKAN's
    envelope around each action, with CKAN's status codes."""
    function = ACTIONS.get(name)
    if function is None:
        return _failure(
            request,
            name,
            400,
            {"message": f"Bad request - Action name not known: {name}"},
        )
    try:
        result = function(request, _params(request))
    except BadRequest as exc:
        return _failure(request, name, 400, {"message": f"Bad request - {exc}"})
    except NotFound as exc:
        message = f"Not found: {exc}" if str(exc) else "Not found"
        return _failure(
            request, name, 404, {"__type": "Not Found Error", "message": message}
        )
    except Invalid as exc:
        return _failure(
            request, name, 409, {"__type": "Validation Error", **exc.errors}
        )
    except SearchQueryError as exc:
        # CKAN answers a query Solr cannot parse with 400, not 409.
        return _failure(
            request, name, 400, {"__type": "Search Query Error", "message": str(exc)}
        )
    return _envelope(request, name, 200, success=True, result=result)


@never_cache
def api_version(request: HttpRequest, ver: int = 1) -> JsonResponse:
    """``/api/`` and ``/api/3``: the API version, as CKAN answers it."""
    response = JsonResponse({"version": ver})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
def util_status(request: HttpRequest) -> JsonResponse:
    """``/api/util/status``: CKAN's site status."""
    data = status_show(request, {})
    data.pop("api_version")
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response
