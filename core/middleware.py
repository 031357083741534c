"""Indonesian first: the interface speaks Indonesian unless the person chose
English with the language switch (a cookie), whatever their browser or phone
asks for in ``Accept-Language``; many phones here are set to English while their
owners read Indonesian best, and the content (news, fact-checks) is Indonesian."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


def chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    known = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """In place of Django's ``LocaleMiddleware`` (which honours
    ``Accept-Language``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ApiJsonErrorsMiddleware:
    """Under /api/ a 404 (no such path) or 405 (no such method) that nobody
    answered in JSON, Django's HTML page or ninja's plain text, becomes the
    API's structured error."""

    MESSAGES = {404: "Alamat API tidak dikenal.", 405: "Metode tidak diizinkan."}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = JsonResponse(
                {"detail": self.MESSAGES[response.status_code]},
                status=response.status_code,
            )
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


# Deeper JSON than this is refused before any view parses it: the providers'
# webhooks and our own API nest a few levels, and Python's parser ends in a
# RecursionError (a 500) on a few thousand.
MAX_JSON_DEPTH = 32


class BadInput(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _json_depth_ok(body: bytes) -> bool:
    """Bracket nesting of a JSON text, counted without parsing it (brackets
    inside strings skipped), so that depth is checked before recursion."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return True  # cannot nest deeper (the common case, counted in C)
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


class InputGuardMiddleware:
    """Refuses with 400 a request whose path, query string or JSON body holds a
    control character (tab, newline and carriage return excepted;
    PostgreSQL cannot store NUL and answers with a DataError), or whose JSON nests
    deeper than ``MAX_JSON_DEPTH``. API callers get the structured error, people a
    page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Providers' webhooks are left to their views: a refused delivery is sent
        # again and again (Telegram holds back the bot's later updates meanwhile),
        # so those views keep what they can and clean it themselves.
        if request.path.startswith(settings.INPUT_GUARD_EXEMPT_PATHS):
            return self.get_response(request)
        try:
            self.check(request)
        except BadInput as exc:
            return self.refuse(request, exc)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        from core.inputs import has_control_chars

        message = str(
            _("The text contains forbidden control characters (such as NUL).")
        )
        if has_control_chars(request.path):
            raise BadInput("path", message)
        for key, values in request.GET.lists():
            if has_control_chars(key) or any(has_control_chars(v) for v in values):
                raise BadInput(key, message)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        # Form fields are checked by the forms themselves, beside the field
        # (core.inputs.ControlCharactersValidator on every CharField).
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            self.check_json(request.body, message)

    def check_json(self, body: bytes, message: str) -> None:
        from core.inputs import find_control_chars

        if not _json_depth_ok(body):
            raise BadInput("body", str(_("The JSON document is nested too deeply.")))
        if b"\\u" not in body and b"\x7f" not in body:
            # Raw control characters other than DEL make the JSON invalid anyway;
            # escaped ones are \uXXXX.
            return
        try:
            document = json.loads(body)
        except ValueError:
            return  # not JSON: the view answers that in its own way
        found = find_control_chars(document)
        if found is not None:
            raise BadInput(found.split(".", 1)[0] or "body", message)

    def refuse(self, request: HttpRequest, exc: BadInput) -> HttpResponse:
        wants_json = request.path.startswith("/api/") or (
            request.content_type or ""
        ).endswith("json")
        if wants_json:
            return JsonResponse(
                {
                    "detail": exc.message,
                    "errors": [{"field": exc.field, "message": exc.message}],
                },
                status=400,
            )
        return HttpResponseBadRequest(
            exc.message, content_type="text/plain; charset=utf-8"
        )
