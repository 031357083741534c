from django.urls import path

from connectivity import views

app_name = "connectivity"

urlpatterns = [
    path("sinyal/", views.index, name="index"),
    path("sinyal/lapor/", views.report, name="report"),
    path("sinyal/laporan/", views.report_queue, name="report_queue"),
    path("sinyal/laporan/<int:pk>/tinjau/", views.report_review, name="report_review"),
    path("sinyal/wilayah/<str:kode>/", views.region_page, name="region"),
    path("sinyal/wilayah/<str:kode>/peta.json", views.map_data, name="map_data"),
    path(
        "sinyal/wilayah/<str:kode>/desa.csv",
        views.export_villages_csv,
        name="export_csv",
    ),
    path(
        "sinyal/wilayah/<str:kode>/tempat.csv",
        views.export_places_csv,
        name="export_places",
    ),
    path(
        "sinyal/wilayah/<str:kode>/peta.geojson",
        views.export_geojson,
        name="export_geojson",
    ),
    path("sinyal/wilayah/<str:kode>/laporan.pdf", views.export_pdf, name="export_pdf"),
    path("sinyal/desa/<str:kode>/", views.village_page, name="village"),
    path("sinyal/desa/<str:kode>/tempat/", views.place_add, name="place_add"),
    path(
        "sinyal/desa/<str:kode>/pengamatan/",
        views.observation_add,
        name="observation_add",
    ),
    path("sinyal/tempat/<int:pk>/", views.place_edit, name="place_edit"),
    path("sinyal/tempat/impor/", views.places_import, name="places_import"),
    path("sinyal/menara/", views.tower_list, name="towers"),
    path("sinyal/menara/baru/", views.tower_create, name="tower_create"),
    path("sinyal/menara/<int:pk>/", views.tower_detail, name="tower"),
    path("sinyal/menara/<int:pk>/ubah/", views.tower_edit, name="tower_edit"),
    path("sinyal/menara/<int:pk>/status/", views.tower_status, name="tower_status"),
    path("sinyal/menara/<int:pk>/berkas/", views.tower_dossier, name="tower_dossier"),
    path("sinyal/perencanaan/", views.plan_list, name="plans"),
    path("sinyal/perencanaan/<int:pk>/", views.plan_detail, name="plan"),
    path("sinyal/perencanaan/<int:pk>/peta.json", views.plan_map, name="plan_map"),
    path("sinyal/perencanaan/<int:pk>/terapkan/", views.plan_adopt, name="plan_adopt"),
    path("sinyal/program/", views.programme_list, name="programmes"),
    path("sinyal/program/baru/", views.programme_create, name="programme_create"),
    path("sinyal/program/<slug:slug>/", views.programme_detail, name="programme"),
    path(
        "sinyal/program/<slug:slug>/ubah/",
        views.programme_edit,
        name="programme_edit",
    ),
    path("sinyal/dem/", views.dem_upload, name="dem"),
]
