from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.phones import InvalidPhoneNumber, normalize_phone
from factcheck.models import Claim, FactCheck, Topic, Verdict
from regions.models import Region


class TipForm(forms.Form):
    """The public "Cek dulu sebelum sebar" form."""

    text = forms.CharField(
        label=_("The message you received"),
        widget=forms.Textarea(attrs={"rows": 6, "autofocus": True}),
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
    claim_reviewed = forms.CharField(
        label=_("Claim reviewed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 6})
    )
    conclusion = forms.CharField(
        label=_("Conclusion (one or two sentences)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    references = forms.CharField(
        label=_("Sources and references (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
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
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
