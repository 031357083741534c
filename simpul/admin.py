from django.contrib.admin import AdminSite
from django.http import HttpRequest


def restrict_admin_to_superusers(site: AdminSite) -> None:
    """The Django admin is for superusers only; staff work in the staff pages."""

    def has_permission(request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = "Simpul"
