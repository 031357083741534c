from django import forms
from django.core.exceptions import ValidationError

from core.forms import QuickSelect, add_validation_errors


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


class PickForm(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Semua"), ("64.02", "Kutai <Kartanegara>"), ("64.03", "Berau")],
        required=False,
    )
    quick = forms.ChoiceField(
        choices=[("", "Semua"), ("64.02", "Kutai <Kartanegara>"), ("64.03", "Berau")],
        required=False,
        widget=QuickSelect(attrs={"class": "filter", "hx-get": "/kim/"}),
    )


def test_quick_select_writes_the_markup_of_djangos_select() -> None:
    from django.test.html import parse_html

    for data in (
        {},
        {"plain": "64.02", "quick": "64.02"},
        {"plain": "x", "quick": "x"},
    ):
        form = PickForm(data)
        plain = str(form["plain"]).replace("id_plain", "id_quick")
        plain = plain.replace('name="plain"', 'name="quick"')
        plain = plain.replace("<select ", '<select class="filter" hx-get="/kim/" ')
        assert parse_html(str(form["quick"])) == parse_html(plain), data
    html = str(PickForm({"quick": "64.03"})["quick"])
    assert '<option value="64.03" selected>Berau</option>' in html
    assert "Kutai &lt;Kartanegara&gt;" in html  # labels escaped


def test_quick_select_leaves_choice_groups_to_django() -> None:
    widget = QuickSelect(choices=[("Kaltim", [("64.02", "Kukar")])])
    assert "<optgroup" in widget.render("region", "64.02")
