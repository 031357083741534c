import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from connectivity import hooks, services
from connectivity.models import Observation, Place, SitingPlan, Tower
from regions.models import Region

pytestmark = pytest.mark.django_db
V = "64.02.12.2005"
# The staff tower form's fields besides name, village and point.
TOWER_FORM = {
    "owner": "bakti",
    "technology": "4g",
    "height_m": "52",
    "model": "hata",
    "environment": "rural",
    "terrain": "hills",
    "frequency_mhz": "900",
    "eirp_dbm": "58",
    "sensitivity_dbm": "-100",
}


def test_public_pages_render(client: Client) -> None:
    hooks.demo()
    tower = Tower.objects.filter(programme__isnull=False).first()
    for url in [
        "/sinyal/",
        "/sinyal/wilayah/64.02/",
        "/sinyal/wilayah/64.02.12/",
        f"/sinyal/desa/{V}/",
        "/sinyal/lapor/",
        "/sinyal/menara/?wilayah=64.02&status=on_air",
        f"/sinyal/menara/{tower.pk}/",
        "/sinyal/program/",
        "/sinyal/program/kukar-bebas-blankspot/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/sinyal/wilayah/64.02/").content.decode()
    assert "Umaq Dian" in html and "sinyal-map" in html
    assert "/sinyal/wilayah/64.02/laporan.pdf" in html


def test_village_code_redirects_and_unknown_is_404(client: Client) -> None:
    assert client.get(f"/sinyal/wilayah/{V}/").status_code == 302
    assert client.get("/sinyal/wilayah/99.99/").status_code == 404


def test_exports(client: Client) -> None:
    hooks.demo()
    pdf = client.get("/sinyal/wilayah/64.02/laporan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv_text = client.get("/sinyal/wilayah/64.02/desa.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("kode,nama,kecamatan,status")
    places = client.get("/sinyal/wilayah/64.02.12/tempat.csv").content.decode()
    assert "demo/estimate" in places
    geo = client.get("/sinyal/wilayah/64.02/peta.geojson")
    assert geo["Content-Type"] == "application/geo+json"


def test_report_form_without_javascript(client: Client) -> None:
    response = client.post(
        "/sinyal/lapor/",
        {
            "idempotency_key": "no-js-report-01",
            "region": f"{V} Umaq Dian, Tabang",
            "technology": "none",
            "operator": "",
        },
    )
    assert response.status_code == 200
    obs = Observation.objects.get()
    assert obs.region_id == V and obs.status == "unconfirmed"
    response = client.post(
        "/sinyal/lapor/",
        {
            "idempotency_key": "no-js-report-02",
            "region": "",
            "lat": "116.9",
            "lng": "-0.4",
            "technology": "none",
        },
    )
    assert "tertukar" in response.content.decode()
    assert Observation.objects.count() == 1


def test_report_page_is_rate_limited(client: Client, settings) -> None:
    settings.CONNECTIVITY_REPORT_RATE = "2/m"
    codes = [
        client.post(
            "/sinyal/lapor/",
            {"idempotency_key": f"rl-{n:06d}", "region": V, "technology": "none"},
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert Observation.objects.count() == 2


def test_staff_add_a_place_on_the_village_page(client: Client, make_user) -> None:
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.12"))
    page = client.get(f"/sinyal/desa/{V}/").content.decode()
    assert "data-map-lat" in page
    response = client.post(
        f"/sinyal/desa/{V}/tempat/",
        {
            "kind": "health",
            "name": "Pustu Umaq Dian",
            "lat": "0.5366",
            "lng": "116.0892",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(kind="health")
    assert place.weight == 2 and place.region_id == V
    bad = client.post(
        f"/sinyal/desa/{V}/tempat/",
        {"kind": "school", "name": "SD", "lat": "116.0892", "lng": "0.5366"},
    )
    assert bad.status_code == 400
    assert not Place.objects.filter(kind="school").exists()


def test_kim_member_outside_area_gets_404(client: Client, make_user) -> None:
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    response = client.post(
        f"/sinyal/desa/{V}/tempat/",
        {"kind": "health", "name": "X", "lat": "0.5366", "lng": "116.0892"},
    )
    assert response.status_code == 404


def test_staff_record_observation_and_confirm_reports(
    client: Client, make_user
) -> None:
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.12"))
    response = client.post(
        f"/sinyal/desa/{V}/pengamatan/",
        {"technology": "none", "service": "any", "method": "survey", "operator": ""},
    )
    assert response.status_code == 302
    assert Observation.objects.get().status == "confirmed"
    report, _ = services.report_submit(
        actor=None,
        idempotency_key="queue-report-01",
        region=Region.objects.get(kode=V),
        technology="3g",
    )
    queue = client.get("/sinyal/laporan/").content.decode()
    assert f"report-{report.pk}" in queue
    response = client.post(
        f"/sinyal/laporan/{report.pk}/tinjau/",
        {"decision": "confirm"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "confirmed"
    assert Region.objects.get(kode=V).connectivity_status.status == "covered"


def test_public_cannot_open_the_queue_or_planner(client: Client, make_user) -> None:
    assert client.get("/sinyal/laporan/").status_code == 302
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.12"))
    assert client.get("/sinyal/laporan/").status_code == 403
    assert client.get("/sinyal/perencanaan/").status_code == 403


def test_regency_admin_plans_ten_sites(client: Client, make_user) -> None:
    hooks.demo()
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    assert client.get("/sinyal/perencanaan/").status_code == 200
    response = client.post(
        "/sinyal/perencanaan/",
        {
            "region": "64.02",
            "objective": "max_cover",
            "budget": "10",
            "grid_km": "5",
            "time_limit": "10",
            "points": "-0.40, 116.60\n",
        },
    )
    assert response.status_code == 302
    plan = SitingPlan.objects.get()
    assert plan.status == "done" and plan.result["n_selected"] == 10
    assert any(c["id"] == "user:1" for c in plan.instance["candidates"])
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="share-before"' in html and 'id="share-after"' in html
    data = client.get(f"/sinyal/perencanaan/{plan.pk}/peta.json").json()
    assert len(data["sites"]["features"]) == 10
    assert client.post(f"/sinyal/perencanaan/{plan.pk}/terapkan/").status_code == 302
    assert Tower.objects.filter(plan=plan).exists()


def test_planner_refuses_other_regencies(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        "/sinyal/perencanaan/",
        {
            "region": "64.72",
            "objective": "max_cover",
            "budget": "3",
            "grid_km": "5",
            "time_limit": "5",
        },
    )
    assert response.status_code == 200
    assert not SitingPlan.objects.exists()


def test_tower_create_status_and_dossier_pages(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    v = Region.objects.get(kode=V)
    response = client.post(
        "/sinyal/menara/baru/",
        {
            "name": "BTS BAKTI Umaq Dian",
            "region": V,
            "lat": v.rep_lat,
            "lng": v.rep_lng,
            **TOWER_FORM,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tower = Tower.objects.get()
    assert (tower.predicted_range_km or 0) > 20  # Hata open area
    client.post(f"/sinyal/menara/{tower.pk}/status/", {"status": "land_ready"})
    client.post(
        f"/sinyal/menara/{tower.pk}/berkas/",
        {
            "land_status": "certified",
            "land_width_m": "20",
            "land_length_m": "20",
            "land_letter": "593/2024",
            "access": "river",
            "power_available": "solar",
            "request_letter": "555/1",
            "support_letter": "555/2",
        },
    )
    tower.refresh_from_db()
    assert tower.status == "land_ready"
    assert tower.dossier.complete
    page = client.get(f"/sinyal/menara/{tower.pk}/").content.decode()
    assert "BTS BAKTI Umaq Dian" in page


def test_import_places_csv_and_geojson(client: Client, make_user) -> None:
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.12"))
    csv_bytes = (
        "region,kind,name,lat,lng,households\n"
        f"{V},settlement,RT 03,0.5371,116.0901,120\n"
        f"{V},school,SD,116.09,0.537,\n"
        "64.72.01.1001,market,Pasar,0.1,117.4,\n"
    ).encode()
    response = client.post(
        "/sinyal/tempat/impor/",
        {"file": SimpleUploadedFile("tempat.csv", csv_bytes, "text/csv")},
    )
    html = response.content.decode()
    assert Place.objects.filter(kind="settlement", households=120).count() == 1
    assert "baris 3" in html and "baris 4" in html
    geojson = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"geometry": {"type": "Polygon", "coordinates": [[[116.08, 0.53], '
        "[116.09, 0.53], [116.09, 0.54], [116.08, 0.53]]]}, "
        f'"properties": {{"region": "{V}", "kind": "settlement", "name": "Dusun"}}}}]}}'
    ).encode()
    client.post(
        "/sinyal/tempat/impor/",
        {"file": SimpleUploadedFile("tempat.geojson", geojson, "application/geo+json")},
    )
    dusun = Place.objects.get(name="Dusun")
    assert dusun.geometry["type"] == "Polygon"
    assert 0.53 < dusun.lat < 0.54


def test_region_page_section_and_dashboard_panel(client: Client, make_user, rf) -> None:
    hooks.demo()
    request = rf.get("/wilayah/64.02/")
    html = hooks.region_section(request, Region.objects.get(kode="64.02"))
    assert 'id="sinyal"' in html and "/sinyal/wilayah/64.02/" in html
    village = hooks.region_section(request, Region.objects.get(kode=V))
    assert "st-blankspot" in village
    services.report_submit(
        actor=None, idempotency_key="dash-report-01", region=Region.objects.get(kode=V)
    )
    request = rf.get("/staf/")
    request.user = make_user(Role.REGENCY_ADMIN, "64.02")
    panel = hooks.dashboard_panel(request)
    assert "/sinyal/laporan/" in panel and "1" in panel
    request.user = make_user(Role.FACT_CHECKER, "64.02")
    assert hooks.dashboard_panel(request) == ""


def test_plan_page_polls_while_the_worker_runs(client: Client, make_user) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    plan = services.plan_create(
        actor=None,
        region=Region.objects.get(kode="64.02.12"),
        budget=2,
        run_inline=False,
    )
    html = client.get(plan.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html
    services.plan_run(plan=plan)
    done = client.get(plan.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_csv_exports_escape_formulas(client: Client) -> None:
    hooks.demo()
    place = Place.objects.filter(region__kode__startswith="64.02.12").first()
    assert place is not None
    place.name = '=HYPERLINK("http://x","klik")'
    place.save()
    village = Region.objects.get(kode=V)
    village.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    village.save()
    places = client.get("/sinyal/wilayah/64.02.12/tempat.csv").content.decode()
    assert '"\'=HYPERLINK(""http://x"",""klik"")"' in places
    assert ',"=HYPERLINK' not in places
    villages = client.get("/sinyal/wilayah/64.02/desa.csv").content.decode()
    assert f"{V},'@SUM(1+1)*cmd|' /C calc'!A0," in villages


def test_places_export_is_indonesian_and_reimports(client: Client, make_user) -> None:
    hooks.demo()
    client.force_login(make_user(Role.DISTRICT_OPERATOR, "64.02.12"))
    exported = client.get("/sinyal/wilayah/64.02.12/tempat.csv").content
    lines = exported.decode().splitlines()
    assert lines[0].startswith("id,kode_desa,jenis,nama,lat,lng,rumah_tangga")
    body = "\n".join(lines[1:])
    assert "settlement" not in body and "Permukiman" in body
    places = {
        p.pk: (p.kind, p.name, p.lat, p.lng, p.weight, p.weight_is_custom)
        for p in Place.objects.all()
    }
    moved = set(Place.objects.filter(at_default_location=False).values_list("pk"))

    def upload(data: bytes) -> str:
        return client.post(
            "/sinyal/tempat/impor/",
            {"file": SimpleUploadedFile("tempat.csv", data, "text/csv")},
        ).content.decode()

    # As exported: accepted, nothing created or corrected.
    html = upload(exported)
    assert "0 dibuat, 0 dikoreksi" in html and "errorlist" not in html
    assert {
        p.pk: (p.kind, p.name, p.lat, p.lng, p.weight, p.weight_is_custom)
        for p in Place.objects.all()
    } == places
    assert set(Place.objects.filter(at_default_location=False).values_list("pk")) == (
        moved
    )
    # A changed cell corrects that place.
    first = lines[1].split(",")
    first[3] = "Nama Baru"
    html = upload("\n".join([lines[0], ",".join(first)]).encode())
    assert "0 dibuat, 1 dikoreksi" in html
    assert Place.objects.get(pk=int(first[0])).name == "Nama Baru"
    assert Place.objects.count() == len(places)


RAW_VALUES = [
    "NONE",
    "default: region representative point",
    "demo/estimate",
    "tidak kantor bersinyal",
    "<strong>/</strong>",
    "<strong></strong>",
]


def _visible(html: str) -> str:
    """The page without its tags' attributes (class names may hold values)."""
    import re

    return re.sub(r"<(\w+)[^>]*>", r"<\1>", html)


def test_village_pages_without_data_say_so_and_show_no_raw_values(
    client: Client,
) -> None:
    # Berau has no signal data at all (the demo covers Kukar).
    region_page = _visible(client.get("/wilayah/64.03.01.2001/").content.decode())
    signal_page = _visible(client.get("/sinyal/desa/64.03.01.2001/").content.decode())
    assert "Belum ada yang mencatat sinyal seluler di desa ini" in region_page
    assert "Belum ada yang mencatat sinyal seluler di desa ini" in signal_page
    for html in (region_page, signal_page):
        for raw in RAW_VALUES:
            assert raw not in html, raw


def test_signal_pages_show_labels_not_internal_values(client: Client) -> None:
    hooks.demo()
    for url in [f"/sinyal/desa/{V}/", f"/wilayah/{V}/", "/sinyal/wilayah/64.02.12/"]:
        html = _visible(client.get(url).content.decode())
        for raw in RAW_VALUES:
            assert raw not in html, (url, raw)
    html = client.get(f"/sinyal/desa/{V}/").content.decode()
    assert "Data demo (perkiraan)" in html
    data = client.get(f"/sinyal/wilayah/{V}/peta.json").json()
    places = data.get("places", {}).get("features", [])
    sources = {f["properties"].get("source") for f in places}
    assert "demo/estimate" not in sources
    # Popups show the technology's label ("Tidak ada sinyal"), never "none".
    labels = {f["properties"]["observed_label"] for f in places}
    assert "none" not in labels and "Tidak ada sinyal" in labels


def test_tower_village_typed_by_name(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    v = Region.objects.get(kode=V)
    form = {
        "name": "BTS Umaq Dian",
        "region": "umak dian",
        "lat": v.rep_lat,
        "lng": v.rep_lng,
        **TOWER_FORM,
    }
    response = client.post("/sinyal/menara/baru/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Tower.objects.get().region_id == V
    # A kecamatan is not a village: the form says so and saves nothing.
    response = client.post("/sinyal/menara/baru/", {**form, "region": "64.02.16"})
    assert response.status_code == 200
    assert Tower.objects.count() == 1


def test_planner_region_typed_by_name(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    assert "data-region-picker" in client.get("/sinyal/perencanaan/").content.decode()
    form = {"objective": "max_cover", "budget": "1", "grid_km": "5", "time_limit": "5"}
    response = client.post("/sinyal/perencanaan/", {**form, "region": "Samarinda"})
    assert response.status_code == 200  # another regency
    assert not SitingPlan.objects.exists()
    response = client.post(
        "/sinyal/perencanaan/", {**form, "region": "tenggarong sebrang"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SitingPlan.objects.get().region_id == "64.02.16"
