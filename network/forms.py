from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import code_scope_q
from core.forms import QuickSelect, text_field
from network.models import (
    SOCIAL_NETWORKS,
    Activity,
    BoardMember,
    Event,
    FocusArea,
    Forum,
    Kim,
    Membership,
)
from network.services import EVENT_FIELDS, FORUM_FIELDS, KIM_FORM_FIELDS
from regions import provinces
from regions.forms import RegionField
from regions.models import Region
from regions.selectors import regency_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


def _formfield(db_field: Any, **kwargs: Any) -> Any:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def _regions(actor: User, levels: list[str]) -> Any:
    return (
        Region.objects.filter(level__in=levels)
        .filter(code_scope_q(actor, "kode"))
        .select_related("parent")
        .order_by("kode")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class KimForm(forms.Form):
    """A KIM's registry entry (the maturity level is computed, see scoring)."""

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(  # type: ignore[attr-defined]
            actor, [Region.Level.VILLAGE, Region.Level.DISTRICT]
        )
        for name in SOCIAL_NETWORKS:
            # Handles like "@kimjahab" are turned into addresses by the service.
            self.fields[name] = forms.CharField(
                label=self.fields[name].label,
                required=False,
                max_length=200,
                help_text=_("Address or @account"),
            )
        self.fields["phone"] = forms.CharField(
            label=_("Phone number"),
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"type": "tel"}),
        )


KimForm.base_fields = {
    "region": RegionField(
        label=_("Village or district"), queryset=Region.objects.none()
    ),
    **fields_for_model(
        Kim,
        formfield_callback=_formfield,
        fields=list(KIM_FORM_FIELDS),
        widgets={
            "founded_on": DATE,
            "decree_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        },
    ),
    "focus_areas": forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    ),
    "decree_file": forms.FileField(
        label=_("Decree (PDF, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    ),
}


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "placeholder": "0812 3456 7890"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE)
    is_coordinator = forms.BooleanField(
        label=_("Manages the KIM's records in Simpul"), required=False
    )
    public_contact = forms.BooleanField(
        label=_("Agrees to show their contact on the public page (chair only)"),
        required=False,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["left_on"]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind (ADINDA)"), choices=Activity.Kind.choices)
    focus = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *FocusArea.choices], required=False
    )
    title = forms.CharField(label=_("What did the KIM do?"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.IntegerField(
        label=_("Participants"), min_value=0, max_value=100_000, initial=0
    )
    description = text_field(_("Description"), rows=3, required=False)
    links = forms.CharField(
        label=_("Links (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://…"}),
    )
    photos = MultipleFileField(
        label=_("Photos (JPEG, PNG or WebP; at most 10 MB each)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        self.fields["date"].widget.attrs["max"] = today


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# The form edits the service's event fields but the region and organiser choices,
# which depend on the actor's scope and are set up below.
EVENT_FORM_FIELDS = [
    f
    for f in EVENT_FIELDS
    if f not in {"region", "organiser_region", "organiser_forum"}
]


class EventForm(forms.Form):
    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.exclude(level=Region.Level.VILLAGE)
            .select_related("parent")
            .order_by("kode")
        )
        self.fields["invited_regions"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
        ).order_by("kode")
        self.fields["organiser_forum"].queryset = Forum.objects.filter(  # type: ignore[attr-defined]
            code_scope_q(actor, "region__kode")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("venue") == "" and not data.get("online_url"):
            self.add_error("venue", _("Give a venue or an online link."))
        return data


EventForm.base_fields = {
    **fields_for_model(
        Event,
        formfield_callback=_formfield,
        fields=EVENT_FORM_FIELDS[:4],
        widgets={"description": forms.Textarea(attrs={"rows": 3})},
    ),
    "region": RegionField(
        label=_("Held in"),
        queryset=Region.objects.none(),
        help_text=_("Where it takes place (for online events: your region)."),
    ),
    "organiser_forum": forms.ModelChoiceField(
        label=_("Organising forum"), queryset=Forum.objects.none(), required=False
    ),
    **fields_for_model(
        Event,
        formfield_callback=_formfield,
        fields=EVENT_FORM_FIELDS[4:],
        widgets={
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_closes_at": DATETIME,
            "minutes": forms.Textarea(attrs={"rows": 4}),
        },
    ),
    "invited_regions": forms.ModelMultipleChoiceField(
        label=_("Invited regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    ),
}
for _name in ("starts_at", "ends_at", "registration_closes_at"):
    EventForm.base_fields[_name].input_formats = [  # type: ignore[attr-defined]
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=250, required=False)
    talk_title = forms.CharField(label=_("Talk title"), max_length=300, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF or photo, at most 10 MB)"), required=False
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    choice_1 = forms.CharField(label=_("Answer A"), max_length=300)
    choice_2 = forms.CharField(label=_("Answer B"), max_length=300)
    choice_3 = forms.CharField(label=_("Answer C"), max_length=300, required=False)
    choice_4 = forms.CharField(label=_("Answer D"), max_length=300, required=False)
    correct = forms.TypedChoiceField(
        label=_("Correct answer"),
        choices=[(0, "A"), (1, "B"), (2, "C"), (3, "D")],
        coerce=int,
        widget=forms.RadioSelect,
    )


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "placeholder": "0812 3456 7890"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    origin = forms.CharField(
        label=_("Institution / KIM / village"), max_length=200, required=False
    )


class StaffRegistrationForm(RegistrationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = False


class CheckinForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "placeholder": "0812 3456 7890"}),
    )


class VenueCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown at the venue"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "placeholder": "123456",
            }
        ),
    )


class TestForm(forms.Form):
    """One radio group per question (``q<id>``), in the questions' order."""

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{i}. {question.text}",
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q")
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Sheet (CSV or Excel .xlsx, at most 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )


# The inauguration event is linked from the event, not chosen on the forum's form.
FORUM_FORM_FIELDS = [f for f in FORUM_FIELDS if f != "inauguration_event"]


class ForumForm(forms.Form):
    def __init__(
        self, *args: Any, actor: User, creating: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["region"].queryset = _regions(  # type: ignore[attr-defined]
                actor, [Region.Level.PROVINCE, Region.Level.REGENCY]
            ).filter(kim_forum__isnull=True)
        else:
            del self.fields["region"]
        self.fields["kims"].queryset = Kim.objects.filter(  # type: ignore[attr-defined]
            code_scope_q(actor, "region__kode")
        ).order_by("regency_code", "name")


ForumForm.base_fields = {
    "region": RegionField(label=_("Region"), queryset=Region.objects.none()),
    **fields_for_model(
        Forum,
        formfield_callback=_formfield,
        fields=FORUM_FORM_FIELDS,
        widgets={
            "founded_on": DATE,
            "decree_date": DATE,
            "inaugurated_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        },
    ),
    "kims": forms.ModelMultipleChoiceField(
        label=_("Member KIMs"),
        queryset=Kim.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    ),
}


class BoardMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.ChoiceField(
        label=_("Position"), choices=BoardMember.Position.choices
    )
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)


class DirectoryFilterForm(forms.Form):
    """The public directory's filters: province (where the deployment serves
    several), regency/city, district, status and level."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    provinsi = forms.ChoiceField(
        label=_("Province"), required=False, widget=QuickSelect
    )
    kabupaten = forms.ChoiceField(
        label=_("Regency/city"), required=False, widget=QuickSelect
    )
    kecamatan = forms.ChoiceField(
        label=_("District"), required=False, widget=QuickSelect
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Kim.Status.choices],
        widget=QuickSelect,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Kim.Level.choices],
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prov = (self.data.get("provinsi") or "") if self.is_bound else ""
        prov = provinces.province_param(prov) or ""
        if provinces.is_national():
            self.fields["provinsi"].choices = [  # type: ignore[attr-defined]
                ("", _("All provinces")),
                *[(p.kode, p.name) for p in provinces.served_provinces()],
            ]
        else:
            del self.fields["provinsi"]
        # Only the served provinces' regencies (the national list may hold
        # others), and only the chosen province's once one is chosen.
        self.fields["kabupaten"].choices = [  # type: ignore[attr-defined]
            ("", _("All regencies/cities")),
            *[
                (kode, name)
                for kode, name in regency_choices()
                if (kode.startswith(f"{prov}.") if prov else provinces.is_served(kode))
            ],
        ]
        kab = (self.data.get("kabupaten") or "") if self.is_bound else ""
        districts = Region.objects.filter(level=Region.Level.DISTRICT)
        districts = districts.filter(parent_id=kab) if kab else districts.none()
        self.fields["kecamatan"].choices = [  # type: ignore[attr-defined]
            ("", _("All districts")),
            *districts.order_by("kode").values_list("kode", "name"),
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        prov = data.get("provinsi") or ""
        if prov and data.get("kabupaten", "").split(".")[0] != prov:
            data = {**data, "kabupaten": "", "kecamatan": ""}
        region = data.get("kecamatan") or data.get("kabupaten") or prov
        if (
            region
            and data.get("kecamatan")
            and data.get("kabupaten")
            and not region.startswith(data["kabupaten"] + ".")
        ):
            region = data["kabupaten"]
        return {
            "q": data.get("q", ""),
            "region_code": region,
            "status": data.get("status", ""),
            "level": data.get("level", ""),
        }
