from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from regions import provinces as served


def provinces(request: HttpRequest) -> dict[str, Any]:
    """What templates need to know about the provinces served: whether the
    deployment is national (province filters, the national home), and which
    provinces (lazily: only pages that list them pay the query)."""
    return {
        "IS_NATIONAL": served.is_national(),
        "HOME_PROVINCE": served.home_province(),
        "SERVED_PROVINCES": SimpleLazyObject(
            lambda: list(served.served_provinces().only("kode", "name"))
        ),
    }
