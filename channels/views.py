"""One inbound webhook per provider, and the email unsubscribe page.

A webhook checks who calls (secret token, signature), stores the raw call and
answers within milliseconds; a task does the rest (``channels.inbound``). Bad
input never gets a 500: wrong secrets get 403 and a log line, malformed bodies
200 ("ignored", so the provider does not retry them forever) and a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from channels import addresses, inbound, services
from channels.models import Channel

log = logging.getLogger(__name__)


def _forbidden(channel: str, request: HttpRequest, why: str) -> JsonResponse:
    log.warning(
        "channels %s webhook refused: %s (from %s)",
        channel,
        why,
        request.META.get("REMOTE_ADDR"),
    )
    return JsonResponse({"detail": "forbidden"}, status=403)


def _ignored(channel: str, why: str) -> JsonResponse:
    log.warning("channels %s webhook: call ignored: %s", channel, why)
    return JsonResponse({"ok": True, "result": "ignored"})


def _refused(channel: str, request: HttpRequest, why: str) -> JsonResponse:
    """A caller that failed the check: 403, or 429 past ``CHANNELS_HOOK_RATE``
    refusals per IP. Only refusals count: the provider's own calls are never
    limited (Meta sends a surge from a handful of addresses, and a 429 only
    makes it send everything again later), and they cost no counter write."""
    limited = is_ratelimited(
        request,
        group=f"channels.hook.{channel}",
        key="ip",
        rate=settings.CHANNELS_HOOK_RATE,
        increment=True,
    )
    if limited:
        return JsonResponse({"detail": "too many requests"}, status=429)
    return _forbidden(channel, request, why)


def _read(channel: str, request: HttpRequest) -> tuple[object, str] | JsonResponse:
    """The JSON body, or the answer that ignores it."""
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    if not length.isdigit() or int(length) > settings.CHANNELS_HOOK_MAX_BYTES:
        return _ignored(channel, f"bad or too large length ({length[:20]})")
    body = request.body
    if len(body) > settings.CHANNELS_HOOK_MAX_BYTES:
        return _ignored(channel, "body too large")
    try:
        text = body.decode()
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _ignored(channel, "not JSON")
    if not isinstance(payload, dict):
        return _ignored(channel, "not a JSON object")
    if inbound.too_deep(payload):
        return _ignored(channel, "nested too deep")
    return payload, text


def _secret_ok(given: str, secret: str) -> bool:
    """Compared as bytes: a header may hold any character, and compare_digest
    refuses non-ASCII str. An unset secret lets nobody in."""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def _store(channel: str, key: str, text: str) -> JsonResponse:
    call = services.webhook_call_store(channel=channel, key=key, body=text)
    return JsonResponse({"ok": True, "result": "queued" if call else "duplicate"})


def _store_by_body(channel: Channel, request: HttpRequest) -> JsonResponse:
    """Read and store a call keyed by its body: Meta and the SMS gateways send a
    failed delivery again byte for byte, so the body is its key."""
    read = _read(channel.value, request)
    if isinstance(read, JsonResponse):
        return read
    return _store(channel, hashlib.sha256(request.body).hexdigest(), read[1])


@csrf_exempt
@require_POST
def telegram_hook(request: HttpRequest) -> JsonResponse:
    """Bot API updates, authenticated by the secret token given to setWebhook."""
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not _secret_ok(given, settings.TELEGRAM_WEBHOOK_SECRET):
        return _refused("telegram", request, "bad secret token")
    read = _read("telegram", request)
    if isinstance(read, JsonResponse):
        return read
    payload, text = read
    assert isinstance(payload, dict)
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return _ignored("telegram", "no update_id")
    return _store(Channel.TELEGRAM, f"update:{update_id}", text)


def _whatsapp_signature_ok(request: HttpRequest) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    given = request.headers.get("X-Hub-Signature-256", "")
    if not secret or not given.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(given[7:].encode(), expected.encode())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_hook(request: HttpRequest) -> HttpResponse:
    """WhatsApp Cloud API: GET is Meta's verification of the callback URL, POST
    delivers messages and statuses signed with the app secret."""
    if request.method == "GET":
        token = settings.WHATSAPP_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(given.encode(), token.encode())
        ):
            return HttpResponse(
                request.GET.get("hub.challenge", "")[:200], content_type="text/plain"
            )
        return _refused("whatsapp", request, "bad verify token")
    if not _whatsapp_signature_ok(request):
        return _refused("whatsapp", request, "bad signature")
    return _store_by_body(Channel.WHATSAPP, request)


@csrf_exempt
@require_POST
def sms_hook(request: HttpRequest) -> JsonResponse:
    """The SMS gateway's delivery reports and incoming messages
    (``X-Gateway-Secret``; see ``channels.senders``)."""
    given = request.headers.get("X-Gateway-Secret", "")
    if not _secret_ok(given, settings.SMS_GATEWAY_CALLBACK_SECRET):
        return _refused("sms", request, "bad secret")
    return _store_by_body(Channel.SMS, request)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every email. GET asks (mail scanners open links); POST stops
    (the page's button, and RFC 8058 one-click from the mail client). A link
    that carries the sealed address also offers erasure ("erase" in the POST:
    only the page's own button, never the one-click)."""
    try:
        data = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
        channel, digest = str(data["c"]), str(data["h"])
        address = addresses.unseal(str(data.get("a", "")))
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        return render(
            request, "channels/unsubscribe.html", {"invalid": True}, status=400
        )
    if channel not in Channel.values:
        return render(
            request, "channels/unsubscribe.html", {"invalid": True}, status=400
        )
    if address and addresses.address_hash(channel, address) != digest:
        address = ""  # sealed for another address: offer the stop alone
    done = erased = False
    if request.method == "POST":
        if address and request.POST.get("erase"):
            services.address_erase(channel=channel, address=address)
            erased = True
        else:
            services.consent_opt_out_by_hash(
                channel=channel, address_hash=digest, source="unsubscribe_link"
            )
        done = True
    return render(
        request,
        "channels/unsubscribe.html",
        {"done": done, "erased": erased, "may_erase": bool(address)},
    )
