from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    # Public
    path("kim/", views.kim_directory, name="kim_directory"),
    path("kim/peta.json", views.kim_map_data, name="kim_map_data"),
    path("kim/<int:pk>/", views.kim_detail, name="kim_detail"),
    path("kim/statistik/", views.dashboard, name="dashboard_province"),
    path("kim/statistik/<str:kode>/", views.dashboard, name="dashboard"),
    path("forum-kim/", views.forum_list, name="forum_list"),
    path("forum-kim/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("acara/", views.event_list, name="event_list"),
    path("acara/<int:pk>/", views.event_detail, name="event_detail"),
    path("acara/<int:pk>/acara.ics", views.event_ics, name="event_ics"),
    path("acara/<int:pk>/absen/<str:code>/", views.event_checkin, name="event_checkin"),
    path("acara/peserta/<str:token>/", views.participant_home, name="participant_home"),
    path(
        "acara/peserta/<str:token>/qr.svg", views.participant_qr, name="participant_qr"
    ),
    path(
        "acara/peserta/<str:token>/tes/<str:phase>/", views.take_test, name="take_test"
    ),
    path(
        "acara/peserta/<str:token>/sertifikat.pdf",
        views.certificate_download,
        name="certificate_pdf",
    ),
    path("acara/peserta/<str:token>/daring/", views.online_join, name="online_join"),
    path("acara/hadir/<str:token>/", views.checkin, name="checkin"),
    path("sertifikat/cek/", views.certificate_verify, name="certificate_verify"),
    # Staff
    path("staf/kim/", views.staff_kim_list, name="staff_kim_list"),
    path("staf/kim/baru/", views.kim_create, name="kim_create"),
    path("staf/kim/anggota-ekspor/", views.staff_member_export, name="member_export"),
    path("staf/kim/impor/", views.kim_import_view, name="kim_import"),
    path(
        "staf/kim/impor/templat.<str:fmt>",
        views.kim_import_template,
        name="kim_import_template",
    ),
    path("staf/kim/<int:pk>/", views.kim_manage, name="kim_manage"),
    path("staf/kim/<int:pk>/ubah/", views.kim_edit, name="kim_edit"),
    path(
        "staf/kim/<int:pk>/kegiatan/baru/",
        views.activity_create,
        name="activity_create",
    ),
    path("staf/kim/anggota/<int:pk>/", views.member_edit, name="member_edit"),
    path("staf/kegiatan/", views.activity_review_list, name="activity_review_list"),
    path(
        "staf/kegiatan/<int:pk>/tinjau/", views.activity_review, name="activity_review"
    ),
    path("staf/forum-kim/baru/", views.forum_create, name="forum_create"),
    path("staf/forum-kim/<int:pk>/", views.forum_edit, name="forum_edit"),
    path("staf/acara/", views.staff_event_list, name="staff_event_list"),
    path("staf/acara/baru/", views.event_create, name="event_create"),
    path("staf/acara/<int:pk>/", views.event_manage, name="event_manage"),
    path("staf/acara/<int:pk>/ubah/", views.event_edit, name="event_edit"),
    path(
        "staf/acara/<int:pk>/kode-hadir/",
        views.event_venue_code,
        name="event_venue_code",
    ),
]
