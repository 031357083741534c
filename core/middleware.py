"""Indonesian first: the interface speaks Indonesian unless the person chose
English with the language switch (a cookie), whatever their browser or phone
asks for in ``Accept-Language``; many phones here are set to English while their
owners read Indonesian best, and the content (news, fact-checks) is Indonesian."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
