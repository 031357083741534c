"""A region picker: staff type a region's name (or its Kemendagri code) instead of
having to know "64.02.06"; the server resolves the text, so it works without
JavaScript, and static/js/simpul.js fills a suggestion list from
``regions:pick`` while the person types (data-region-picker)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from regions import provinces
from regions.models import Region
from regions.names import Place, resolve
from regions.selectors import region_list

# A Kemendagri code alone, at the start ("64.02.06 Tenggarong") or in the trailing
# brackets the suggestion list writes ("Muara Aloh, Muara Badak (64.02.12.2005)").
_LEAD_CODE = re.compile(r"^\s*(\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)(?![\d.])")
_TAIL_CODE = re.compile(r"\((\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)\)\s*$")


def region_label(region: Region) -> str:
    """How a region reads in the suggestion list and back in the field."""
    parent = f", {region.parent.name}" if region.parent_id and region.parent else ""
    return f"{region.name}{parent} ({region.kode})"


_FULL_CODE = re.compile(r"^\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?$")


def _label_of(value: Region | str) -> str:
    """A region (or a code) as the picker writes it; an unknown code as is."""
    if isinstance(value, Region):
        return region_label(value)
    region = Region.objects.select_related("parent").filter(kode=value).first()
    return region_label(region) if region is not None else str(value)


def _code_in(text: str) -> str | None:
    match = _TAIL_CODE.search(text) or _LEAD_CODE.match(text)
    return match.group(1) if match else None


def region_from_text(text: str, regions: QuerySet[Region]) -> Region:
    """The one region among ``regions`` that ``text`` (a code or a name, in any
    case and spelling) means; ValidationError in the person's language otherwise:
    unknown, outside ``regions`` (level or the actor's area), or ambiguous."""
    text = text.strip()
    code = _code_in(text)
    if code:
        found = regions.filter(kode=code).select_related("parent").first()
        if found is not None:
            return found
        if Region.objects.filter(kode=code).exists():
            raise forms.ValidationError(
                _(
                    "Region %(kode)s cannot be chosen here (outside your area or "
                    "not this kind of region)."
                )
                % {"kode": code},
                code="out_of_scope",
            )
        raise forms.ValidationError(
            _("No region has the code %(kode)s.") % {"kode": code}, code="unknown"
        )
    pool = list(regions.select_related("parent"))
    by_code = {r.kode: r for r in pool}
    places = [
        Place(kode=r.kode, name=r.name, parent=r.parent.name if r.parent else "")
        for r in pool
    ]
    matches = [by_code[p.kode] for p in resolve(text, places).matches]
    if not matches:
        # Misspellings beyond the skeleton: the search's fuzzy fallback.
        name = text.partition(",")[0]
        matches = [r for r in region_list(q=name)[:20] if r.kode in by_code]
        exact = [r for r in matches if getattr(r, "exact", 1) == 0]
        matches = exact or matches
    if len(matches) == 1:
        return by_code[matches[0].kode]
    if not matches:
        if region_list(q=text.partition(",")[0]).exists():
            raise forms.ValidationError(
                _(
                    "“%(name)s” cannot be chosen here (outside your area or not "
                    "this kind of region)."
                )
                % {"name": text[:100]},
                code="out_of_scope",
            )
        raise forms.ValidationError(
            _(
                "No region named “%(name)s” was found. Check the spelling or choose "
                "one from the list."
            )
            % {"name": text[:100]},
            code="unknown",
        )
    raise forms.ValidationError(
        _(
            "“%(name)s” may mean several regions: %(candidates)s. Choose one from "
            "the list."
        )
        % {
            "name": text[:100],
            "candidates": "; ".join(region_label(r) for r in matches[:10]),
        },
        code="ambiguous",
    )


class RegionInput(forms.TextInput):
    """A text box with a suggestion list (filled by simpul.js when there is
    JavaScript; the server reads the typed text either way)."""

    template_name = "regions/widgets/region_input.html"

    def __init__(self, *, levels: Sequence[str] = (), multiple: bool = False):
        super().__init__(attrs={"autocomplete": "off", "data-region-picker": ""})
        self.levels = list(levels)
        self.multiple = multiple

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-pilihan"
        widget["attrs"]["list"] = list_id
        widget["attrs"]["data-pick-url"] = str(reverse_lazy("regions:pick"))
        widget["attrs"]["data-levels"] = ",".join(self.levels)
        if self.multiple:
            widget["attrs"]["data-multiple"] = ""
        widget["list_id"] = list_id
        return context

    def format_value(self, value: Any) -> str | None:
        # An edit form's initial value is often the code ("64.02.06"): it shows
        # as the region's name, which the field reads back (issue 15).
        if isinstance(value, Region):
            return region_label(value)
        if isinstance(value, (list, tuple)):
            labels = [_label_of(v) for v in value]
            return "; ".join(labels)
        if isinstance(value, str) and _FULL_CODE.match(value.strip()):
            return _label_of(value.strip())
        return super().format_value(value)


class RegionField(forms.Field):
    """A region typed by name or code; cleans to a Region (a list of them with
    ``multiple``: names or codes separated by commas or semicolons), or to the
    code(s) with ``codes`` for views and services that take codes. ``levels``
    limits the kind of region; ``queryset`` (set per actor, e.g. with
    accounts.permissions.code_scope_q) limits where."""

    default_error_messages = {"required": _lazy("Choose a region.")}

    def __init__(
        self,
        *,
        levels: Iterable[str] = (),
        queryset: QuerySet[Region] | None = None,
        multiple: bool = False,
        codes: bool = False,
        **kwargs: Any,
    ) -> None:
        self.levels = list(levels)
        self.multiple = multiple
        self.codes = codes
        self._queryset = queryset
        kwargs.setdefault("widget", RegionInput(levels=self.levels, multiple=multiple))
        super().__init__(**kwargs)

    @property
    def queryset(self) -> QuerySet[Region]:
        # Only the provinces served: a form never takes a region of another
        # deployment's province (nor reads the whole country to match a name).
        regions = self._queryset if self._queryset is not None else Region.objects.all()
        regions = regions.filter(provinces.served_q("kode"))
        return regions.filter(level__in=self.levels) if self.levels else regions

    @queryset.setter
    def queryset(self, value: QuerySet[Region]) -> None:
        self._queryset = value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Region):
            return [value] if self.multiple else value
        text = str(value or "").strip()
        if not self.multiple:
            return region_from_text(text, self.queryset) if text else None
        # The list writes "Name, Parent (code)", so ";" (or a new line)
        # separates when present, else the comma after a "(code)"; plain names
        # and codes by commas.
        if ";" in text or "\n" in text:
            parts = re.split(r"[;\n]", text)
        elif _TAIL_CODE.search(text):
            parts = re.split(r"(?<=\))\s*,\s*", text)
        else:
            parts = text.split(",")
        parts = [p.strip() for p in parts]
        parts = [p for p in parts if p]
        found: list[Region] = []
        errors: list[forms.ValidationError] = []
        for part in parts:
            try:
                region = region_from_text(part, self.queryset)
            except forms.ValidationError as error:
                errors.append(error)
                continue
            if region not in found:
                found.append(region)
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean(self, value: Any) -> Any:
        found = super().clean(value)
        if not self.codes:
            return found
        if self.multiple:
            return [r.kode for r in found]
        return found.kode if found is not None else ""
