from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from connectivity import conf
from connectivity.geo import point_problem
from connectivity.models import (
    MAX_HOUSEHOLDS,
    MAX_PLACE_WEIGHT,
    MAX_POPULATION,
    Observation,
    Operator,
    Place,
    Programme,
    SitingPlan,
    Technology,
    Tower,
    TowerDossier,
)
from connectivity.services import DOSSIER_FIELDS
from core.forms import text_field
from regions.forms import RegionField
from regions.models import Region


class PointMixin(forms.Form):
    """Latitude/longitude fields checked against Indonesia (and for a swap)."""

    lat = forms.FloatField(
        label=_("Latitude"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Tap the map to fill in."),
    )
    lng = forms.FloatField(
        label=_("Longitude"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lng = data.get("lat"), data.get("lng")
        if lat is not None and lng is not None:
            problem = point_problem(lat, lng)
            if problem:
                self.add_error("lat", problem)
        return data


class PlaceForm(PointMixin):
    kind = forms.ChoiceField(label=_("Type"), choices=Place.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    households = forms.IntegerField(
        label=_("Households"), min_value=0, max_value=MAX_HOUSEHOLDS, required=False
    )
    population = forms.IntegerField(
        label=_("Population"), min_value=0, max_value=MAX_POPULATION, required=False
    )
    weight = forms.FloatField(
        label=_("Weight"),
        min_value=0,
        max_value=MAX_PLACE_WEIGHT,
        required=False,
        help_text=_(
            "Leave empty for the default: office 3; market, port, health centre, "
            "school 2; settlement 1 per 100 people (1 when unknown)."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=100, required=False)

    field_order = [
        "kind",
        "name",
        "lat",
        "lng",
        "households",
        "population",
        "weight",
        "source",
    ]


class ObservationForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("The whole village"),
    )
    technology = forms.ChoiceField(label=_("Signal"), choices=Technology.choices)
    operator = forms.ChoiceField(
        label=_("Operator"), choices=Operator.choices, required=False
    )
    service = forms.ChoiceField(label=_("Service"), choices=Observation.Service.choices)
    method = forms.ChoiceField(label=_("How"), choices=Observation.Method.choices)
    observed_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, region: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ModelChoiceField)
        if region is not None:
            field.queryset = Place.objects.filter(region=region)


class ReportForm(forms.Form):
    """The public "no signal here" form (without JavaScript it posts here)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    region = forms.CharField(
        label=_("Village"),
        max_length=150,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "villages",
                "placeholder": "64.02.12.2005",
                "autocomplete": "off",
            }
        ),
        help_text=_("Type the village name and choose it, or use your location."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    technology = forms.ChoiceField(
        label=_("What signal is there?"), choices=Technology.choices, initial="none"
    )
    operator = forms.ChoiceField(
        label=_("Operator"), choices=Operator.choices, required=False
    )
    note = text_field(_("Note (optional)"), rows=2, max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A code picked from the list or a name as typed: the view resolves it.
        region = (data.get("region") or "").strip()
        data["region"] = region
        lat, lng = data.get("lat"), data.get("lng")
        if lat is not None or lng is not None:
            problem = point_problem(lat, lng)
            if problem:
                self.add_error("region", problem)
        if not region and (lat is None or lng is None):
            self.add_error("region", _("Choose your village or share your location."))
        return data


class TowerForm(PointMixin):
    name = forms.CharField(label=_("Name"), max_length=150)
    region = RegionField(
        label=_("Village"),
        levels=[Region.Level.VILLAGE],
        codes=True,
        help_text=_("Name or code of the village, e.g. Muara Aloh or 64.02.12.2005."),
    )
    owner = forms.ChoiceField(
        label=_("Operator or programme"), choices=Tower.Owner.choices
    )
    operator = forms.ChoiceField(
        label=_("Operator"), choices=Operator.choices, required=False
    )
    technology = forms.ChoiceField(
        label=_("Technology"), choices=Technology.choices, initial="4g"
    )
    band = forms.CharField(label=_("Band"), max_length=40, required=False)
    height_m = forms.FloatField(
        label=_("Height (m)"), min_value=1, max_value=300, initial=42
    )
    power = forms.ChoiceField(
        label=_("Power source"), choices=Tower.Power.choices, required=False
    )
    backhaul = forms.ChoiceField(
        label=_("Backhaul"), choices=Tower.Backhaul.choices, required=False
    )
    model = forms.ChoiceField(
        label=_("Propagation model"), choices=Tower.PropagationModel.choices
    )
    environment = forms.ChoiceField(
        label=_("Environment"), choices=Tower.Environment.choices, initial="suburban"
    )
    terrain = forms.ChoiceField(
        label=_("Terrain roughness (ITM)"),
        choices=Tower.Terrain.choices,
        initial="hills",
    )
    frequency_mhz = forms.FloatField(
        label=_("Frequency (MHz)"), min_value=20, max_value=20000, initial=900
    )
    eirp_dbm = forms.FloatField(label=_("EIRP (dBm)"), initial=58)
    sensitivity_dbm = forms.FloatField(
        label=_("Receiver sensitivity (dBm)"), initial=-100
    )

    field_order = ["name", "region", "lat", "lng", "owner", "operator"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Tower.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DossierForm(forms.ModelForm):
    class Meta:
        model = TowerDossier
        fields = list(DOSSIER_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def _rupiah(label: Any, help_text: Any = "") -> forms.DecimalField:
    """An optional whole amount of rupiah."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=16,
        decimal_places=0,
        required=False,
        help_text=help_text,
    )


class PlanForm(forms.Form):
    region = RegionField(
        label=_("Region"),
        levels=[Region.Level.REGENCY, Region.Level.DISTRICT],
        codes=True,
        help_text=_("A regency or kecamatan, e.g. Kutai Kartanegara or 64.02.16."),
    )
    objective = forms.ChoiceField(
        label=_("Objective"), choices=SitingPlan.Objective.choices
    )
    budget = forms.IntegerField(
        label=_("Budget (new towers)"),
        min_value=0,
        max_value=1000,
        initial=10,
        required=False,
    )
    site_cost = _rupiah(_("Cost of one new site (Rp)"))
    money_budget = _rupiah(
        _("Money budget (Rp)"),
        _("Optional: the plan then also stays within this amount."),
    )
    radius_km = forms.FloatField(
        label=_("Site radius (km)"),
        min_value=0.5,
        max_value=100,
        required=False,
        help_text=_("Empty: the predicted range of a standard 42 m, 900 MHz site."),
    )
    grid_km = forms.FloatField(
        label=_("Candidate grid spacing (km)"),
        min_value=0.5,
        max_value=50,
        initial=conf.DEFAULT_GRID_KM,
    )
    time_limit = forms.FloatField(
        label=_("Time limit (s)"), min_value=1, max_value=300, initial=10
    )
    points = forms.CharField(
        label=_("Your own candidate points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "-0.42, 116.99"}),
        help_text=_("One 'lat, lng' per line; tap the map to add."),
    )

    def clean_points(self) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for n, line in enumerate(self.cleaned_data.get("points", "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                lat_s, lng_s = line.replace(";", ",").split(",")[:2]
                lat, lng = float(lat_s), float(lng_s)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s is not 'lat, lng'.") % {"n": n}
                ) from None
            problem = point_problem(lat, lng)
            if problem:
                raise forms.ValidationError(f"{n}: {problem}")
            out.append((lat, lng))
        return out


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or GeoJSON file"),
        help_text=_(
            "Columns/properties: region (village code), kind, name, lat, lng, "
            "households, population, weight, source; id to correct a place."
        ),
    )


class DemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    file = forms.FileField(label=_("GeoTIFF (EPSG:4326)"))


class ProgrammeForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name (in the address)"),
        max_length=60,
        help_text=_("Lowercase letters, digits and hyphens, e.g. bakti-2026."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Programme.Kind.choices)
    # Picked by name (issue 15: no typed codes); cleans to the code.
    region = RegionField(
        label=_("Region"),
        levels=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT],
        codes=True,
        help_text=_(
            "The regency or kecamatan it covers, e.g. Kutai Kartanegara or Tenggarong."
        ),
    )
    owner = forms.CharField(label=_("Run by"), max_length=150, required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, required=False
    )
    target_villages = forms.IntegerField(
        label=_("Target number of villages"), min_value=0, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    # Picked by name too (issue 15); codes, one per line, are still read.
    villages = RegionField(
        label=_("Villages"),
        levels=[Region.Level.VILLAGE],
        multiple=True,
        codes=True,
        required=False,
        help_text=_(
            "Type a village's name and pick it from the list; several separated "
            "by semicolons."
        ),
    )
