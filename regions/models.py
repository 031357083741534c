from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from regions.search import normalize, skeleton


class Region(models.Model):
    """An administrative region keyed on its Kemendagri code.

    Codes are hierarchical ("64" ⊃ "64.02" ⊃ "64.02.06" ⊃ "64.02.06.1001"), so every
    descendant of a region shares its code followed by a dot: scope checks and
    subtree counts are prefix matches on the primary key.
    """

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabkota", _("Regency/city")
        DISTRICT = "kecamatan", _("District")
        VILLAGE = "desa_kel", _("Village")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")
        DISTRICT = "kecamatan", _("District")
        DESA = "desa", _("Village (desa)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")

    kode = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level)
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    lng = models.FloatField(_("centroid longitude"), null=True, blank=True)
    # Null where no geometry is known (the national list has none outside Kaltim):
    # pages then hide the map, or place it at an ancestor's point (map_point).
    rep_lat = models.FloatField(
        _("representative point latitude"), null=True, blank=True
    )
    rep_lng = models.FloatField(
        _("representative point longitude"), null=True, blank=True
    )
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    # A code Kemendagri's latest list no longer has: kept with everything that
    # points at it (KIMs, reports…), never deleted, and offered for no new record.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    # Names the region had before a rename ([{"name", "until"}], oldest first),
    # and their search forms, so that an old name still finds it.
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    former_search = models.CharField(
        max_length=255, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["kode"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rep_lat__isnull=True, rep_lng__isnull=True)
                | (
                    Q(rep_lat__gte=-90, rep_lat__lte=90)
                    & Q(rep_lng__gte=-180, rep_lng__lte=180)
                ),
                name="region_rep_point_valid_or_none",
            ),
            models.CheckConstraint(
                condition=Q(level="provinsi", parent__isnull=True)
                | (~Q(level="provinsi") & Q(parent__isnull=False)),
                name="region_only_province_without_parent",
            ),
            models.CheckConstraint(
                condition=Q(
                    kode__regex=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
                ),
                name="region_kode_format",
            ),
        ]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = normalize(self.name)
        self.search_key = skeleton(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", kwargs={"kode": self.kode})

    @property
    def is_province(self) -> bool:
        return self.level == self.Level.PROVINCE

    @property
    def has_point(self) -> bool:
        return self.rep_lat is not None and self.rep_lng is not None

    @property
    def point(self) -> tuple[float, float]:
        """The representative point, for code that only handles regions having one
        (found by a coordinate range, Kaltim's demo data); ValueError otherwise."""
        if self.rep_lat is None or self.rep_lng is None:
            raise ValueError(f"region {self.kode} has no coordinates")
        return (self.rep_lat, self.rep_lng)

    @cached_property
    def map_point(self) -> tuple[float, float] | None:
        """Where a map of the region centres: its own point, else the nearest
        ancestor's (one query); None where no ancestor has one (then no map)."""
        if self.rep_lat is not None and self.rep_lng is not None:
            return (self.rep_lat, self.rep_lng)
        parts = self.kode.split(".")
        codes = [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
        points: dict[str, tuple[float, float]] = {}
        for kode, lat, lng in Region.objects.filter(
            kode__in=codes, rep_lat__isnull=False, rep_lng__isnull=False
        ).values_list("kode", "rep_lat", "rep_lng"):
            if lat is not None and lng is not None:
                points[kode] = (lat, lng)
        return next((points[c] for c in codes if c in points), None)

    @property
    def map_lat(self) -> float | None:
        return self.map_point[0] if self.map_point else None

    @property
    def map_lng(self) -> float | None:
        return self.map_point[1] if self.map_point else None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def map_zoom(self) -> int:
        """The zoom level (web map tiles) at which the region fills a phone's map;
        its boundaries are simplified for it (``regions.selectors``)."""
        return {"provinsi": 6, "kabkota": 8, "kecamatan": 10}.get(self.level, 12)

    def contains_code(self, kode: str) -> bool:
        """Whether the region with code ``kode`` is this region or lies inside it."""
        return kode == self.kode or kode.startswith(self.kode + ".")


class RegionBoundary(models.Model):
    """A region's simplified boundary as a GeoJSON geometry (lon/lat order).

    Kept apart from Region so that lists and joins never load polygons.
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return f"{self.region_id}"


def region_link(
    related_name: str,
    verbose_name: Any = None,
    *,
    on_delete: Any = models.PROTECT,
    **kwargs: Any,
) -> Any:
    """The region a record belongs to.

    Protected by default: a region that still has records is never deleted along
    with them (regions are replaced by a Kemendagri import, not by hand).
    """
    return models.ForeignKey(
        "regions.Region",
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name or _("region"),
        **kwargs,
    )
