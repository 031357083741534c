"""The installable app: the web app manifest, the service worker and its pages.

The service worker (static/js/sw-main.js, with Workbox from the npm registry) is
served from the site root so that it may control every page; this module gives it
its settings: the release it belongs to, the app shell to precache and the pages
that stay readable offline. The release is a hash of the app shell's files and
``SIMPUL_VERSION``, so a deploy that changes any of them installs a new worker,
which replaces the old caches whole.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

# Static files every page needs, kept by the worker from its installation on.
SHELL_STATIC = [
    "css/simpul.css",
    "js/simpul.js",
    "js/names.js",
    "js/outbox.js",
    "js/sw-register.js",
    "img/simpul.svg",
    "vendor/htmx/htmx.min.js",
    "connectivity/report.js",
    "connectivity/sinyal.css",
]
# Pages kept when the worker installs: they open offline even if never visited
# (and are refreshed, network first, whenever they are opened with signal).
WARM_PAGES = ["core:outbox", "connectivity:report", "factcheck:tip"]
# Citizen and volunteer pages (path patterns): network first, the last copy read
# when there is no signal. Everything else offline gets the offline page.
OFFLINE_PAGES = [
    r"^/$",
    r"^/cek-fakta/",
    r"^/sinyal/",
    r"^/wilayah/",
    r"^/kim/",
    r"^/kabar/",
    r"^/acara/",
    r"^/ppid/ajukan/",
    r"^/kotak-keluar/",
    r"^/luring/",
    r"^/staf/kim/\d+/kegiatan/baru/",
]
ICON_SIZES = (192, 512)


@functools.cache
def release() -> str:
    """A short hash that changes whenever the app shell or the version does."""
    digest = hashlib.sha256(getattr(settings, "SIMPUL_VERSION", "").encode())
    for name in [*SHELL_STATIC, "js/sw-main.js"]:
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()[:12]


def _config() -> dict[str, Any]:
    return {
        "release": release(),
        "workbox": static("vendor/workbox/workbox-sw.js"),
        "workboxPrefix": static("vendor/workbox/workbox-sw.js").rsplit("/", 1)[0],
        "outbox": static("js/outbox.js"),
        "staticUrl": settings.STATIC_URL,
        "precache": [static(name) for name in SHELL_STATIC] + [reverse("core:offline")],
        "warm": [reverse(name) for name in WARM_PAGES],
        "offline": reverse("core:offline"),
        "pages": OFFLINE_PAGES,
    }


def service_worker(request: HttpRequest) -> HttpResponse:
    # Served from the root for the root scope; never cached by the browser's HTTP
    # cache, so a release is seen on the next visit.
    script = (
        f"self.SIMPUL_SW = {json.dumps(_config())};\n"
        f"importScripts({json.dumps(static('js/sw-main.js'))});\n"
    )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("img/simpul.svg"), "sizes": "any", "type": "image/svg+xml"},
        *(
            {
                "src": reverse("core:icon", args=[size]),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ),
    ]
    body = {
        "name": "Simpul",
        "short_name": "Simpul",
        "description": _(
            "Community information groups (KIM) and Diskominfo of Kalimantan Timur"
        ),
        "lang": "id",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d4b",
        "icons": icons,
        "shortcuts": [
            {"name": _("Check facts"), "url": reverse("factcheck:tip")},
            {
                "name": _("Report: no signal here"),
                "url": reverse("connectivity:report"),
            },
            {"name": _("Outbox"), "url": reverse("core:outbox")},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@functools.cache
def _icon_png(size: int) -> bytes:
    """The app icon as PNG (Android wants PNGs to install), drawn with Pillow:
    the same green tile and knot as static/img/simpul.svg."""
    import io

    from PIL import Image, ImageDraw

    scale = 4  # drawn large and scaled down: smooth edges without anti-aliasing
    big = size * scale
    image = Image.new("RGB", (big, big), "#0b5d4b")
    draw = ImageDraw.Draw(image)
    unit = big / 64
    width = round(5 * unit)
    nodes = [(20, 22), (44, 22), (32, 44)]
    for (x1, y1), (x2, y2) in zip(nodes, nodes[1:] + nodes[:1], strict=True):
        draw.line(
            [(x1 * unit, y1 * unit), (x2 * unit, y2 * unit)], "#ffffff", width=width
        )
    for x, y in nodes:
        r = 7 * unit
        draw.ellipse(
            [(x * unit - r, y * unit - r), (x * unit + r, y * unit + r)], "#f2b134"
        )
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


@cache_control(max_age=30 * 86400, public=True)
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        return HttpResponse(status=404)
    return HttpResponse(_icon_png(size), content_type="image/png")


def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "core/offline.html")


def outbox(request: HttpRequest) -> HttpResponse:
    """The "Kotak keluar": the forms kept in this phone, drawn by outbox.js."""
    return render(request, "core/outbox.html")
