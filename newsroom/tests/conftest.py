"""Fixtures of the newsroom tests: a KIM with a member account, editors, and the
channels fakes (``channels.tests.fixtures``) behind every channel."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest

KIM_VILLAGE = "64.02.06.1001"  # a village of Tenggarong, Kutai Kartanegara


@pytest.fixture
def kim(kaltim: None) -> Any:
    from network.models import Kim

    return Kim.objects.create(name="KIM Maju Bersama", region_id=KIM_VILLAGE)


@pytest.fixture
def member(make_user, kim) -> Any:  # type: ignore[no-untyped-def]
    """A KIM member's account, linked to a membership of ``kim``."""
    from newsroom.tests.factories import kim_writer

    user = make_user("kim_member", "64.02.06", full_name="Nur Anggota")
    return kim_writer(user, kim, role="anggota")


@pytest.fixture
def editor(make_user) -> Any:  # type: ignore[no-untyped-def]
    return make_user("editor", "64.02", full_name="Editor Kukar")


@pytest.fixture
def berau_editor(make_user) -> Any:  # type: ignore[no-untyped-def]
    return make_user("editor", "64.03", full_name="Editor Berau")


@pytest.fixture
def published(member, editor, kim) -> Any:  # type: ignore[no-untyped-def]
    from newsroom.tests.factories import story_published

    return story_published(
        member=member,
        editor=editor,
        kim=kim,
        body="<p>Amplang dibuat dari ikan belida dan udang segar setiap pagi.</p>",
        tags=["UMKM", "kuliner"],
    )


@pytest.fixture
def channel_settings(  # type: ignore[no-untyped-def]
    settings, fake_telegram, fake_whatsapp, fake_sms, mail
) -> SimpleNamespace:
    """Every channel configured, each pointed at channels' fake provider."""
    settings.SITE_URL = "http://testserver"
    # No quiet hours unless a test sets them (tests run at any hour).
    settings.NEWSROOM_QUIET_START_HOUR = 24
    settings.NEWSROOM_QUIET_END_HOUR = 0
    return SimpleNamespace(
        telegram=fake_telegram, whatsapp=fake_whatsapp, sms=fake_sms, mail=mail
    )


def photo(width: int = 2000, height: int = 1200, fmt: str = "JPEG") -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 80)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = f"foto.{fmt.lower()}"
    return buffer


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    # Accounts are made in almost every test: hash their passwords cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
