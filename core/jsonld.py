"""The one way the site writes schema.org JSON-LD into a page.

A title from an import, a feed or the desk may contain ``</script>``: the JSON
is escaped the way Django's ``json_script`` escapes it (``<``, ``>`` and ``&``
as ``\\u003C`` …), so no text can close the script element, and JSON readers
still get the same strings back."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_text(data: Any) -> str:
    """The JSON text, safe to put between ``<script>`` tags."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _ESCAPES
    )


def jsonld_script(data: Any) -> SafeString:
    """A ``<script type="application/ld+json">`` element holding ``data``;
    empty when there is nothing to say."""
    if not data:
        return SafeString("")
    return format_html(
        '<script type="application/ld+json">{}</script>', SafeString(jsonld_text(data))
    )
