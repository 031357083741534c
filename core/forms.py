from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their
    fields, anything else (or a field the form lacks) above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def text_field(label: Any, *, rows: int, **kwargs: Any) -> forms.CharField:
    """A multi-line text box ``rows`` lines high (the house's Textarea field)."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )
