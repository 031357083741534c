"""Steps every app's views share, so each is written (and changed) in one place.

Every staff and public form in the house ends the same way: call the service, show
a ValidationError it raises on the form (field errors beside their fields), or else
flash a success message and redirect: :func:`form_write`.  Every page of one object
looks it up through a selector that answers None for "not there, or not yours":
:func:`or_404`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.forms import add_validation_errors

T = TypeVar("T", bound=models.Model)
V = TypeVar("V")


def or_404(found: V | None, message: str = "") -> V:
    """``found``, or a 404 saying ``message`` when the lookup found nothing."""
    if found is None:
        raise Http404(message)
    return found


def form_write(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[], T],
    success: str = "",
    *,
    refused: bool | str = False,
    refused_field: str | None = None,
) -> T | None:
    """When the request POSTed a valid ``form``, run ``write``: a service call that
    returns the object it wrote.  On GET, or a form with errors, return None.

    On success flash ``success`` (when given) and return that object, which is
    truthy, so a view may write ``if obj := form_write(...): return redirect(obj)``.  A
    ValidationError goes onto the form and None comes back, so the view shows the
    form again.  A PermissionDenied does the same when ``refused`` is set (the
    service decides a rule the form could not, such as whose name an article may
    carry): ``refused`` is then the message, or True for the exception's own, on
    ``refused_field`` or above the form; otherwise it propagates as a 403.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return None
    except PermissionDenied as exc:
        if refused is False:
            raise
        message = refused if isinstance(refused, str) else str(exc)
        form.add_error(refused_field, message or _("You may not do this."))
        return None
    if success:
        messages.success(request, success)
    return result


def choice_param(
    request: HttpRequest, name: str, choices: Collection[str], default: str = ""
) -> str:
    """The query parameter ``name`` (a list's ``?status=`` filter) when it is one
    of ``choices``, else ``default``: a value the list does not know, from an old
    link or a hand-typed URL, shows the unfiltered (or default) list, not an
    error."""
    value = request.GET.get(name, default)
    return value if value in choices else default


def cleaned_except(form: forms.BaseForm, *names: str) -> dict[str, Any]:
    """The form's cleaned data less ``names``: fields the view hands to the service
    apart (a region it looked up) or not at all (one shown disabled)."""
    return {k: v for k, v in form.cleaned_data.items() if k not in names}


def form_status(form: forms.BaseForm) -> int:
    """400 for a form shown again with errors, else 200: the offline outbox
    (static/js/outbox.js) keeps a refused item for fixing only on a 4xx."""
    return 400 if form.errors else 200
