"""Indonesian first: the interface speaks Indonesian unless the person chose
English with the language switch (a cookie), whatever their browser or phone
asks for in ``Accept-Language``; many phones here are set to English while their
owners read Indonesian best, and the content (news, fact-checks) is Indonesian."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
