from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.phones import InvalidPhoneNumber, normalize_phone
from core.forms import text_field
from factcheck.models import Claim, FactCheck, FeedSource, Topic, Verdict
from regions import provinces
from regions.models import Region


class TipForm(forms.Form):
    """The public "Cek dulu sebelum sebar" form."""

    text = forms.CharField(
        label=_("The message you received"),
        widget=forms.Textarea(attrs={"rows": 6, "autofocus": True}),
        required=False,
        # Longer texts get the tipline's own clear answer, not a form error.
        max_length=settings.TIPLINE_MAX_CHARS * 5,
        strip=False,
        help_text=_("Paste the message, headline or link as you received it."),
        error_messages={
            "null_characters_not_allowed": _(
                "This looks like a file or binary data, not a text message."
            )
        },
    )
    image = forms.FileField(
        label=_("Or a screenshot or picture (JPEG, PNG or WebP, at most 10 MB)"),
        required=False,
        # The content is checked by factcheck.imaging, not by this widget.
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    region = forms.ModelChoiceField(
        label=_("Your regency/city"),
        queryset=Region.objects.filter(level=Region.Level.REGENCY).order_by("name"),
        required=False,
        empty_label=_("(do not say)"),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number to be told the verdict (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_(
            "Only used to send you the verdict; stored encrypted and deleted on "
            "request (reply HAPUS)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        empty = not (data.get("text") or "").strip() and not data.get("image")
        if empty and "text" not in self.errors:
            self.add_error(
                "text", _("Send the text of the message, or a picture of it.")
            )
        return data

    def clean_whatsapp(self) -> str:
        raw = self.cleaned_data.get("whatsapp", "").strip()
        if not raw:
            return ""
        try:
            return normalize_phone(raw)
        except InvalidPhoneNumber:
            raise forms.ValidationError(
                _("Enter a valid phone number, e.g. 0812 3456 7890.")
            ) from None


class VerdictForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    # Left out: the claim's topic stays.
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, required=False)
    claim_reviewed = text_field(_("Claim reviewed"), rows=3)
    explanation = text_field(_("Explanation"), rows=6)
    conclusion = text_field(_("Conclusion (one or two sentences)"), rows=2)
    references = text_field(
        _("Sources and references (one per line)"), rows=3, required=False
    )

    @classmethod
    def initial_for(cls, claim: Claim) -> dict[str, Any]:
        draft: FactCheck | None = claim.factcheck
        if draft is not None and not draft.is_published:
            return {
                "title": draft.title,
                "verdict": draft.verdict,
                "topic": draft.topic,
                "claim_reviewed": draft.claim_reviewed,
                "explanation": draft.explanation,
                "conclusion": draft.conclusion,
                "references": "\n".join(draft.references),
            }
        return {"claim_reviewed": claim.text[:2000], "topic": claim.topic}


class NoteForm(forms.Form):
    text = text_field(_("Note"), rows=2, max_length=5000)


class FactCheckForm(forms.Form):
    """Editing a fact-check (published or not) from its own staff page."""

    title = forms.CharField(label=_("Title"), max_length=300)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    claim_reviewed = text_field(_("Claim reviewed"), rows=3, required=False)
    explanation = text_field(_("Explanation"), rows=8, required=False)
    conclusion = text_field(
        _("Conclusion (one or two sentences)"), rows=2, required=False
    )
    references = text_field(
        _("Sources and references (one per line)"), rows=4, required=False
    )
    author = forms.CharField(label=_("Author"), max_length=150, required=False)
    url = forms.URLField(
        label=_("Address of the original (imported fact-checks)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions concerned"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the whole province."),
    )
    image = forms.FileField(
        label=_("Image (JPEG, PNG or WebP, at most 10 MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    def __init__(self, *args: Any, factcheck: FactCheck, **kwargs: Any) -> None:
        if "initial" not in kwargs and not args:
            kwargs["initial"] = self.initial_for(factcheck)
        super().__init__(*args, **kwargs)
        # The regencies, and whatever finer regions the fact-check already has.
        current = [r.kode for r in factcheck.regions.all()] if factcheck.pk else []
        regions = self.fields["regions"]
        assert isinstance(regions, forms.ModelMultipleChoiceField)
        regions.queryset = Region.objects.filter(
            Q(level=Region.Level.REGENCY) | Q(kode__in=current)
        ).order_by("kode")
        if not factcheck.image:
            del self.fields["remove_image"]

    @staticmethod
    def initial_for(factcheck: FactCheck) -> dict[str, Any]:
        return {
            "title": factcheck.title,
            "verdict": factcheck.verdict,
            "topic": factcheck.topic,
            "claim_reviewed": factcheck.claim_reviewed,
            "explanation": factcheck.explanation,
            "conclusion": factcheck.conclusion,
            "references": "\n".join(factcheck.references),
            "author": factcheck.author,
            "url": factcheck.url,
            "regions": [r.kode for r in factcheck.regions.all()],
        }


class WithdrawForm(forms.Form):
    withdrawal_reason = text_field(
        _("Why is it withdrawn? (shown on its public page)"), rows=3, max_length=2000
    )


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    url = forms.URLField(label=_("Feed address"), max_length=500, assume_scheme="https")
    format = forms.ChoiceField(label=_("Format"), choices=FeedSource.Format.choices)
    publisher = forms.CharField(
        label=_("Publisher"),
        max_length=150,
        required=False,
        help_text=_(
            "RSS feeds: the name credited on their fact-checks (else the feed's "
            "title). ClaimReview feeds name their publisher themselves."
        ),
    )


class NetworkSendForm(forms.Form):
    """Where to send a verdict to the KIM network: the province or some of its
    kabupaten/kota (those within the sender's area)."""

    region_codes = forms.MultipleChoiceField(
        label=_("Regions"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from accounts.permissions import in_scope

        super().__init__(*args, **kwargs)
        # The served provinces and their regencies (another province's desk
        # sends within its own province).
        served = provinces.served_codes()
        regions = Region.objects.filter(
            Q(kode__in=served) | Q(parent_id__in=served, level=Region.Level.REGENCY)
        ).order_by("kode")
        self.fields["region_codes"].choices = [  # type: ignore[attr-defined]
            (r.kode, r.name) for r in regions if in_scope(actor, r.kode)
        ]
