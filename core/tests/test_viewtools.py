from collections.abc import Callable

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.test import RequestFactory
from django.utils.translation import gettext

from core.viewtools import choice_param, form_write, or_404


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _raises(exc: Exception) -> Callable[[], Group]:
    def write() -> Group:
        raise exc

    return write


def test_or_404_passes_what_was_found_and_refuses_nothing() -> None:
    group = Group(name="x")
    assert or_404(group, "Tidak ada.") is group
    assert or_404(0) == 0  # only None means "not found"
    with pytest.raises(Http404, match="Tidak ada"):
        or_404(None, "Tidak ada.")


def test_a_get_or_an_invalid_form_writes_nothing() -> None:
    calls: list[str] = []

    def write() -> Group:
        calls.append("write")
        return Group()

    assert form_write(_request("GET"), NameForm(), write, "Disimpan.") is None
    request = _request("POST")
    assert form_write(request, NameForm(request.POST), write, "Disimpan.") is None
    assert calls == []


def test_a_valid_form_returns_what_the_service_wrote_and_says_so() -> None:
    request = _request("POST", {"name": "Balai"})
    group = Group(name="Balai")
    written = form_write(request, NameForm(request.POST), lambda: group, "Disimpan.")
    assert written is group
    assert [str(m) for m in get_messages(request)] == ["Disimpan."]


def test_a_validation_error_goes_onto_the_form() -> None:
    request = _request("POST", {"name": "Balai"})
    form = NameForm(request.POST)
    refusal = ValidationError({"name": "Nama sudah dipakai."})
    assert form_write(request, form, _raises(refusal), "Disimpan.") is None
    assert form.errors["name"] == ["Nama sudah dipakai."]
    assert list(get_messages(request)) == []


def test_a_permission_refusal_is_a_403_unless_the_view_shows_it() -> None:
    request = _request("POST", {"name": "Balai"})
    with pytest.raises(PermissionDenied):
        form_write(request, NameForm(request.POST), _raises(PermissionDenied()))

    form = NameForm(request.POST)
    denied = _raises(PermissionDenied("Bukan wilayah Anda."))
    assert form_write(request, form, denied, refused=True) is None
    assert form.non_field_errors() == ["Bukan wilayah Anda."]

    form = NameForm(request.POST)
    assert form_write(request, form, _raises(PermissionDenied()), refused=True) is None
    assert form.non_field_errors() == [gettext("You may not do this.")]

    form = NameForm(request.POST)
    assert (
        form_write(
            request,
            form,
            _raises(PermissionDenied()),
            refused="Bukan nama Anda.",
            refused_field="name",
        )
        is None
    )
    assert form.errors["name"] == ["Bukan nama Anda."]


def test_choice_param_keeps_a_known_value_and_falls_back_otherwise() -> None:
    choices = ("open", "closed")

    def param(query: str, default: str = "") -> str:
        return choice_param(
            RequestFactory().get(f"/?{query}"), "status", choices, default
        )

    assert param("status=closed") == "closed"
    assert param("status=lost") == ""  # unknown: the unfiltered list
    assert param("status=") == ""
    assert param("") == ""
    assert param("status=lost", "open") == "open"
    assert param("", "open") == "open"
    assert param("other=closed") == ""  # only its own parameter counts
