from django.urls import path

from datahub import views

app_name = "datahub"

urlpatterns = [
    path("data/", views.catalogue, name="catalogue"),
    path("data/katalog.jsonld", views.dcat_catalogue, {"fmt": "jsonld"}, name="dcat"),
    path("data/katalog.<str:fmt>", views.dcat_catalogue, name="dcat_format"),
    path("data/katalog", views.dcat_catalogue, name="dcat_negotiated"),
    # ckanext-dcat's paths
    path("catalog", views.dcat_catalogue),
    path("catalog.<str:fmt>", views.dcat_catalogue),
    # Before the dataset paths: "kerawanan" would read as a dataset's slug.
    path("data/kerawanan/", views.vulnerability_home, name="vulnerability_home"),
    path("data/kerawanan/<str:kode>/", views.vulnerability, name="vulnerability"),
    path(
        "data/kerawanan/<str:kode>/ringkasan.pdf",
        views.vulnerability_brief,
        name="vulnerability_brief",
    ),
    path(
        "staf/data/kerawanan/<str:kode>/tindak/",
        views.vulnerability_act,
        name="vulnerability_act",
    ),
    path(
        "data/kerawanan/<str:kode>/unduh.<str:fmt>",
        views.vulnerability_export,
        name="vulnerability_export",
    ),
    path(
        "staf/data/kerawanan/<str:kode>/bobot/",
        views.vulnerability_weights_edit,
        name="vulnerability_weights",
    ),
    path("data/<slug:slug>/", views.dataset_detail, name="dataset"),
    path(
        "data/<slug:slug>/tabel/<uuid:resource>/unduh.<str:fmt>",
        views.download,
        name="download",
    ),
    path("ppid/", views.ppid_home, name="ppid"),
    path("ppid/ajukan/", views.request_create, name="request_create"),
    path("ppid/lacak/", views.request_track, name="request_track"),
    path(
        "ppid/lacak/<str:number>/<str:key>/",
        views.request_track_detail,
        name="request_track_detail",
    ),
    path(
        "ppid/lacak/<str:number>/<str:key>/dokumen/<int:document>/",
        views.request_document,
        name="request_document",
    ),
    path("staf/data/", views.staff_datasets, name="staff_datasets"),
    path("staf/data/baru/", views.staff_dataset_create, name="staff_dataset_create"),
    path(
        "staf/data/kantor/baru/", views.staff_office_create, name="staff_office_create"
    ),
    path(
        "staf/data/indikator/segarkan/",
        views.staff_indicators_refresh,
        name="staff_indicators_refresh",
    ),
    path("staf/data/<slug:slug>/", views.staff_dataset, name="staff_dataset"),
    path(
        "staf/data/<slug:slug>/ubah/",
        views.staff_dataset_edit,
        name="staff_dataset_edit",
    ),
    path(
        "staf/data/<slug:slug>/terbitkan/",
        views.staff_dataset_publish,
        name="staff_dataset_publish",
    ),
    path("staf/ppid/", views.staff_requests, name="staff_requests"),
    path("staf/ppid/laporan/", views.staff_report, name="staff_report"),
    path("staf/ppid/<int:pk>/", views.staff_request, name="staff_request"),
]
