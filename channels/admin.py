from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from channels.models import Consent, OutboxMessage


class ReadOnly(admin.ModelAdmin):
    """For inspection (superusers); changes go through the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnly):
    list_display = [
        "channel",
        "status",
        "origin",
        "reference",
        "attempts",
        "created_at",
        "sent_at",
        "error",
    ]
    list_filter = ["channel", "status", "origin"]
    search_fields = ["dedupe_key", "reference", "provider_message_id"]
    exclude = ["to", "address_hash", "body", "parameters", "image_url"]


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = [
        "channel",
        "address_masked",
        "status",
        "opted_in_source",
        "opted_in_at",
        "opted_out_source",
        "opted_out_at",
        "erased_at",
    ]
    list_filter = ["channel", "status"]
    exclude = ["address_hash"]
