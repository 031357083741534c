from django.urls import path

from channels import views as channel_views
from factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("cek-fakta/", views.tip_form, name="tip"),
    path("cek-fakta/jawab/", views.tip_confirm, name="tip_confirm"),
    path(
        "cek-fakta/tautan/<str:token>/", views.tip_link_result, name="tip_link_result"
    ),
    path("cek-fakta/arsip/", views.factcheck_list, name="list"),
    path("cek-fakta/<int:pk>/", views.factcheck_detail, name="detail"),
    path("cek-fakta/<int:pk>/kartu.png", views.factcheck_card, name="card"),
    # Deprecated: the bots' old webhook URLs, kept until the providers are
    # re-pointed at channels' /hooks/telegram/ and /hooks/whatsapp/.
    path("tipline/telegram/", channel_views.telegram_hook, name="telegram_webhook"),
    path("tipline/whatsapp/", channel_views.whatsapp_hook, name="whatsapp_webhook"),
    path("staf/cek-fakta/", views.desk, name="desk"),
    path("staf/cek-fakta/klaim/<int:pk>/", views.claim_detail, name="claim"),
    path("staf/cek-fakta/gambar/<int:pk>/", views.tip_image, name="tip_image"),
    path(
        "staf/cek-fakta/klaim/<int:pk>/<str:action>/",
        views.claim_action,
        name="claim_action",
    ),
    path(
        "staf/cek-fakta/pengirim/<int:pk>/hapus/",
        views.tipster_delete,
        name="tipster_delete",
    ),
    path("staf/cek-fakta/fakta/<int:pk>/ubah/", views.factcheck_edit, name="edit"),
    path(
        "staf/cek-fakta/fakta/<int:pk>/sosial/", views.factcheck_social, name="social"
    ),
    path(
        "staf/cek-fakta/fakta/<int:pk>/tarik/",
        views.factcheck_withdraw,
        name="withdraw",
    ),
    path(
        "staf/cek-fakta/fakta/<int:pk>/terbitkan/",
        views.factcheck_republish,
        name="republish",
    ),
    path("staf/cek-fakta/umpan/", views.feeds, name="feeds"),
    path(
        "staf/cek-fakta/umpan/<int:pk>/<str:action>/",
        views.feed_action,
        name="feed_action",
    ),
    path("staf/cek-fakta/tren/", views.trend, name="trend"),
    path("staf/cek-fakta/jaringan/", views.network, name="network"),
    path(
        "staf/cek-fakta/jaringan/<int:pk>/",
        views.network_contacts,
        name="network_contacts",
    ),
]
