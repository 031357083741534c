import pytest

from accounts.models import Role
from accounts.permissions import can, in_scope, register_rules, scope_filter
from regions.models import Region

pytestmark = pytest.mark.django_db

register_rules(
    "tests.thing",
    {
        "view": {Role.REGENCY_ADMIN, "kim_coordinator:own"},
        "change": {Role.REGENCY_ADMIN},
    },
)


def test_scope_is_the_region_and_below(make_user) -> None:  # type: ignore[no-untyped-def]
    kukar = make_user(Role.REGENCY_ADMIN, "64.02")
    assert in_scope(kukar, "64.02")
    assert in_scope(kukar, "64.02.06.1001")
    assert not in_scope(kukar, "64.03")
    assert not in_scope(kukar, "64.021")  # a prefix of digits is not a sub-region
    assert not in_scope(kukar, "64")
    assert not in_scope(kukar, None)


def test_scope_filter(make_user) -> None:  # type: ignore[no-untyped-def]
    tenggarong = make_user(Role.DISTRICT_OPERATOR, "64.02.06")
    regions = scope_filter(tenggarong, Region.objects.all(), field="parent")
    assert regions.count() == 14  # the villages of Tenggarong
    province = make_user(Role.PROVINCE_ADMIN, "64")
    assert scope_filter(province, Region.objects.all(), field="parent").count() == 1153


def test_roles_and_own_objects(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    coordinator = make_user(Role.KIM_COORDINATOR, "64.02.06")
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    assert can(admin, "change", "tests.thing", region_code="64.02.06")
    assert not can(admin, "change", "tests.thing", region_code="64.03")
    assert can(coordinator, "view", "tests.thing", region_code="64.02.06", is_own=True)
    assert not can(coordinator, "view", "tests.thing", region_code="64.02.06")
    assert not can(coordinator, "change", "tests.thing", is_own=True)
    assert not can(member, "view", "tests.thing", is_own=True)


def test_inactive_and_anonymous_users_may_do_nothing(make_user) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(Role.REGENCY_ADMIN, "64.02", is_active=False)
    assert not can(admin, "change", "tests.thing", region_code="64.02")
    assert not can(AnonymousUser(), "view", "tests.thing")
    assert scope_filter(AnonymousUser(), Region.objects.all()).count() == 0


def test_unknown_resource_is_a_programming_error(make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LookupError):
        can(make_user(Role.REGENCY_ADMIN, "64.02"), "view", "nope.nothing")
