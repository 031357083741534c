from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import URLPattern, path

from channels import views as channel_hooks
from newsroom import feeds, views

app_name = "newsroom"


def listing(route: str, view: Any, feed: type[Feed], name: str) -> list[URLPattern]:
    """A listing page with its RSS and Atom feeds at ``rss/`` and ``atom/`` below it
    (named ``<name>_rss`` and ``<name>_atom``; the home page's are ``rss``/``atom``)."""
    prefix = f"{name}_" if name != "home" else ""
    return [
        path(route, view, name=name),
        path(f"{route}rss/", feed(), name=f"{prefix}rss"),
        path(f"{route}atom/", feeds.atom(feed)(), name=f"{prefix}atom"),
    ]


urlpatterns = [
    *listing("kabar/", views.home, feeds.LatestFeed, "home"),
    path("kabar/cari/", views.search, name="search"),
    path("kabar/baca/<slug:slug>/", views.article_detail, name="article"),
    path("kabar/baca/<slug:slug>/balas/", views.comment_post, name="comment"),
    path("kabar/hitung/", views.count, name="count"),
    *listing(
        "kabar/wilayah/<str:kode>/", views.region_home, feeds.RegionFeed, "region"
    ),
    *listing("kabar/kim/<int:pk>/", views.kim_page, feeds.KimFeed, "kim"),
    *listing("kabar/jenis/<str:kind>/", views.kind_page, feeds.KindFeed, "kind"),
    path("kabar/tag/<slug:slug>/", views.tag_page, name="tag"),
    # Potensi Daerah: the directory of published local-potential stories.
    *listing(
        "kabar/potensi/", views.potential_directory, feeds.PotentialFeed, "potential"
    ),
    *listing(
        "kabar/potensi/<str:kode>/",
        views.potential_directory,
        feeds.PotentialFeed,
        "potential_region",
    ),
    path("kabar/langganan/", views.subscribe, name="subscribe"),
    path("kabar/berhenti/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("s/<str:code>", views.short_link, name="short_link"),
    # Deprecated: the newsroom's own provider callbacks, kept as aliases of
    # channels' webhooks until the providers are pointed at /hooks/… (README,
    # Deploy). Matched here because the JSON API at /api/v1/ no longer has them.
    path("api/v1/callbacks/whatsapp", channel_hooks.whatsapp_hook),
    path("api/v1/callbacks/sms", channel_hooks.sms_hook),
    path("api/v1/callbacks/telegram", channel_hooks.telegram_hook),
    # Staff
    path("kabar/staf/", views.staff_home, name="staff"),
    path("kabar/staf/tulis/", views.article_new, name="staff_new"),
    path("kabar/staf/tulis-potensi/", views.potential_new, name="staff_potential_new"),
    path("kabar/staf/<int:pk>/", views.article_edit, name="staff_article"),
    path("kabar/staf/<int:pk>/aksi/", views.article_action, name="staff_action"),
    path("kabar/staf/<int:pk>/foto/", views.image_upload, name="staff_image"),
    path(
        "kabar/staf/<int:pk>/foto/<int:image_pk>/hapus/",
        views.image_delete,
        name="staff_image_delete",
    ),
    path("kabar/staf/<int:pk>/pratinjau/", views.article_preview, name="staff_preview"),
    path("kabar/staf/<int:pk>/sebarkan/", views.disseminate, name="disseminate"),
    path("kabar/staf/<int:pk>/sosial/", views.article_social, name="staff_social"),
    path(
        "kabar/staf/sebaran/<int:pk>/", views.dissemination_detail, name="dissemination"
    ),
    path("kabar/staf/komentar/", views.moderation, name="moderation"),
    path("kabar/staf/jangkauan/", views.reach, name="reach"),
    path(
        "kabar/staf/laporan/<str:kode>/<str:month>.<str:fmt>",
        views.report,
        name="report",
    ),
]
