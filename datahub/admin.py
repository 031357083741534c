from django.contrib import admin

from datahub.models import (
    Dataset,
    InfoRequest,
    NonWorkingDay,
    Objection,
    Office,
    Resource,
    ResourceVersion,
    Topic,
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["region"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["name", "kind", "current"]
    readonly_fields = ["current"]
    extra = 0


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "kind", "status", "updated_at"]
    list_filter = ["status", "kind", "topic"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["region", "office", "created_by"]
    inlines = [ResourceInline]


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    list_display = ["resource", "number", "status", "row_count", "created_at"]
    list_filter = ["status"]
    exclude = ["rows"]
    raw_id_fields = ["resource", "created_by"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    """Days off beyond national holidays and cuti bersama known to the
    ``holidays`` package (a new decree, a regional holiday)."""

    list_display = ["date", "name"]


@admin.register(InfoRequest)
class InfoRequestAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "office", "status", "received_on", "due_on"]
    list_filter = ["status"]
    search_fields = ["tracking_number"]
    raw_id_fields = ["office", "answer_dataset", "closed_by"]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["request", "number", "reason", "status", "due_on"]
    raw_id_fields = ["request", "responded_by"]
