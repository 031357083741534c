from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from channels.models import Consent, OutboxMessage, SocialAccount, SocialPost


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


@admin.register(SocialAccount)
class SocialAccountAdmin(ReadOnly):
    list_display = ["platform", "name", "owner_name", "region", "status", "expires_at"]
    list_filter = ["platform", "status"]
    search_fields = ["name", "owner_name", "external_id"]
    exclude = ["token_encrypted"]


@admin.register(SocialPost)
class SocialPostAdmin(ReadOnly):
    list_display = ["account", "source_key", "problem", "permalink", "posted_at"]
    list_filter = ["account__platform", "problem"]
    search_fields = ["source_key", "platform_post_id"]
