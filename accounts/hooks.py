"""What the accounts app plugs into the house (called by ``core.hooks``)."""

from __future__ import annotations

from datetime import timedelta


def register() -> None:
    from accounts import signals  # noqa: F401  (connects the login audit)
    from accounts.models import Role
    from accounts.permissions import STAFF_ROLES, register_rules
    from accounts.tasks import audit_prune_task
    from core.demo import register_demo
    from core.schedule import register_periodic

    register_rules(
        "accounts.user",
        {"view": STAFF_ROLES, "create": STAFF_ROLES, "change": STAFF_ROLES},
    )
    register_rules(
        "accounts.audit",
        {"view": {Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN, Role.DISTRICT_OPERATOR}},
    )
    register_demo("accounts", _demo_accounts, order=10)
    register_periodic("accounts.audit_prune", audit_prune_task, every=timedelta(days=1))


def _demo_accounts() -> list[str]:
    from accounts.services import demo_accounts_ensure

    created = demo_accounts_ensure()
    if not created:
        return []
    lines = ["", "Demo accounts (shown once; keep them):"]
    lines += [
        f"  {role:<18} {email:<28} {password}" for email, password, role in created
    ]
    return [*lines, ""]
