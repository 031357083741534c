"""A Tenggarong operator uploads a sheet, reads the rows it reports, uploads the
fixed sheet, publishes, and finds the dataset in the public catalogue."""

import pytest

from accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD = (
    "kode_desa;nama_desa;jumlah_posyandu\n"
    "64.02.06.1001;Jahab;4\n"
    "64.02.06.9999;Tidak Ada;9\n"
    "64.02.06.1003;Bukit Biru;tujuh\n"
)
GOOD = BAD.replace("64.02.06.9999;Tidak Ada", "64.02.06.1002;Loa Ipuh").replace(
    "tujuh", "7"
)


def test_operator_publishes_a_fixed_sheet(
    page, live_server, sign_in, make_user, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from datahub import services
    from regions.models import Region

    services.topics_ensure()
    services.office_ensure(
        region=Region.objects.get(kode="64.02.06"),
        kind="kecamatan",
        name="Kecamatan Tenggarong",
    )
    make_user(Role.DISTRICT_OPERATOR, "64.02.06", email="op@example.org")
    bad, good = tmp_path / "posyandu.csv", tmp_path / "posyandu-perbaikan.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")

    sign_in("op@example.org")

    page.goto(live_server.url + "/staf/data/baru/")
    page.select_option("select[name=office]", label="Kecamatan Tenggarong")
    page.fill("input[name=title]", "Posyandu Kecamatan Tenggarong 2025")
    page.fill("textarea[name=description]", "Posyandu aktif per kelurahan.")
    page.select_option("select[name=topic]", label="Kesehatan")
    page.fill("input[name=keywords]", "posyandu")
    page.select_option("select[name=frequency]", "annual")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/staf/data/posyandu-kecamatan-tenggarong-2025/")

    page.set_input_files("input[name=file]", str(bad))
    page.click("text=Unggah dan periksa")
    page.wait_for_selector("table.errors")
    errors = page.inner_text("table.errors")
    assert "64.02.06.9999" in errors and "tujuh" in errors
    assert page.is_disabled("button[value=publish]")

    page.select_option("select[name=resource]", index=1)
    page.set_input_files("input[name=file]", str(good))
    page.click("text=Unggah dan periksa")
    page.wait_for_selector("text=tanpa galat")
    assert page.locator("table.errors").count() == 0
    page.click("button[value=publish]")
    page.wait_for_selector("#status >> text=terbit")

    page.goto(live_server.url + "/data/?q=posyandu")
    page.click("text=Posyandu Kecamatan Tenggarong 2025")
    page.wait_for_selector("text=Bukit Biru")
    assert "Kecamatan Tenggarong" in page.inner_text("main")
