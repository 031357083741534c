from django.contrib import admin

from connectivity.models import (
    Dem,
    Observation,
    Place,
    Programme,
    SitingPlan,
    Tower,
    TowerDossier,
    TowerStatusChange,
    VillageStatus,
)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "weight", "observed_tech", "source"]
    list_filter = ["kind", "observed_tech"]
    search_fields = ["name", "region__kode", "region__name"]
    raw_id_fields = ["region", "created_by", "predicted_tower"]
    readonly_fields = [
        "observed_tech",
        "observed_at",
        "observed_from_village",
        "predicted_covered",
        "predicted_margin_db",
        "predicted_tower",
    ]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["region", "place", "technology", "operator", "method", "status"]
    list_filter = ["status", "method", "technology"]
    search_fields = ["region__kode", "region__name"]
    raw_id_fields = ["region", "place", "observer", "reviewed_by"]


@admin.register(VillageStatus)
class VillageStatusAdmin(admin.ModelAdmin):
    """Derived: shown, never edited by hand."""

    list_display = ["region", "status", "office_signal", "best_tech", "refreshed_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class DossierInline(admin.StackedInline):
    model = TowerDossier


class StatusInline(admin.TabularInline):
    model = TowerStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]


@admin.register(Tower)
class TowerAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "owner", "status", "predicted_range_km"]
    list_filter = ["status", "owner"]
    search_fields = ["name", "region__kode"]
    raw_id_fields = ["region", "programme", "plan"]
    inlines = [DossierInline, StatusInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "year", "target_villages"]
    raw_id_fields = ["region"]
    filter_horizontal = ["villages"]


@admin.register(SitingPlan)
class SitingPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "budget", "status", "covered_share_after"]
    raw_id_fields = ["region", "created_by"]


admin.site.register(Dem)
