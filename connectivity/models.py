"""Blankspots: priority places, observed signal, towers, programmes and plans.

Observed and predicted coverage are kept apart everywhere: observations are what
people saw (``Observation``, ``Place.observed_*``, ``VillageStatus``); predictions
come from the propagation model (``Place.predicted_*``, ``Tower.predicted_range_km``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import validate_finite
from core.models import optional_link, staff_link
from regions.models import region_link

# Bounds of what people may type (and the database keeps): far above any real
# village (the largest kelurahan has about 150,000 people), far below what
# overflows a sum or a 32-bit column.
MAX_PLACE_WEIGHT = 100_000.0
MAX_POPULATION = 10_000_000
MAX_HOUSEHOLDS = 5_000_000
MAX_PLAN_BUDGET = 10_000

INDONESIA_POINT = (
    Q(lat__gte=-11.0) & Q(lat__lte=6.5) & Q(lng__gte=94.0) & Q(lng__lte=141.5)
)

# Sources the system writes itself; pages show their label, never the raw value.
DEMO_SOURCE = "demo/estimate"
SYSTEM_SOURCE_DEFAULT = "default: region representative point"
SOURCE_LABELS = {
    DEMO_SOURCE: _("Demo data (estimate)"),
    SYSTEM_SOURCE_DEFAULT: _("Placed at the village centre, not yet surveyed"),
    "system": _("Added by the system"),
    "import": _("Imported from a file"),
}


class SourceLabelMixin:
    source: str

    @property
    def source_label(self) -> str:
        """The source as people read it (system sources translated)."""
        return str(SOURCE_LABELS.get(self.source, self.source))


class Technology(models.TextChoices):
    NONE = "none", _("No signal")
    G2 = "2g", "2G"
    G3 = "3g", "3G"
    G4 = "4g", "4G"
    G5 = "5g", "5G"


TECH_RANK = {"none": 0, "2g": 2, "3g": 3, "4g": 4, "5g": 5}


class Operator(models.TextChoices):
    UNKNOWN = "", _("Unknown / any")
    TELKOMSEL = "telkomsel", "Telkomsel"
    INDOSAT = "indosat", "Indosat Ooredoo Hutchison"
    XL = "xl", "XL Axiata"
    SMARTFREN = "smartfren", "Smartfren"
    OTHER = "other", _("Other")


class Place(SourceLabelMixin, models.Model):
    """A place that must be reached: a village office, a settlement, a market…"""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Village government office")
        SETTLEMENT = "settlement", _("Settlement")
        MARKET = "market", _("Market")
        PORT = "port", _("Port or jetty")
        HEALTH = "health", _("Health centre")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other economic service")

    ECONOMIC = frozenset({"market", "port", "health", "school", "other"})

    region = region_link("connectivity_places", _("village"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind)
    name = models.CharField(_("name"), max_length=150)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    geometry = models.JSONField(
        _("area (GeoJSON polygon)"), null=True, blank=True, default=None
    )
    households = models.PositiveIntegerField(
        _("households"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOUSEHOLDS)],
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_POPULATION)],
    )
    weight = models.FloatField(
        _("weight"),
        validators=[
            validate_finite,
            MinValueValidator(0),
            MaxValueValidator(MAX_PLACE_WEIGHT),
        ],
    )
    weight_is_custom = models.BooleanField(_("weight set by hand"), default=False)
    source = models.CharField(_("source"), max_length=100, blank=True)
    at_default_location = models.BooleanField(
        _("at the village's representative point (not yet corrected)"), default=False
    )
    # Observed (derived from observations; never typed by hand).
    observed_tech = models.CharField(
        _("observed signal"), max_length=4, choices=Technology, blank=True
    )
    observed_at = models.DateTimeField(_("observed"), null=True, blank=True)
    observed_from_village = models.BooleanField(default=False)
    # Predicted (from the propagation model and the towers on air).
    predicted_covered = models.BooleanField(
        _("predicted covered"), null=True, blank=True
    )
    predicted_margin_db = models.FloatField(null=True, blank=True)
    predicted_tower = optional_link("Tower")
    created_by = staff_link()
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("priority place")
        verbose_name_plural = _("priority places")
        constraints = [
            models.CheckConstraint(
                condition=INDONESIA_POINT, name="place_point_in_indonesia"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=MAX_PLACE_WEIGHT),
                name="place_weight_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(households__isnull=True) | Q(households__lte=MAX_HOUSEHOLDS)
                )
                & (Q(population__isnull=True) | Q(population__lte=MAX_POPULATION)),
                name="place_counts_range",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="office"),
                name="place_one_office_per_village",
            ),
        ]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_signal(self) -> bool | None:
        from connectivity.conf import usable_min_tech

        if not self.observed_tech:
            return None
        return TECH_RANK[self.observed_tech] >= TECH_RANK[usable_min_tech()]


class Observation(SourceLabelMixin, models.Model):
    """The signal someone saw at a place or in a village, at a time.

    Public reports stay ``unconfirmed`` (kept apart from surveyed data) until staff
    confirm them; only confirmed observations feed the derived village status.
    """

    class Method(models.TextChoices):
        SURVEY = "survey", _("Field survey")
        CITIZEN = "citizen_report", _("Citizen report")
        OPERATOR = "operator_data", _("Operator data")
        BAKTI = "bakti_list", _("BAKTI list")
        GOVERNMENT = "government_list", _("Government list")

    class Service(models.TextChoices):
        ANY = "any", _("Voice and data")
        VOICE = "voice", _("Voice only")
        DATA = "data", _("Data only")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    region = region_link("connectivity_observations", _("village"))
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("place"),
    )
    technology = models.CharField(_("signal"), max_length=4, choices=Technology)
    operator = models.CharField(
        _("operator"), max_length=12, choices=Operator, blank=True
    )
    service = models.CharField(
        _("service"), max_length=5, choices=Service, default=Service.ANY
    )
    observed_at = models.DateTimeField(_("observed"), default=timezone.now)
    method = models.CharField(_("how"), max_length=16, choices=Method)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.CONFIRMED
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    observer = staff_link(_("observer"))
    idempotency_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, default=None
    )
    reviewed_by = staff_link()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-observed_at", "-id"]
        verbose_name = _("signal observation")
        verbose_name_plural = _("signal observations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lng__isnull=True)) | INDONESIA_POINT,
                name="observation_point_in_indonesia",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "observed_at"]),
            models.Index(fields=["place", "status", "observed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.technology} {self.observed_at:%Y-%m-%d}"


class VillageStatus(models.Model):
    """A village's derived connectivity, refreshed from its confirmed observations.

    Never typed by hand: ``connectivity.services.village_status_refresh`` writes it.
    A village is a blankspot when its office, or most of its settlement weight, has
    no usable signal.
    """

    class Status(models.TextChoices):
        BLANKSPOT = "blankspot", _("Blankspot")
        PARTIAL = "partial", _("Partly covered")
        COVERED = "covered", _("Covered")
        UNKNOWN = "unknown", _("Unknown")

    region = models.OneToOneField(
        "regions.Region",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="connectivity_status",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.UNKNOWN
    )
    office_signal = models.BooleanField(_("office has signal"), null=True, blank=True)
    best_tech = models.CharField(max_length=4, choices=Technology, blank=True)
    settlement_weight = models.FloatField(default=0)
    settlement_weight_signal = models.FloatField(default=0)
    settlement_weight_known = models.FloatField(default=0)
    economic_total = models.PositiveIntegerField(default=0)
    economic_signal = models.PositiveIntegerField(default=0)
    places_total = models.PositiveIntegerField(default=0)
    weight_total = models.FloatField(default=0)
    weight_signal = models.FloatField(default=0)
    predicted_weight = models.FloatField(default=0)
    last_observed_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("village connectivity status")
        verbose_name_plural = _("village connectivity statuses")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.status}"

    @property
    def has_signal(self) -> bool | None:
        if self.status == self.Status.UNKNOWN:
            return None
        return self.status != self.Status.BLANKSPOT


class Programme(SourceLabelMixin, models.Model):
    """A trial or programme against blankspots, with its villages and towers."""

    class Kind(models.TextChoices):
        TRIAL = "trial", _("Trial")
        PROGRAMME = "programme", _("Programme")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=10, choices=Kind, default=Kind.PROGRAMME
    )
    owner = models.CharField(_("run by"), max_length=150, blank=True)
    region = region_link("connectivity_programmes")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    target_villages = models.PositiveIntegerField(
        _("target number of villages"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    villages = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="connectivity_in_programmes",
        verbose_name=_("villages"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("connectivity:programme", kwargs={"slug": self.slug})


class Tower(SourceLabelMixin, models.Model):
    """An existing or planned site, with its radio configuration for the model."""

    class Owner(models.TextChoices):
        BAKTI = "bakti", _("BAKTI (national programme)")
        REPEATER = "repeater", _("Regency repeater")
        OPERATOR = "operator", _("Operator")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SURVEYED = "surveyed", _("Surveyed")
        LAND_READY = "land_ready", _("Land ready")
        CONSTRUCTION = "construction", _("Under construction")
        ON_AIR = "on_air", _("On air")

    class Power(models.TextChoices):
        UNKNOWN = "", _("Unknown")
        GRID = "grid", _("PLN grid")
        SOLAR = "solar", _("Solar")
        HYBRID = "hybrid", _("Hybrid")
        GENSET = "genset", _("Generator")

    class Backhaul(models.TextChoices):
        UNKNOWN = "", _("Unknown")
        VSAT = "vsat", "VSAT"
        MICROWAVE = "microwave", _("Microwave")
        FIBRE = "fibre", _("Fibre optic")

    class PropagationModel(models.TextChoices):
        HATA = "hata", "Okumura-Hata"
        COST231 = "cost231", "COST-231 Hata"
        ITM = "itm", _("ITM (Longley-Rice) area mode")

    class Environment(models.TextChoices):
        URBAN = "urban", _("Urban")
        SUBURBAN = "suburban", _("Suburban")
        RURAL = "rural", _("Rural / open")

    class Terrain(models.TextChoices):
        FLAT = "flat", _("Flat")
        WATER = "water", _("Water")
        PLAINS = "plains", _("Plains")
        HILLS = "hills", _("Hills")
        MOUNTAINS = "mountains", _("Mountains")
        RUGGED = "rugged_mountains", _("Rugged mountains")

    STATUS_ORDER = ["proposed", "surveyed", "land_ready", "construction", "on_air"]

    name = models.CharField(_("name"), max_length=150)
    region = region_link("connectivity_towers")
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    owner = models.CharField(_("operator or programme"), max_length=10, choices=Owner)
    operator = models.CharField(
        _("operator"), max_length=12, choices=Operator, blank=True
    )
    programme = optional_link(Programme, _("programme"), related_name="towers")
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PROPOSED
    )
    technology = models.CharField(
        _("technology"), max_length=4, choices=Technology, default=Technology.G4
    )
    band = models.CharField(_("band"), max_length=40, blank=True)
    height_m = models.FloatField(_("height (m)"), default=42.0)
    power = models.CharField(_("power source"), max_length=8, choices=Power, blank=True)
    backhaul = models.CharField(
        _("backhaul"), max_length=10, choices=Backhaul, blank=True
    )
    # Radio configuration for the propagation model; defaults in
    # connectivity.coverage.SiteConfig (900 MHz, EIRP 58 dBm, -100 dBm, 10 dB).
    model = models.CharField(
        _("propagation model"),
        max_length=8,
        choices=PropagationModel,
        default=PropagationModel.HATA,
    )
    environment = models.CharField(
        _("environment"), max_length=8, choices=Environment, default="suburban"
    )
    terrain = models.CharField(
        _("terrain roughness"), max_length=16, choices=Terrain, default="hills"
    )
    frequency_mhz = models.FloatField(_("frequency (MHz)"), default=900.0)
    eirp_dbm = models.FloatField(_("EIRP (dBm)"), default=58.0)
    sensitivity_dbm = models.FloatField(_("receiver sensitivity (dBm)"), default=-100.0)
    predicted_range_km = models.FloatField(
        _("predicted range (km)"), null=True, blank=True
    )
    predicted_terrain_aware = models.BooleanField(default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    plan = optional_link("SitingPlan", related_name="towers")
    on_air_at = models.DateField(_("on air since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("tower")
        verbose_name_plural = _("towers")
        constraints = [
            models.CheckConstraint(
                condition=INDONESIA_POINT, name="tower_point_in_indonesia"
            ),
            models.CheckConstraint(
                condition=Q(height_m__gt=0) & Q(height_m__lte=300),
                name="tower_height_range",
            ),
            models.CheckConstraint(
                condition=Q(frequency_mhz__gte=20) & Q(frequency_mhz__lte=20000),
                name="tower_frequency_range",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("connectivity:tower", kwargs={"pk": self.pk})

    @property
    def is_on_air(self) -> bool:
        return self.status == self.Status.ON_AIR


class TowerStatusChange(models.Model):
    """History of a tower's status (proposed → … → on air)."""

    tower = models.ForeignKey(
        Tower, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Tower.Status, blank=True)
    to_status = models.CharField(max_length=12, choices=Tower.Status)
    at = models.DateTimeField(default=timezone.now)
    by = staff_link()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("tower status change")
        verbose_name_plural = _("tower status changes")

    def __str__(self) -> str:
        return f"{self.tower_id}: {self.from_status} → {self.to_status}"


class TowerDossier(models.Model):
    """What BAKTI asks of a local government before it builds a tower."""

    class LandStatus(models.TextChoices):
        NONE = "none", _("Not yet identified")
        IDENTIFIED = "identified", _("Identified")
        OFFERED = "offered", _("Offered by the government (letter)")
        CERTIFIED = "certified", _("Handed over, with certificate")

    class Access(models.TextChoices):
        UNKNOWN = "", _("Unknown")
        ROAD = "road", _("Road (car)")
        TRACK = "track", _("Track (motorbike)")
        RIVER = "river", _("River only")
        NONE = "none", _("No access")

    tower = models.OneToOneField(
        Tower, on_delete=models.CASCADE, primary_key=True, related_name="dossier"
    )
    land_status = models.CharField(
        _("land"), max_length=10, choices=LandStatus, default=LandStatus.NONE
    )
    land_width_m = models.FloatField(_("plot width (m)"), default=20.0)
    land_length_m = models.FloatField(_("plot length (m)"), default=20.0)
    land_owner = models.CharField(_("land owner"), max_length=200, blank=True)
    land_letter = models.CharField(
        _("land offer/hand-over letter (number, date)"), max_length=200, blank=True
    )
    access = models.CharField(_("access"), max_length=6, choices=Access, blank=True)
    access_notes = models.CharField(_("access notes"), max_length=300, blank=True)
    power_available = models.CharField(
        _("power at the site"), max_length=8, choices=Tower.Power, blank=True
    )
    request_letter = models.CharField(
        _("request letter of the regent (number, date)"), max_length=200, blank=True
    )
    support_letter = models.CharField(
        _("statement of support/security (number, date)"),
        max_length=200,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal dossier")
        verbose_name_plural = _("proposal dossiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(land_width_m__gt=0) & Q(land_length_m__gt=0),
                name="dossier_land_size_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tower_id}"

    def checklist(self) -> list[tuple[str, bool]]:
        """BAKTI's requirements and whether each is met."""
        return [
            (
                str(_("Plot of at least 20 × 20 m")),  # noqa: RUF001
                self.land_width_m >= 20 and self.land_length_m >= 20,
            ),
            (
                str(_("Land offered by the local government")),
                self.land_status in ("offered", "certified") and bool(self.land_letter),
            ),
            (str(_("Access to the site")), self.access in ("road", "track", "river")),
            (str(_("Power source identified")), bool(self.power_available)),
            (str(_("Request letter")), bool(self.request_letter)),
            (str(_("Statement of support")), bool(self.support_letter)),
        ]

    @property
    def complete(self) -> bool:
        return all(ok for _, ok in self.checklist())


class SitingPlan(models.Model):
    """A run of the tower-siting planner: its inputs and its outputs."""

    class Objective(models.TextChoices):
        MAX_COVER = "max_cover", _("Most weight within the budget")
        SET_COVER = "set_cover", _("Every place with the fewest towers")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = region_link("connectivity_plans")
    name = models.CharField(_("name"), max_length=150, blank=True)
    objective = models.CharField(
        _("objective"), max_length=10, choices=Objective, default=Objective.MAX_COVER
    )
    budget = models.PositiveIntegerField(
        _("budget (towers)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PLAN_BUDGET)],
    )
    radius_km = models.FloatField(_("site radius (km)"))
    grid_km = models.FloatField(_("candidate grid spacing (km)"), default=5.0)
    time_limit = models.FloatField(_("time limit (s)"), default=10.0)
    method = models.CharField(max_length=8, default="exact")
    instance = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.PENDING
    )
    error = models.TextField(blank=True)
    covered_share_before = models.FloatField(null=True, blank=True)
    covered_share_after = models.FloatField(null=True, blank=True)
    created_by = staff_link()
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("siting plan")
        verbose_name_plural = _("siting plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_km__gt=0) & Q(radius_km__lte=100),
                name="plan_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(grid_km__gte=0.5) & Q(grid_km__lte=50),
                name="plan_grid_range",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True)
                | (Q(budget__gte=0) & Q(budget__lte=MAX_PLAN_BUDGET)),
                name="plan_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.region_id} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("connectivity:plan", kwargs={"pk": self.pk})


class ProgressSnapshot(models.Model):
    """Progress figures of a regency or kecamatan on a day, for charts over time."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    villages = models.PositiveIntegerField(default=0)
    villages_known = models.PositiveIntegerField(default=0)
    villages_signal = models.PositiveIntegerField(default=0)
    offices_known = models.PositiveIntegerField(default=0)
    offices_signal = models.PositiveIntegerField(default=0)
    settlement_weight = models.FloatField(default=0)
    settlement_weight_signal = models.FloatField(default=0)
    economic = models.PositiveIntegerField(default=0)
    economic_signal = models.PositiveIntegerField(default=0)
    towers_on_air = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["region_id", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "day"], name="progress_one_per_region_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"


class Dem(models.Model):
    """A digital elevation model (GeoTIFF, EPSG:4326) an administrator imported."""

    name = models.CharField(_("name"), max_length=150)
    file = models.FileField(_("GeoTIFF file"), upload_to="connectivity/dem/")
    lat_min = models.FloatField()
    lat_max = models.FloatField()
    lng_min = models.FloatField()
    lng_max = models.FloatField()
    shape = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("elevation model (DEM)")
        verbose_name_plural = _("elevation models (DEM)")

    def __str__(self) -> str:
        return self.name
