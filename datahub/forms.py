from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import text_field
from datahub import selectors
from datahub.models import Dataset, InfoRequest, Objection, Office, Resource
from regions.forms import RegionField
from regions.models import Region


class DateInput(forms.DateInput):
    input_type = "date"


class DatasetForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Responsible office"), queryset=Office.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_field(
        _("Description"),
        rows=4,
        help_text=_("What the data is, where it comes from, how it was collected."),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=selectors.topic_list())
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separated by commas, e.g. posyandu, kesehatan ibu dan anak."),
    )
    period_start = forms.DateField(
        label=_("Period from"), required=False, widget=DateInput
    )
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput)
    frequency = forms.ChoiceField(
        label=_("Update frequency"),
        choices=[
            c for c in Dataset.Frequency.choices if c[0] != Dataset.Frequency.CONTINUOUS
        ],
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Dataset.Licence.choices, initial="cc-by"
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        required=False,
        max_length=100,
        help_text=_("e.g. unit, orang, km²."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ModelChoiceField)
        office.queryset = selectors.offices_for_staff(actor=actor)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label=_("Table"), required=False)
    name = forms.CharField(
        label=_("Name of a new table"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the file name."),
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_(
            "First row: column names. Region codes as Kemendagri codes "
            "(e.g. 64.02.06.2001). No formulas, no personal data (NIK, phone "
            "numbers, names of residents)."
        ),
    )
    columns = forms.CharField(
        label=_("Columns (optional)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "kode_desa: region_code\njumlah: integer"}
        ),
        help_text=_(
            "One line per column, “name: type”, type one of text, integer, decimal, "
            "date, region_code, boolean. Empty: the types are recognised from the "
            "sheet (and kept for later versions)."
        ),
    )

    def __init__(self, *args: Any, dataset: Dataset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resource"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("a new table"))] + [
            (str(r.pk), _("new version of “%(name)s”") % {"name": r.name})
            for r in dataset.resources.filter(kind=Resource.Kind.UPLOAD)
        ]


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Office.Kind.choices)
    region = RegionField(
        label=_("Region"),
        queryset=Region.objects.none(),
        levels=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT],
        help_text=_("Name or code of the region the office serves."),
    )
    email = forms.EmailField(label=_("Public email"), required=False)
    description = text_field(_("Description"), rows=3, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accounts.permissions import code_scope_q

        field = self.fields["region"]
        assert isinstance(field, RegionField)
        field.queryset = Region.objects.filter(code_scope_q(actor, "kode"))


class InfoRequestForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office you ask"), queryset=selectors.office_list()
    )
    requester_name = forms.CharField(label=_("Your name"), max_length=150)
    requester_address = forms.CharField(label=_("Your address"), max_length=300)
    requester_email = forms.EmailField(label=_("Email"), required=False)
    requester_phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    information = text_field(_("Information you request"), rows=4, max_length=5000)
    purpose = text_field(_("What you will use it for"), rows=2, max_length=2000)
    delivery = forms.ChoiceField(
        label=_("How you want to receive it"),
        choices=InfoRequest.Delivery.choices,
        initial=InfoRequest.Delivery.EMAIL,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    answer = text_field(_("Answer"), rows=4)
    documents = MultipleFileField(label=_("Documents"), required=False)
    dataset = forms.ModelChoiceField(
        label=_("Or a published dataset"),
        queryset=Dataset.objects.none(),
        required=False,
        to_field_name="slug",
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.datasets_for_staff(actor=actor).filter(
            status=Dataset.Status.PUBLISHED
        )


class ExtendForm(forms.Form):
    reason = text_field(_("Reason for the extension"), rows=2)


class RefuseForm(forms.Form):
    refusal_reason = forms.ChoiceField(
        label=_("Legal reason"), choices=InfoRequest.Refusal.choices
    )
    explanation = text_field(_("Explanation"), rows=3)


class ObjectionForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Objection.Reason.choices)
    description = text_field(_("Explanation"), rows=3, max_length=5000)


class ObjectionResponseForm(forms.Form):
    response = text_field(_("Response"), rows=3)


class VulnerabilityWeightsForm(forms.Form):
    """The weights of the Indeks Kerawanan Informasi, in percent."""

    hoax = forms.IntegerField(label=_("Hoax pressure"), min_value=0, max_value=100)
    kim = forms.IntegerField(label=_("KIM reach"), min_value=0, max_value=100)
    literacy = forms.IntegerField(
        label=_("Digital literacy"), min_value=0, max_value=100
    )
    connectivity = forms.IntegerField(label=_("Signal"), min_value=0, max_value=100)
    supply = forms.IntegerField(
        label=_("Information supply"), min_value=0, max_value=100
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return data
