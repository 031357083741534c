from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": "Simpul",
        "SITE_URL": settings.SITE_URL,
        "HOME_REGION": settings.HOME_REGION,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "OFFICE_LOGO_URL": settings.OFFICE_LOGO_URL,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        # The page's address without its query string (og:url).
        "PAGE_URL": request.build_absolute_uri(request.path),
    }
