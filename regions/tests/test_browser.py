"""The region picker offers matching regions while a person types a name, and the
form saves the one chosen."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_picker_suggests_and_saves_a_region(
    page, live_server, sign_in, make_user
) -> None:  # type: ignore[no-untyped-def]
    from datahub.models import Office

    operator = make_user(Role.DISTRICT_OPERATOR, "64.02.16")
    sign_in(operator.email)
    page.goto(live_server.url + "/staf/data/kantor/baru/")
    page.fill("input[name=name]", "Kecamatan Tenggarong Seberang")
    page.fill("input[name=region]", "")  # the operator's own code is filled in
    page.locator("input[name=region]").press_sequentially("tenggarong seb")
    option = page.locator("datalist#id_region-pilihan option").first
    expect(option).to_have_attribute(
        "value", "Tenggarong Seberang, Kabupaten Kutai Kartanegara (64.02.16)"
    )
    page.fill("input[name=region]", option.get_attribute("value") or "")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert list(Office.objects.values_list("region_id", flat=True)) == ["64.02.16"]
