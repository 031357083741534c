from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import ApiToken, AuditEntry, User
from accounts.permissions import can, code_scope_q, scope_filter


def user_list(*, actor: User, q: str = "", role: str = "") -> QuerySet[User]:
    """Accounts the actor may see: those of their region and below."""
    if not can(actor, "view", "accounts.user"):
        return User.objects.none()
    users = scope_filter(actor, User.objects.select_related("region"))
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        users = users.filter(role=role)
    return users


def user_get(*, actor: User, pk: int) -> User | None:
    return user_list(actor=actor).filter(pk=pk).first()


def audit_list(*, actor: User) -> QuerySet[AuditEntry]:
    if not can(actor, "view", "accounts.audit"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(code_scope_q(actor, "region_code"))


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def user_counts_by_role(*, actor: User) -> dict[str, int]:
    rows = user_list(actor=actor).values("role").annotate(n=Count("pk"))
    return {row["role"]: row["n"] for row in rows}
