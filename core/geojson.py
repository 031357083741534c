"""GeoJSON as RFC 7946 wants it: exterior rings counter-clockwise, holes
clockwise, served as ``application/geo+json``."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from geojson_rewind import rewind

GEOJSON_TYPE = "application/geo+json"


def rfc7946_geometry(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a geometry with its rings wound the RFC 7946 way (the boundary
    files we import wind them clockwise)."""
    if not geometry or not isinstance(geometry, dict) or "type" not in geometry:
        return geometry
    return rewind(geometry)


def geojson_response(data: dict[str, Any], **kwargs: Any) -> HttpResponse:
    """A GeoJSON object (Feature, FeatureCollection…) as ``application/geo+json``."""
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type=GEOJSON_TYPE,
        **kwargs,
    )
