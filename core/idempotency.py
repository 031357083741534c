"""One record per form however often a phone sends it.

The offline outbox (static/js/outbox.js) gives every item a key and sends it as
the ``Idempotency-Key`` header (and an ``idempotency_key`` field). A view wrapped
in :func:`idempotent` answers a key it has already handled with the first answer
(the redirect, or the page, as it was) instead of running again; a refusal (4xx)
or a failure (5xx) is not kept, so the person can fix the item and send it again
under the same key.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone

from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
OUTBOX_HEADER = "X-Simpul-Outbox"
LOCATION_HEADER = "X-Simpul-Location"
FIELD = "idempotency_key"
KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
# A first send that died without an answer (a killed worker) stops blocking after
# this long; the phone then sends again.
STALE_AFTER = dt.timedelta(minutes=5)
KEEP_FOR = dt.timedelta(days=30)
MAX_BODY = 200_000

View = Callable[..., HttpResponse]


def request_key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER) or request.POST.get(FIELD) or ""
    return key if KEY.match(key) else None


def _replay(row: IdempotencyKey) -> HttpResponse:
    if row.location:
        response: HttpResponse = HttpResponseRedirect(row.location)
        response.status_code = row.status
    else:
        response = HttpResponse(
            row.body, status=row.status, content_type=row.content_type or None
        )
    response["Idempotent-Replay"] = "true"
    return response


def _claim(key: str, scope: str) -> IdempotencyKey | HttpResponse:
    """The row this send may fill, or the answer to give instead of running."""
    IdempotencyKey.objects.filter(
        key=key, scope=scope, status=0, created_at__lt=timezone.now() - STALE_AFTER
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(key=key, scope=scope)
    except IntegrityError:
        row = IdempotencyKey.objects.get(key=key, scope=scope)
        if row.status:
            return _replay(row)
        return JsonResponse(
            {"detail": "Kiriman yang sama sedang diproses; coba lagi sebentar."},
            status=409,
        )


def _keep(row: IdempotencyKey, response: HttpResponse) -> None:
    row.status = response.status_code
    if 300 <= response.status_code < 400:
        row.location = response.get("Location", "")[:500]
    elif not getattr(response, "streaming", False):
        row.content_type = response.get("Content-Type", "")[:100]
        row.body = response.content.decode(response.charset or "utf-8", "replace")[
            :MAX_BODY
        ]
    row.save(update_fields=["status", "location", "content_type", "body"])


def _for_outbox(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect told to the outbox rather than followed by its fetch(): the page
    then opens the address itself, and the message the view left ("Activity
    reported") is shown there instead of being spent on the fetch."""
    if request.headers.get(OUTBOX_HEADER) and 300 <= response.status_code < 400:
        told = HttpResponse(status=204)
        told[LOCATION_HEADER] = response["Location"]
        return told
    return response


def idempotent(view: View) -> View:
    """Run ``view`` once per key for POSTs that carry one; other requests pass."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request_key(request) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)
        claimed = _claim(key, request.path[:200])
        if isinstance(claimed, HttpResponse):
            return _for_outbox(request, claimed)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            claimed.delete()
            raise
        if response.status_code < 400:
            _keep(claimed, response)
        else:
            claimed.delete()
        return _for_outbox(request, response)

    return wrapper


def prune(*, now: dt.datetime | None = None) -> int:
    """Forget keys older than KEEP_FOR (no phone holds an item that long)."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    return IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()[0]
