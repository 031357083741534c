import re

import pytest
from django.test import Client

from accounts.models import Role
from connectivity import hooks, selectors
from connectivity.models import Programme
from regions.models import Region

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """What a person reads: no tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " | ", html)


def test_plan_page_names_villages_and_places_in_plain_words(
    client: Client, make_user, plan_sites
) -> None:
    hooks.demo()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    plan = plan_sites(site_cost="1500000000", money_budget="5000000000")
    html = client.get(plan.get_absolute_url()).content.decode()
    text = _text(html)
    sites = selectors.plan_sites(plan=plan)
    assert len(sites) == plan.result["n_selected"] > 0
    for site in sites:
        assert site.village is not None and site.kecamatan is not None
        assert site.village.name in text
        assert f"Kecamatan {site.kecamatan.name}" in text
        for place in site.places:
            assert place.name in text
    data = client.get(f"/sinyal/perencanaan/{plan.pk}/peta.json").json()
    labels = [f["properties"]["label"] for f in data["sites"]["features"]]
    assert labels == [f"{s.n}. {s.village.name}" for s in sites if s.village]
    reached = [p for s in sites for p in s.places]
    assert reached, "the demo plan reaches listed places"
    assert f"({reached[0].get_kind_display()})" in text
    # Cost per site and the money budget, in rupiah.
    assert "Rp 1.500.000.000" in text and "Rp 5.000.000.000" in text
    assert plan.instance["money_budget"] == 5_000_000_000
    assert all(c["cost"] == 1_500_000_000 for c in plan.instance["candidates"])
    assert plan.result["total_cost"] <= 5_000_000_000
    # Never the solver's words or internal ids.
    for raw in ("grid:", "land:", "optimal", "exact", "greedy", "Lokasi | Lokasi"):
        assert raw not in text, raw
    assert (
        "rencana terbaik yang mungkin" in text.lower()
        or "rencana baik, belum tentu terbaik" in text.lower()
    )


def test_plan_quality_in_indonesian(client: Client, make_user, plan_sites) -> None:
    hooks.demo()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    plan = plan_sites()
    assert plan.result is not None
    plan.result = {**plan.result, "status": "optimal", "gap": 0.0}
    plan.save()
    text = _text(client.get(plan.get_absolute_url()).content.decode())
    assert "Rencana terbaik yang mungkin" in text
    plan.result = {**plan.result, "status": "time_limit", "gap": 0.0071}
    plan.save()
    text = _text(client.get(plan.get_absolute_url()).content.decode())
    assert "Rencana baik, belum tentu terbaik" in text
    assert "paling banyak 0,7% dari yang terbaik" in text
    for raw in ("time_limit", "optimal", "exact"):
        assert raw not in text, raw


def test_programme_created_and_edited_on_pages(client: Client, make_user) -> None:
    villages = list(
        Region.objects.filter(kode__startswith="64.02.12.", level=Region.Level.VILLAGE)
        .order_by("kode")
        .values_list("kode", flat=True)[:2]
    )
    assert len(villages) == 2
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    assert client.get("/sinyal/program/baru/").status_code == 200
    response = client.post(
        "/sinyal/program/baru/",
        {
            "slug": "uji-2027",
            "name": "Uji sinyal 2027",
            "kind": "trial",
            "region": "64.02",
            "owner": "Diskominfo Kukar",
            "year": "2027",
            "target_villages": "5",
            "villages": f"{villages[0]}, {villages[1]}",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="uji-2027")
    assert programme.kind == "trial" and programme.year == 2027
    assert programme.region_id == "64.02"
    assert set(programme.villages.values_list("kode", flat=True)) == set(villages)
    page = client.get("/sinyal/program/uji-2027/").content.decode()
    assert "/sinyal/program/uji-2027/ubah/" in page

    form = client.get("/sinyal/program/uji-2027/ubah/").content.decode()
    assert villages[0] in form
    response = client.post(
        "/sinyal/program/uji-2027/ubah/",
        {
            "slug": "ignored-slug",
            "name": "Uji sinyal 2027 (diperluas)",
            "kind": "programme",
            "region": "64.02",
            "target_villages": "8",
            "villages": villages[0],
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.slug == "uji-2027"
    assert programme.name == "Uji sinyal 2027 (diperluas)"
    assert programme.kind == "programme" and programme.target_villages == 8
    assert list(programme.villages.values_list("kode", flat=True)) == [villages[0]]
    assert Programme.objects.count() == 1


def test_programme_pages_refuse_and_reject(client: Client, make_user) -> None:
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.12"))
    assert client.get("/sinyal/program/baru/").status_code == 403
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        "/sinyal/program/baru/",
        {"slug": "luar", "name": "Luar", "kind": "trial", "region": "64.72"},
    )
    assert response.status_code == 200
    response = client.post(
        "/sinyal/program/baru/",
        {
            "slug": "salah",
            "name": "Salah",
            "kind": "trial",
            "region": "64.02",
            "villages": "99.99.99.9999",
        },
    )
    assert response.status_code == 200
    assert not Programme.objects.filter(slug__in=["luar", "salah"]).exists()
