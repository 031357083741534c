"""Two provinces on one deployment (Kaltim 64, Kaltara 65): each province's
fact-check desk sees its own claims, drafts and KIM contacts only."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from factcheck import selectors, services
from factcheck.forms import NetworkSendForm
from factcheck.models import Channel, Claim, FactCheck
from regions.models import Region
from regions.tests.kaltara import (
    KALTARA,
    REGENCY,
    kaltara_create,
    staff_of_each_province,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_provinces")]

KALTIM_RUMOUR = "Jembatan Mahakam di Tenggarong ditutup permanen minggu depan"
KALTARA_RUMOUR = "Bandara Malinau ditutup sebulan karena landasan retak parah"


@pytest.fixture
def desks(make_user) -> dict[str, User]:
    return staff_of_each_province(make_user, Role.FACT_CHECKER, "Desk")


@pytest.fixture
def claims(desks: dict[str, User]) -> dict[str, Claim]:
    kaltim = services.tip_submit(
        channel=Channel.WEB,
        text=KALTIM_RUMOUR,
        region=Region.objects.get(kode="64.02"),
    )
    kaltara = services.tip_submit(
        channel=Channel.WEB,
        text=KALTARA_RUMOUR,
        region=Region.objects.get(kode=REGENCY),
    )
    return {"64": kaltim.tip.claim, "65": kaltara.tip.claim}


def _draft(title: str, kode: str) -> FactCheck:
    return services.factcheck_create(
        actor=None,
        title=title,
        verdict="salah",
        regions=[Region.objects.get(kode=kode)],
    )


def test_desk_queue_and_claims_stay_in_province(
    client: Client, desks: dict[str, User], claims: dict[str, Claim]
) -> None:
    for own, other in (("64", "65"), ("65", "64")):
        client.force_login(desks[own])
        html = client.get("/staf/cek-fakta/").content.decode()
        assert claims[own].text[:30] in html
        assert claims[other].text[:30] not in html
        assert client.get(f"/staf/cek-fakta/klaim/{claims[own].pk}/").status_code == 200
        assert client.get(f"/staf/cek-fakta/klaim/{claims[other].pk}/").status_code in (
            403,
            404,
        )
        response = client.post(
            f"/staf/cek-fakta/klaim/{claims[other].pk}/status/",
            {"status": "in_progress"},
        )
        assert response.status_code in (403, 404)
        claims[other].refresh_from_db()
        assert claims[other].status == Claim.Status.NEW
        trend = client.get("/staf/cek-fakta/tren/").content.decode()
        assert claims[other].text[:30] not in trend


def test_drafts_of_the_other_province_are_not_shown(
    client: Client, desks: dict[str, User]
) -> None:
    drafts = {
        "64": _draft("Draf Kaltim tentang jembatan", "64.02"),
        "65": _draft("Draf Kaltara tentang bandara", REGENCY),
    }
    for own, other in (("64", "65"), ("65", "64")):
        client.force_login(desks[own])
        page = client.get(f"/cek-fakta/{drafts[own].pk}/")
        assert page.status_code == 200
        assert client.get(f"/cek-fakta/{drafts[other].pk}/").status_code == 404
        assert client.get(
            f"/staf/cek-fakta/fakta/{drafts[other].pk}/ubah/"
        ).status_code in (403, 404)


def test_network_contacts_stay_in_province(
    client: Client, desks: dict[str, User], make_user
) -> None:
    make_user(Role.KIM_COORDINATOR, "64.02.06", full_name="Koordinator Tenggarong")
    make_user(Role.KIM_COORDINATOR, "65.01.01", full_name="Koordinator Malinau")
    # A verdict about both provinces, and one about no region at all.
    both = services.factcheck_create(
        actor=None,
        title="Hoaks di dua provinsi",
        verdict="salah",
        status=FactCheck.Status.PUBLISHED,
        regions=[Region.objects.get(kode="64.02"), Region.objects.get(kode=REGENCY)],
    )
    nowhere = services.factcheck_create(
        actor=None,
        title="Hoaks tanpa wilayah",
        verdict="salah",
        status=FactCheck.Status.PUBLISHED,
    )
    names = {"64": "Koordinator Tenggarong", "65": "Koordinator Malinau"}
    for own, other in (("64", "65"), ("65", "64")):
        client.force_login(desks[own])
        for fc in (both, nowhere):
            url = f"/staf/cek-fakta/jaringan/{fc.pk}/"
            html = client.get(url).content.decode()
            assert names[own] in html and names[other] not in html
            csv = client.get(url, {"format": "csv"}).content.decode()
            assert names[own] in csv and names[other] not in csv


def test_network_send_form_offers_the_desk_its_own_province() -> None:
    kaltara_create()
    from accounts.models import User

    desk = User(role=Role.FACT_CHECKER, region_id=KALTARA, is_active=True)
    choices = [
        code for code, _ in NetworkSendForm(actor=desk).fields["region_codes"].choices
    ]
    assert choices == [KALTARA, REGENCY, "65.71"]
    kaltim = User(role=Role.FACT_CHECKER, region_id="64", is_active=True)
    choices = [
        code for code, _ in NetworkSendForm(actor=kaltim).fields["region_codes"].choices
    ]
    assert "64" in choices and "64.02" in choices and KALTARA not in choices


def test_hoax_archive_filters_by_province(
    client: Client, desks: dict[str, User]
) -> None:
    for title, kode in (
        ("Hoaks jembatan Kaltim", "64.02"),
        ("Hoaks bandara Kaltara", REGENCY),
    ):
        services.factcheck_create(
            actor=None,
            title=title,
            verdict="salah",
            status=FactCheck.Status.PUBLISHED,
            regions=[Region.objects.get(kode=kode)],
        )
    html = client.get("/cek-fakta/arsip/", {"provinsi": "65"}).content.decode()
    assert "Hoaks bandara Kaltara" in html and "Hoaks jembatan Kaltim" not in html
    html = client.get("/cek-fakta/arsip/", {"provinsi": "64"}).content.decode()
    assert "Hoaks jembatan Kaltim" in html and "Hoaks bandara Kaltara" not in html
    html = client.get("/cek-fakta/arsip/").content.decode()
    assert "Hoaks jembatan Kaltim" in html and "Hoaks bandara Kaltara" in html
    assert 'name="provinsi"' in html
    assert selectors.factcheck_public_list(province="65").count() == 1


def test_api_claims_stay_in_province(
    client: Client, desks: dict[str, User], claims: dict[str, Claim]
) -> None:
    from accounts.services import api_token_create

    for own, other in (("64", "65"), ("65", "64")):
        _, key = api_token_create(user=desks[own], name="t")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        data = client.get("/api/v1/factcheck/claims", **auth).json()
        ids = {c["id"] for c in data["items"]}
        assert claims[own].pk in ids and claims[other].pk not in ids
        response = client.post(
            f"/api/v1/factcheck/claims/{claims[other].pk}/topic",
            {"topic": "kesehatan"},
            content_type="application/json",
            **auth,
        )
        assert response.status_code in (403, 404)


def test_withdrawn_fact_checks_on_the_desk_stay_in_province(
    client: Client, desks: dict[str, User]
) -> None:
    """The desk's list of withdrawn fact-checks (to republish one) holds its own
    province's and those concerning every province, never another province's."""
    from django.utils import timezone

    withdrawn = {
        "64": _draft("Ditarik Kaltim tentang jembatan", "64.02"),
        "65": _draft("Ditarik Kaltara tentang bandara", REGENCY),
        "all": services.factcheck_create(
            actor=None, title="Ditarik untuk semua provinsi", verdict="salah"
        ),
    }
    FactCheck.objects.filter(pk__in=[f.pk for f in withdrawn.values()]).update(
        status=FactCheck.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Salah sumber.",
    )
    for own, other in (("64", "65"), ("65", "64")):
        client.force_login(desks[own])
        html = client.get("/staf/cek-fakta/").content.decode()
        assert 'id="withdrawn-list"' in html
        assert withdrawn[own].title in html
        assert withdrawn["all"].title in html
        assert withdrawn[other].title not in html


def test_a_tipster_chooses_a_regency_of_the_provinces_served() -> None:
    """``/wilayah`` on the bot: a regency of a province not served is not found
    (its desk is not here), one of a province served is kept."""
    from regions.tests.kaltara import unserved_create

    unserved_create()
    ask = {"channel": Channel.TELEGRAM, "contact": "4242"}
    assert services.tipster_set_region(**ask, query="Tanah Laut") is None
    found = services.tipster_set_region(**ask, query="Malinau")
    assert found is not None and found.kode == REGENCY
