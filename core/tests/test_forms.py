from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_validation_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_field_errors_go_to_their_fields_and_the_rest_above_the_form() -> None:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_validation_errors(
        form, ValidationError({"name": "Nama sudah dipakai.", "phone": "Salah."})
    )
    assert form.errors["name"] == ["Nama sudah dipakai."]
    assert form.non_field_errors() == ["Salah."]  # the form has no phone field


def test_a_plain_error_goes_above_the_form() -> None:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_validation_errors(form, ValidationError("Tidak boleh."))
    assert form.non_field_errors() == ["Tidak boleh."]
