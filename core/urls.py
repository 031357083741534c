from django.urls import path

from core import pwa

app_name = "core"

urlpatterns = [
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("ikon/<int:size>.png", pwa.icon, name="icon"),
    path("luring/", pwa.offline, name="offline"),
    path("kotak-keluar/", pwa.outbox, name="outbox"),
]
