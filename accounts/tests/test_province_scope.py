"""Two provinces on one deployment: staff of one neither see nor act on the
other's KIMs and claims (the permission layer scopes by code prefix: "64" does
not contain "11.…", nor "6" contain "64" — codes are matched up to a dot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from factcheck.selectors import claim_list
from factcheck.services.tips import tip_submit
from network import services as network_services
from network.models import Kim
from network.selectors import kim_list_for_actor
from regions.models import Region
from regions.tests.test_national import SLICE, run_import, write_national

TEXT_ACEH = "Jembatan Bakongan runtuh hari ini, semua jalan ditutup sampai Senin"
TEXT_KALTIM = "Air PDAM Tenggarong tercemar racun, jangan diminum sampai akhir bulan"


@pytest.fixture
def two_provinces(kaltim: None, tmp_path: Path) -> dict[str, Kim]:
    run_import(write_national(tmp_path / "aceh", SLICE))
    return {
        "11": network_services.kim_create(
            actor=None,
            name="KIM Keude Bakongan",
            region=Region.objects.get(kode="11.01.01.2001"),
        ),
        "64": network_services.kim_create(
            actor=None,
            name="KIM Jahab Informatif",
            region=Region.objects.get(kode="64.02.06.1001"),
        ),
    }


@pytest.mark.parametrize(("mine", "theirs"), [("64", "11"), ("11", "64")])
def test_province_admin_sees_and_acts_only_in_their_province(
    client, make_user, two_provinces: dict[str, Kim], mine: str, theirs: str
) -> None:
    admin = make_user(Role.PROVINCE_ADMIN, mine)
    assert set(kim_list_for_actor(actor=admin)) == {two_provinces[mine]}
    client.force_login(admin)
    listed = client.get(reverse("network:staff_kim_list")).content.decode()
    assert two_provinces[mine].name in listed
    assert two_provinces[theirs].name not in listed
    other = two_provinces[theirs]
    assert client.get(reverse("network:kim_manage", args=[other.pk])).status_code in (
        403,
        404,
    )
    assert (
        client.get(
            reverse("network:kim_manage", args=[two_provinces[mine].pk])
        ).status_code
        == 200
    )
    with pytest.raises(PermissionDenied):
        network_services.kim_update(actor=admin, kim=other, name="Diambil alih")
    other.refresh_from_db()
    assert other.name != "Diambil alih"
    with pytest.raises(PermissionDenied):
        network_services.kim_create(
            actor=admin,
            name="KIM Seberang",
            region=other.region,
        )


@pytest.mark.parametrize(("mine", "theirs"), [("64", "11"), ("11", "64")])
def test_province_fact_check_desk_sees_only_claims_from_their_province(
    client, make_user, two_provinces: dict[str, Kim], mine: str, theirs: str
) -> None:
    villages = {"11": "11.01.01.2001", "64": "64.02.06.1001"}
    claims = {
        code: tip_submit(
            channel="web",
            text=text,
            region=Region.objects.get(kode=villages[code]),
        ).claim
        for code, text in (("11", TEXT_ACEH), ("64", TEXT_KALTIM))
    }
    assert all(claims.values())
    desk = make_user(Role.FACT_CHECKER, mine)
    visible = set(claim_list(actor=desk, status="all"))
    assert claims[mine] in visible
    assert claims[theirs] not in visible
    client.force_login(desk)
    assert (
        client.get(reverse("factcheck:claim", args=[claims[mine].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("factcheck:claim", args=[claims[theirs].pk])).status_code
        == 404
    )


@pytest.mark.parametrize(("mine", "theirs"), [("64", "11"), ("11", "64")])
def test_newsroom_editor_cannot_write_or_edit_the_other_provinces_articles(
    client, make_user, two_provinces: dict[str, Kim], mine: str, theirs: str
) -> None:
    from newsroom.models import Kind
    from newsroom.services.articles import (
        article_approve,
        article_create,
        article_submit,
        article_update,
    )

    editors = {code: make_user(Role.EDITOR, code) for code in ("11", "64")}
    articles = {
        code: article_create(
            actor=editors[code],
            kind=Kind.PUBLIC_INFO,
            title=f"Kabar dari provinsi {code}",
            lead="Ringkasan kabar untuk warga.",
            body="Isi kabar yang cukup panjang untuk satu artikel berita.",
            office=Region.objects.get(kode=code),
        )
        for code in ("11", "64")
    }
    me = editors[mine]
    other = articles[theirs]
    with pytest.raises(PermissionDenied):
        article_create(
            actor=me,
            kind=Kind.PUBLIC_INFO,
            title="Kabar seberang",
            lead="Ringkasan.",
            body="Isi kabar yang cukup panjang untuk satu artikel berita.",
            office=Region.objects.get(kode=theirs),
        )
    with pytest.raises(PermissionDenied):
        article_update(actor=me, article=other, title="Diambil alih")
    article_submit(actor=editors[theirs], article=other)
    with pytest.raises(PermissionDenied):
        article_approve(actor=me, article=other)
    other.refresh_from_db()
    assert other.title == f"Kabar dari provinsi {theirs}"
    client.force_login(me)
    staff = client.get(reverse("newsroom:staff")).content.decode()
    assert articles[mine].title in staff and other.title not in staff
    page = client.get(reverse("newsroom:staff_article", args=[other.pk]))
    assert page.status_code in (403, 404)
