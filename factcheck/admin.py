from django.contrib import admin
from django.http import HttpRequest

from factcheck.models import FactCheck, FeedSource


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    """Feeds are configured here (superusers); the worker imports them."""

    list_display = ["name", "format", "url", "active", "last_fetched_at", "last_result"]
    list_filter = ["format", "active"]
    readonly_fields = ["last_fetched_at", "last_result"]


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    """For inspection; changes go through the desk (services, audit, index)."""

    list_display = ["title", "verdict", "publisher", "published_on", "status"]
    list_filter = ["status", "verdict", "is_own"]
    search_fields = ["title", "external_id", "url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: FactCheck | None = None
    ) -> bool:
        return False
