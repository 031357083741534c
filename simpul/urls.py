from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.static import serve

from core.views import favicon, healthz, robots_txt
from simpul.admin import restrict_admin_to_superusers
from simpul.api import api
from simpul.sitemaps import SITEMAPS

restrict_admin_to_superusers(admin.site)

handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    # Browsers ask for /favicon.ico whatever the page says: the SVG icon answers.
    path(
        "favicon.ico",
        favicon,
        name="favicon",
    ),
    path(
        "sitemap.xml",
        cache_page(3600)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("accounts.urls")),
    path("", include("regions.urls")),
    path("", include("newsroom.urls")),
    # CKAN's API (read side) at its standard paths, for CKAN harvesters and clients.
    path("api/", include("datahub.ckan_urls")),
    path("", include("datahub.urls")),
    path("", include("network.urls")),
    path("", include("connectivity.urls")),
    path("", include("factcheck.urls")),
    path("", include("channels.urls")),
]

if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
