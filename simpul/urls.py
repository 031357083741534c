from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from core.views import healthz
from simpul.admin import restrict_admin_to_superusers
from simpul.api import api

restrict_admin_to_superusers(admin.site)

handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("accounts.urls")),
    path("", include("regions.urls")),
    path("", include("newsroom.urls")),
    # CKAN action API (read side) at its standard paths, for CKAN harvesters.
    path("api/3/action/", include("datahub.ckan_urls")),
    path("", include("datahub.urls")),
    path("", include("network.urls")),
    path("", include("connectivity.urls")),
    path("", include("factcheck.urls")),
]

if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
