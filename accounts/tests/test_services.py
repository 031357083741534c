import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry, Role, User
from accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    demo_accounts_ensure,
    user_create,
    user_update,
)
from regions.models import Region

pytestmark = pytest.mark.django_db


def _account(
    actor: User | None, name: str, role: str, region: str, **extra: str
) -> User:
    """``user_create`` for ``name@example.org`` (named NAME) in ``region``."""
    return user_create(
        actor=actor,
        email=f"{name}@example.org",
        full_name=name.upper(),
        role=role,
        region=Region.objects.get(kode=region),
        **extra,
    )


def test_regency_admin_creates_an_operator_in_their_regency(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    user = user_create(
        actor=admin,
        email="Operator@Example.org",
        full_name="Operator Tenggarong",
        role=Role.DISTRICT_OPERATOR,
        region=Region.objects.get(kode="64.02.06"),
        phone="0812 3456 7890",
    )
    assert user.email == "operator@example.org"
    assert user.phone == "+6281234567890"
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(object_id=str(user.pk), action="create")
    assert entry.actor == admin
    assert entry.region_code == "64.02.06"


def test_regency_admin_cannot_create_outside_or_above(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.REGENCY_ADMIN, "64.03")  # Berau
    with pytest.raises(PermissionDenied):
        _account(admin, "x", Role.DISTRICT_OPERATOR, "64.02.06")
    with pytest.raises(PermissionDenied):
        _account(admin, "y", Role.PROVINCE_ADMIN, "64")
    assert not User.objects.filter(
        email__in=["x@example.org", "y@example.org"]
    ).exists()


def test_role_must_fit_the_region_level() -> None:
    with pytest.raises(ValidationError) as info:
        _account(None, "z", Role.REGENCY_ADMIN, "64.02.06")
    assert "region" in info.value.message_dict


def test_bad_phone_is_a_field_error_and_nothing_is_stored(make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        _account(None, "p", Role.KIM_MEMBER, "64.02.06", phone="12")
    assert "phone" in info.value.message_dict
    assert not User.objects.filter(email="p@example.org").exists()


def test_update_is_scoped_and_logged(make_user) -> None:  # type: ignore[no-untyped-def]
    kukar_admin = make_user(Role.REGENCY_ADMIN, "64.02")
    berau_admin = make_user(Role.REGENCY_ADMIN, "64.03")
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    with pytest.raises(PermissionDenied):
        user_update(actor=berau_admin, user=member, full_name="Dibajak")
    member.refresh_from_db()
    assert member.full_name != "Dibajak"
    user_update(actor=kukar_admin, user=member, full_name="Siti", phone="081234567890")
    entry = AuditEntry.objects.filter(action="update", object_id=str(member.pk)).get()
    assert entry.changes["full_name"][1] == "Siti"
    assert entry.changes["phone"] == ["…", "…"]  # no personal data in the log


def test_admin_cannot_deactivate_themself(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    with pytest.raises(ValidationError):
        user_update(actor=admin, user=admin, is_active=False)


def test_api_tokens(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "64.02")
    token, key = api_token_create(user=user, name="CMS")
    assert key.startswith(f"smp_{token.prefix}_")
    assert key not in token.key_hash
    assert api_token_authenticate(key=key) == user
    assert api_token_authenticate(key=key + "x") is None
    assert api_token_authenticate(key="garbage") is None
    api_token_revoke(user=user, token=token)
    assert api_token_authenticate(key=key) is None


def test_demo_accounts_are_created_once() -> None:
    first = demo_accounts_ensure()
    assert {role for _, _, role in first} == set(Role.values)
    assert demo_accounts_ensure() == []
    email, password, _ = first[0]
    assert User.objects.get(email=email).check_password(password)
