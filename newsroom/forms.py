from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import text_field
from newsroom.models import Channel, Comment, Kind, PotentialCategory
from newsroom.services.potentials import MAX_BODY_CHARS
from regions import provinces
from regions.forms import RegionField
from regions.models import Region

FORM_STAMP_SALT = "newsroom.comment.stamp"


class ArticleForm(forms.Form):
    author = forms.ChoiceField(label=_("Written by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = text_field(
        _("Lead"),
        rows=2,
        max_length=400,
        help_text=_("One or two sentences that sum the story up."),
    )
    body = text_field(
        _("Text"),
        rows=14,
        help_text=_(
            "Paragraphs separated by an empty line, or simple HTML (headings, "
            "bold, lists, links)."
        ),
    )
    regions = RegionField(
        label=_("Regions concerned"),
        required=False,
        multiple=True,
        help_text=_(
            "Names or codes of regions, separated by semicolons, "
            "e.g. Tenggarong Seberang; Muara Aloh"
        ),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas.")
    )
    source_links = text_field(
        _("Source links"),
        rows=2,
        required=False,
        help_text=_("One web address per line."),
    )
    factcheck_url = forms.URLField(
        label=_("Fact-check link"),
        required=False,
        assume_scheme="https",
        help_text=_("Required for a hoax clarification."),
    )

    def __init__(
        self, *args: Any, author_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["author"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = author_choices

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean_source_links(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["source_links"].splitlines()
            if line.strip()
        ]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not re.search(r"<(p|h[2-4]|ul|ol|blockquote|figure|table)\b", body):
            paragraphs = [p.strip() for p in body.replace("\r", "").split("\n\n")]
            body = "".join(f"<p>{p}</p>" for p in paragraphs if p)
        return body


def _number(label: Any, attr: str) -> forms.FloatField:
    # No browser min/max: the server says what is wrong (a swap, outside
    # Indonesia) in words, which a browser's bare range message does not.
    return forms.FloatField(
        label=label,
        required=False,
        widget=forms.NumberInput(
            attrs={"step": "any", "inputmode": "decimal", attr: ""}
        ),
    )


class PotentialForm(ArticleForm):
    """A local-potential story: the article's text and its structured facts.
    The kind is the category, so the article form's kind is not asked."""

    category = forms.ChoiceField(label=_("Category"), choices=PotentialCategory)
    name = forms.CharField(
        label=_("What"),
        max_length=150,
        help_text=_("The product, the place or the tradition, e.g. Amplang Udang."),
    )
    place = RegionField(
        label=_("Where (region)"),
        help_text=_("The village, district or regency, e.g. Pulau Derawan, Berau"),
    )
    lat = _number(_("Latitude (optional)"), "data-point-lat")
    lng = _number(_("Longitude (optional)"), "data-point-lng")
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Street, landmark or directions (optional)."),
    )
    phone = forms.CharField(
        label=_("Contact phone (published)"),
        max_length=30,
        required=False,
        help_text=_(
            "A business contact shown to everyone: the shop, the site's manager "
            "or the committee. Do not enter a private person's number without "
            "their consent."
        ),
    )
    price_range = forms.CharField(
        label=_("Price range"),
        max_length=100,
        required=False,
        help_text=_("e.g. Rp25.000-Rp60.000 per pack, or ticket Rp10.000"),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=200,
        required=False,
        help_text=_("e.g. Every day 08.00-17.00 WITA"),
    )
    starts_on = forms.DateField(
        label=_("Event starts on (culture)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a festival or ceremony on set days; empty otherwise."),
    )
    ends_on = forms.DateField(
        label=_("Event ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    # What the potential services take, in the page's order (after the author).
    SERVICE_FIELDS = (
        "category",
        "name",
        "place",
        "lat",
        "lng",
        "address",
        "phone",
        "price_range",
        "opening_hours",
        "starts_on",
        "ends_on",
        "title",
        "lead",
        "body",
        "regions",
        "tags",
        "source_links",
    )
    field_order = ["author", *SERVICE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["factcheck_url"]
        body = self.fields["body"]
        assert isinstance(body, forms.CharField)
        body.max_length = MAX_BODY_CHARS
        body.validators.append(MaxLengthValidator(MAX_BODY_CHARS))
        self.order_fields(self.field_order)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=150, required=False)


class WorkflowForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in (
                "submit",
                "request_changes",
                "approve",
                "schedule",
                "publish",
                "unpublish",
            )
        ]
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_at = forms.DateTimeField(
        label=_("Publish at (WITA)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    send_subscribers = forms.BooleanField(required=False)
    send_channels = forms.MultipleChoiceField(
        choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class AudienceForm(forms.Form):
    region_codes = RegionField(
        label=_("Regions"),
        multiple=True,
        codes=True,
        levels=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT],
        help_text=_(
            "Names or codes of regencies or districts, separated by semicolons, "
            "e.g. Kutai Kartanegara; Tenggarong Seberang"
        ),
    )
    subscribers = forms.BooleanField(
        label=_("Subscribers of these regions"), required=False, initial=True
    )
    kim_members = forms.BooleanField(
        label=_("KIM members of these regions"), required=False
    )
    forum_boards = forms.BooleanField(label=_("Forum KIM boards"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels (in order of preference)"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    urgent = forms.BooleanField(
        label=_("Urgent: send even during quiet hours (21:00-06:00 WITA)"),
        required=False,
    )


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    body = text_field(_("Comment"), rows=4, max_length=3000)
    # Spam traps: a field people never see, and when the form was shown.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def new_stamp() -> str:
        return signing.dumps(time.time(), salt=FORM_STAMP_SALT)

    def fill_seconds(self) -> float | None:
        try:
            shown = float(
                signing.loads(
                    self.cleaned_data.get("stamp", ""),
                    salt=FORM_STAMP_SALT,
                    max_age=86400,
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return time.time() - shown


class SubscribeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    channel = forms.ChoiceField(
        label=_("Receive by"),
        choices=[
            (Channel.WHATSAPP, "WhatsApp"),
            (Channel.SMS, "SMS"),
            (Channel.EMAIL, _("Email")),
        ],
    )
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(
            level__in=[
                Region.Level.PROVINCE,
                Region.Level.REGENCY,
                Region.Level.DISTRICT,
            ]
        ).order_by("kode"),
        to_field_name="kode",
    )
    topics = forms.MultipleChoiceField(
        label=_("Only these kinds (none: all)"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree to receive news from Simpul and know I can stop at any time.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only regions of the provinces served have news to send.
        field = self.fields["region"]
        field.queryset = field.queryset.filter(  # type: ignore[attr-defined]
            provinces.served_q("kode")
        )


class ModerationForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Comment.Status.APPROVED, _("Approve")),
            (Comment.Status.REJECTED, _("Reject")),
            (Comment.Status.SPAM, _("Spam")),
        ]
    )
