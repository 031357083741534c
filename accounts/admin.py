from django.contrib import admin
from django.http import HttpRequest

from accounts.models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "region", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["region"]
    exclude = ["password", "user_permissions", "groups"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    exclude = ["key_hash"]
