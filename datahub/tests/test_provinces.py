"""Two provinces on one deployment (Kaltim 64, Kaltara 65): each province's
staff see and change only their own datasets and vulnerability weights; the
index page lets a visitor choose a province."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from datahub import services
from datahub.models import Dataset, Topic
from regions.models import Region
from regions.tests.kaltara import REGENCY, staff_of_each_province

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_provinces")]
PAIRS = (("64", "65"), ("65", "64"))


@pytest.fixture
def admins(make_user) -> dict[str, User]:
    return staff_of_each_province(make_user, Role.PROVINCE_ADMIN, "Admin")


@pytest.fixture
def datasets(admins: dict[str, User]) -> dict[str, Dataset]:
    out = {}
    for code, regency, tag in (("64", "64.02", "Kukar"), ("65", REGENCY, "Malinau")):
        office = services.office_ensure(
            region=Region.objects.get(kode=regency),
            kind="diskominfo",
            name=f"Diskominfo {tag}",
        )
        out[code] = services.dataset_create(
            actor=admins[code],
            office=office,
            title=f"Jumlah posyandu {tag} 2025",
            description="Posyandu aktif.",
            topic=Topic.objects.get(slug="kesehatan"),
            frequency="annual",
        )
    return out


def test_staff_datasets_stay_in_province(
    client: Client, admins: dict[str, User], datasets: dict[str, Dataset]
) -> None:
    for own, other in PAIRS:
        client.force_login(admins[own])
        html = client.get("/staf/data/").content.decode()
        assert datasets[own].title in html and datasets[other].title not in html
        assert client.get(f"/staf/data/{datasets[own].slug}/").status_code == 200
        for url in (
            f"/staf/data/{datasets[other].slug}/",
            f"/staf/data/{datasets[other].slug}/ubah/",
        ):
            assert client.get(url).status_code in (403, 404), url
        client.post(f"/staf/data/{datasets[other].slug}/terbitkan/")
        datasets[other].refresh_from_db()
        assert datasets[other].published_at is None


def test_vulnerability_weights_stay_in_province(
    client: Client, admins: dict[str, User]
) -> None:
    for own, other in PAIRS:
        client.force_login(admins[own])
        assert client.get(f"/staf/data/kerawanan/{own}/bobot/").status_code == 200
        assert client.get(f"/staf/data/kerawanan/{other}/bobot/").status_code == 403


def test_vulnerability_home_chooses_among_served_provinces(
    client: Client, admins: dict[str, User], settings
) -> None:
    html = client.get("/data/kerawanan/").content.decode()
    assert 'href="/data/kerawanan/64/"' in html and 'href="/data/kerawanan/65/"' in html
    assert client.get("/data/kerawanan/65/").status_code == 200
    settings.PROVINCES = ["64"]
    response = client.get("/data/kerawanan/")
    assert response["Location"] == "/data/kerawanan/64/"
