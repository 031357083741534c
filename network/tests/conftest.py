"""Fixtures of the network tests: a KIM in Tenggarong with its coordinator."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from accounts.models import Role
from network import services
from network.models import Event, Kim, Membership
from regions.models import Region


@pytest.fixture
def kim(kaltim) -> Kim:
    return services.kim_create(
        actor=None,
        name="KIM Jahab Informatif",
        region=Region.objects.get(kode="64.02.06.1001"),
        status=Kim.Status.ACTIVE,
        focus_areas=["anti_hoaks"],
    )


@pytest.fixture
def other_kim(kaltim) -> Kim:
    return services.kim_create(
        actor=None,
        name="KIM Melayu Bersatu",
        region=Region.objects.get(kode="64.02.06.1005"),
    )


@pytest.fixture
def make_event(kaltim) -> Callable[..., Event]:
    """Create an event: a training in Kecamatan Tenggarong, organised by Kutai
    Kartanegara, in three days; a test names only the fields it is about."""

    def make(**fields: Any) -> Event:
        values: dict[str, Any] = {
            "kind": Event.Kind.TRAINING,
            "title": "Pelatihan Literasi Digital",
            "region": Region.objects.get(kode="64.02.06"),
            "organiser_region": Region.objects.get(kode="64.02"),
            "venue": "Aula Kecamatan",
            "starts_at": timezone.now() + timedelta(days=3),
        }
        return services.event_create(actor=None, **(values | fields))

    return make


@pytest.fixture
def coordinator(make_user, kim):
    """A kim_coordinator account linked to the chair of ``kim``."""
    user = make_user(Role.KIM_COORDINATOR, "64.02.06", full_name="Rina Ketua")
    chair = services.member_add(
        actor=None,
        kim=kim,
        full_name="Rina Ketua",
        phone="0812 0000 0001",
        role=Membership.Role.KETUA,
        public_contact=True,
    )
    services.person_link_user(actor=None, person=chair.person, user=user)
    return user


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name: str = "foto.png") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@contextmanager
def freeze(moment: datetime) -> Iterator[None]:
    """``timezone.now()`` returns ``moment`` inside the block (every caller
    reaches it as ``timezone.now``)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
