"""Selectors other apps call (here: the tipline's member lookup)."""

from __future__ import annotations

import datetime as dt

from network import selectors, services
from network.models import Kim, Membership
from regions.models import Region


def test_member_region_by_phone(kim: Kim, other_kim: Kim) -> None:
    services.member_add(
        actor=None, kim=kim, full_name="Budi Anggota", phone="0812 3456 7001"
    )
    assert selectors.member_region_by_phone(phone="+6281234567001") == kim.region
    assert selectors.member_region_by_phone(phone="+6281299999999") is None
    assert selectors.member_region_by_phone(phone="") is None


def test_member_region_skips_past_memberships(kim: Kim, other_kim: Kim) -> None:
    old = services.member_add(
        actor=None, kim=kim, full_name="Sari Pindah", phone="0812 3456 7002"
    )
    Membership.objects.filter(pk=old.pk).update(left_on=dt.date(2025, 1, 1))
    assert selectors.member_region_by_phone(phone="+6281234567002") is None
    services.member_add(
        actor=None, kim=other_kim, full_name="Sari Pindah", phone="0812 3456 7002"
    )
    assert selectors.member_region_by_phone(
        phone="+6281234567002"
    ) == Region.objects.get(kode="64.02.06.1005")
