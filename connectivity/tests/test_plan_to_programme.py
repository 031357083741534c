"""A planner plans sites for a kecamatan and saves them as a programme (issue
15): the plan page leads to the programme form, which starts with the plan's
region (by name, not code) and the villages its sites are nearest to."""

import html
import re

import pytest
from django.test import Client

from accounts.models import Role
from connectivity import hooks, selectors
from connectivity.models import Programme

pytestmark = pytest.mark.django_db


def test_plan_is_saved_as_a_programme(client: Client, make_user, plan_sites) -> None:
    hooks.demo()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    plan = plan_sites(region="64.02.12", budget="3")
    page = client.get(f"/sinyal/perencanaan/{plan.pk}/").content.decode()
    link = f"/sinyal/program/baru/?rencana={plan.pk}"
    assert html.escape(link) in page or link in page

    form = client.get(link).content.decode()
    codes = sorted(
        {s.village.kode for s in selectors.plan_sites(plan=plan) if s.village}
    )
    assert codes
    region = re.search(r'<input[^>]*name="region"[^>]*value="([^"]*)"', form)
    assert region and html.unescape(region.group(1)).startswith("Tabang, ")
    villages = re.search(r'<input[^>]*name="villages"[^>]*value="([^"]*)"', form)
    assert villages, "the villages are picked by name, not typed as codes"
    shown = html.unescape(villages.group(1))
    for code in codes:
        assert f"({code})" in shown  # "Name, Kecamatan (code)"
    assert "data-region-picker" in form
    # The planner names it and saves it as it stands (the picker's text).
    response = client.post(
        "/sinyal/program/baru/",
        {
            "slug": "menara-tabang",
            "name": "Menara Tabang",
            "kind": "programme",
            "region": html.unescape(region.group(1)),
            "target_villages": str(len(codes)),
            "villages": shown,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    programme = Programme.objects.get(slug="menara-tabang")
    assert programme.region_id == "64.02.12"
    assert sorted(programme.villages.values_list("kode", flat=True)) == codes
    # Someone who may not plan there gets no prefilled form from it.
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.03"))
    other = client.get(link).content.decode()
    assert not any(code in other for code in codes)
