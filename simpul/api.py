"""The JSON API at /api/v1/: every app's router mounted on one NinjaAPI.

Errors are structured: ``{"detail": str, "errors": [{"field", "message"}]}`` with
400 for bad input (never 422 or 500), 401 without credentials, 403 for forbidden,
404 for unknown objects, 429 over a rate limit, 500/503 (JSON too) when the server
fails; every operation documents them in the OpenAPI.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as accounts_router
from connectivity.api import router as connectivity_router
from core.throttling import api_throttles
from datahub.api import router as datahub_router
from factcheck.api import router as factcheck_router
from network.api import router as network_router
from newsroom.api import router as newsroom_router
from regions.api import router as regions_router

logger = logging.getLogger("django.request")


class ErrorField(Schema):
    field: str
    message: str


class Error(Schema):
    detail: str
    errors: list[ErrorField] = []


_ERRORS = {
    400: "Masukan tidak valid.",
    401: "Perlu autentikasi (token atau sesi masuk).",
    403: "Tidak berwenang.",
    404: "Tidak ditemukan.",
    429: "Terlalu banyak permintaan.",
    500: "Kesalahan server.",
}


class SimpulAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation lists the error answers it may give, with one ``Error``
        body (401 only where credentials are asked for)."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error.pop("$defs", {}))
        components["Error"] = error
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for code, text in _ERRORS.items():
                    if code == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(code, {"description": text, "content": body})
        return schema


api = SimpulAPI(
    title="Simpul API",
    version="1",
    description=(
        "API of Simpul: regions of Kalimantan Timur (Kemendagri codes), KIM network, "
        "fact-checks, news and connectivity. Reads of public data need no "
        "authentication; writes need `Authorization: Bearer <token>` (create one at "
        "/staf/token/)."
    ),
    urls_namespace="api",
    throttle=api_throttles(),
)


def _field(loc: list[object]) -> str:
    # loc is e.g. ["query", "filters", "level"]: the last part names the field.
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(list(err.get("loc", []))), "message": err.get("msg", "")}
        for err in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Masukan tidak valid.", "errors": errors}, status=400
    )


@api.exception_handler(DjangoValidationError)
def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError
) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": m} for m in exc.messages]
    body: dict[str, object] = {"detail": "Masukan tidak valid.", "errors": errors}
    # A choice the caller must make (e.g. which of several villages a name means).
    if getattr(exc, "candidates", None):
        body["candidates"] = exc.candidates  # type: ignore[attr-defined]
    return api.create_response(request, body, status=400)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Anda tidak berwenang melakukan ini."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) or "Tidak ditemukan."
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Perlu autentikasi (token atau sesi masuk)."}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged as Django logs its own 500s, so the error still reaches the logs and
    # the admins; the caller gets JSON instead of the HTML error page.
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    if isinstance(exc, OperationalError | InterfaceError):
        return api.create_response(
            request,
            {"detail": "Basis data tidak dapat dihubungi; coba lagi sebentar lagi."},
            status=503,
        )
    return api.create_response(
        request, {"detail": "Terjadi kesalahan di server."}, status=500
    )


api.add_router("/", regions_router)
api.add_router("/", accounts_router)
api.add_router("/", newsroom_router)
api.add_router("/data/", datahub_router)
api.add_router("/", connectivity_router)
api.add_router("/", factcheck_router)
api.add_router("/", network_router)
