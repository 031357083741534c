"""The one permission layer: what a user may see and change, by role and region.

Apps declare their rules once (``register_rules``) and then ask ``can`` / ``require``
for single objects and ``scope_filter`` for querysets. A user's scope is their region
and everything beneath it (Kemendagri codes nest, so it is a code-prefix match); a
superuser's scope is everything. Records outside the scope are treated as absent
(404), so their existence is not disclosed.

A rule maps an action to the roles allowed to perform it. A role written as
``"kim_coordinator:own"`` is allowed only where the caller confirms that the object
belongs to the user (``is_own=True``), e.g. a coordinator editing their own KIM.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from accounts.models import Role
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from accounts.models import User

M = TypeVar("M", bound=Model)

STAFF_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN, Role.DISTRICT_OPERATOR}
)
ALL_ROLES = frozenset(Role.values)

# Roles a user of each role may hand out when creating accounts in their scope.
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: ALL_ROLES,
    Role.REGENCY_ADMIN: ALL_ROLES - {Role.PROVINCE_ADMIN},
    Role.DISTRICT_OPERATOR: frozenset({Role.KIM_COORDINATOR, Role.KIM_MEMBER}),
}

# The level of region each role is bound to (the province admin to the province).
ROLE_REGION_LEVELS: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: frozenset({"provinsi"}),
    Role.REGENCY_ADMIN: frozenset({"kabkota"}),
    Role.DISTRICT_OPERATOR: frozenset({"kecamatan"}),
    Role.KIM_COORDINATOR: frozenset({"kecamatan", "desa_kel"}),
    Role.KIM_MEMBER: frozenset({"kecamatan", "desa_kel"}),
    Role.FACT_CHECKER: frozenset({"provinsi", "kabkota"}),
    Role.EDITOR: frozenset({"provinsi", "kabkota", "kecamatan"}),
}

_rules: dict[str, dict[str, frozenset[str]]] = {}


def register_rules(resource: str, rules: dict[str, Iterable[str]]) -> None:
    """Declare who may do what to ``resource`` (e.g. ``"network.kim"``)."""
    _rules[resource] = {action: frozenset(roles) for action, roles in rules.items()}


def rules_for(resource: str) -> dict[str, frozenset[str]]:
    try:
        return _rules[resource]
    except KeyError:
        raise LookupError(f"no permission rules registered for {resource!r}") from None


def scope_code(user: User | AnonymousUser) -> str | None:
    """The region code a user is limited to; None means the whole platform."""
    if getattr(user, "is_superuser", False):
        return None
    return getattr(user, "region_id", None) or "~none~"


def in_scope(user: User | AnonymousUser, region_code: str | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    scope = scope_code(user)
    if scope is None:
        return True
    if not region_code:
        return False
    return region_code == scope or region_code.startswith(scope + ".")


def code_scope_q(user: User | AnonymousUser, lookup: str) -> Q:
    """A filter for records whose region code (at ``lookup``) is in the user's scope."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = scope_code(user)
    if scope is None:
        return Q()
    return subtree_q(scope, lookup)


def scope_q(user: User | AnonymousUser, field: str = "region") -> Q:
    """A filter for records whose ``field`` (a FK to Region) lies in the user's scope.

    ``field__kode`` names the FK's own column (Django trims the join).
    """
    return code_scope_q(user, f"{field}__kode")


def scope_filter(
    user: User | AnonymousUser, queryset: QuerySet[M], field: str = "region"
) -> QuerySet[M]:
    return queryset.filter(scope_q(user, field))


def can(
    user: User | AnonymousUser,
    action: str,
    resource: str,
    *,
    region_code: str | None = None,
    is_own: bool | None = None,
) -> bool:
    """Whether ``user`` may perform ``action`` on ``resource``.

    ``region_code`` is the region of the object concerned (omit it for actions not
    tied to one object, such as opening a list, which ``scope_filter`` then limits).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    allowed = rules_for(resource).get(action, frozenset())
    role: str = getattr(user, "role", "")
    if role in allowed:
        pass
    elif f"{role}:own" in allowed:
        if not is_own:
            return False
    else:
        return False
    return region_code is None or in_scope(user, region_code)


def require(
    user: User | AnonymousUser, action: str, resource: str, **kwargs: Any
) -> None:
    if not can(user, action, resource, **kwargs):
        raise PermissionDenied


def permitted_user(request: HttpRequest, action: str, resource: str) -> User:
    """The signed-in user behind ``request``, who may ``action`` ``resource`` in
    their area (an action not tied to one object: a list, a "new" form); a 403 for
    anyone else.  Staff views start with it instead of checking by hand."""
    from accounts.models import User

    user = request.user
    if not isinstance(user, User) or not can(user, action, resource):
        raise PermissionDenied
    return user
