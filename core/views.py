from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache

from core.health import registered_checks
from core.selectors import database_status_within, worker_status


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and worker status; 503 when the database is unusable or does not
    answer in time (the check has a deadline: a locked or unreachable database
    never holds this page, which load balancers poll)."""
    database = database_status_within()
    checks: dict[str, object] = {"database": database}
    if database["status"] == "ok":
        checks["worker"] = worker_status()
        for name, check in registered_checks().items():
            checks[name] = check()
    degraded = any(
        isinstance(v, dict) and v.get("status") != "ok" for v in checks.values()
    )
    status = "degraded" if degraded else "ok"
    if database["status"] != "ok":
        status = "error"
    code = 503 if status == "error" else 200
    return JsonResponse({"status": status, **checks}, status=code)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: JSON under /api/ (a 503 when the database is gone), the
    HTML page elsewhere.  Called inside Django's ``except`` block, for errors
    that happen outside the API's own handlers (a middleware's query, say)."""
    if not _is_api(request):
        return defaults.server_error(request)
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return JsonResponse(
            {"detail": "Basis data tidak dapat dihubungi; coba lagi sebentar lagi."},
            status=503,
        )
    return JsonResponse({"detail": "Terjadi kesalahan di server."}, status=500)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("Too many requests. Please wait a minute and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "rate_limited"}, status=429)
    return render(request, "core/429.html", {"message": message}, status=429)


# Crawlers may read every public page; staff desks, sign-in, the admin, the
# API (for integrators, with its own docs), webhooks and per-person links
# (participants' pages, check-ins, unsubscribe) are not for search results.
ROBOTS_DISALLOW = [
    "/admin/",
    "/staf/",
    "/kabar/staf/",
    "/api/",
    "/hooks/",
    "/tipline/",
    "/berhenti/",
    "/sosial/",
    "/masuk/",
    "/keluar/",
    "/lupa-sandi/",
    "/i18n/",
    "/acara/peserta/",
    "/acara/hadir/",
    "/kabar/berhenti/",
    "/kabar/hitung/",
    "/kabar/cari/",
]


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: the SVG icon answers.
    A day's redirect, not a permanent one: the icon's hashed name changes with it."""
    return HttpResponseRedirect(static("img/favicon.svg"))


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
