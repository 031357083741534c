"""Edit forms show an object's region by name, not as a bare code (issue 15):
the picker's initial value reads "Tenggarong, Kabupaten Kutai Kartanegara (64.02.06)",
and saving the form unchanged keeps the region."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from regions.forms import RegionField
from regions.models import Region

pytestmark = pytest.mark.django_db


def _value_of(page: str, name: str) -> str:
    import re

    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def test_a_code_as_initial_value_shows_as_the_name(kaltim) -> None:
    field = RegionField()
    assert field.widget.format_value("64.02.06") == (
        "Tenggarong, Kabupaten Kutai Kartanegara (64.02.06)"
    )
    many = RegionField(multiple=True)
    shown = many.widget.format_value(["64.02.06", "64.02.07"])
    assert "Tenggarong, Kabupaten Kutai Kartanegara (64.02.06)" in shown
    # What it shows reads back as the same regions (one or several).
    assert [r.kode for r in many.clean(shown)] == ["64.02.06", "64.02.07"]
    one = many.widget.format_value("64.02")
    assert [r.kode for r in many.clean(one)] == ["64.02"]
    assert field.clean(field.widget.format_value("64.02.06")).kode == "64.02.06"


def test_kim_edit_shows_the_region_name(client: Client, make_user) -> None:
    from network import services
    from network.models import Kim

    kim = services.kim_create(
        actor=None,
        name="KIM Jahab Informatif",
        region=Region.objects.get(kode="64.02.06.1001"),
        status=Kim.Status.ACTIVE,
    )
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    page = client.get(f"/staf/kim/{kim.pk}/ubah/").content.decode()
    assert _value_of(page, "region") == "Jahab, Tenggarong (64.02.06.1001)"


def test_event_edit_shows_the_region_name(client: Client, make_user) -> None:
    from network import services
    from network.models import Event

    event = services.event_create(
        actor=None,
        kind=Event.Kind.TRAINING,
        title="Pelatihan",
        region=Region.objects.get(kode="64.02.06"),
        organiser_region=Region.objects.get(kode="64.02"),
        venue="Aula",
        starts_at=timezone.now() + timedelta(days=3),
    )
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    page = client.get(f"/staf/acara/{event.pk}/ubah/").content.decode()
    assert (
        _value_of(page, "region")
        == "Tenggarong, Kabupaten Kutai Kartanegara (64.02.06)"
    )


def test_tower_edit_shows_the_village_name(client: Client, make_user) -> None:
    from connectivity import services

    village = Region.objects.get(kode="64.02.12.2005")
    tower = services.tower_create(
        actor=None,
        region=village,
        name="Menara Muara Aloh",
        lat=0.5365,
        lng=116.089,
        owner="operator",
    )
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    page = client.get(f"/sinyal/menara/{tower.pk}/ubah/").content.decode()
    assert _value_of(page, "region") == "Umaq Dian, Tabang (64.02.12.2005)"
