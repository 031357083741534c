"""The installable app: manifest, service worker, icons, offline and outbox pages."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from PIL import Image

from core import pwa

pytestmark = pytest.mark.django_db


def test_the_manifest_names_simpul_in_indonesian_with_icons(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["name"] == "Simpul" and body["lang"] == "id"
    assert body["start_url"] == "/" and body["display"] == "standalone"
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    assert "Kotak keluar" in [s["name"] for s in body["shortcuts"]]


@pytest.mark.parametrize("size", [192, 512])
def test_png_icons_are_drawn_at_their_size(client: Client, size: int) -> None:
    response = client.get(f"/ikon/{size}.png")
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (size, size)
    assert client.get("/ikon/64.png").status_code == 404


def test_the_service_worker_is_served_from_the_root_for_its_release(
    client: Client,
) -> None:
    response = client.get("/sw.js")
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    config = json.loads(script.split("self.SIMPUL_SW = ", 1)[1].split(";\n", 1)[0])
    assert config["release"] == pwa.release()
    assert "/static/js/outbox.js" in config["precache"]
    assert "/luring/" in config["precache"]
    assert "/sinyal/lapor/" in config["warm"]
    assert config["workbox"].endswith("vendor/workbox/workbox-sw.js")
    assert "importScripts" in script


def test_workbox_modules_are_served_from_one_folder(client: Client) -> None:
    from django.contrib.staticfiles import finders

    for module in ("workbox-sw.js", "workbox-core.prod.js", "workbox-routing.prod.js"):
        assert finders.find(f"vendor/workbox/{module}"), module


def test_a_new_release_has_a_new_version(settings) -> None:  # type: ignore[no-untyped-def]
    pwa.release.cache_clear()
    before = pwa.release()
    settings.SIMPUL_VERSION = "2026.12-next"
    pwa.release.cache_clear()
    try:
        assert pwa.release() != before
    finally:
        pwa.release.cache_clear()


def test_the_csp_lets_the_worker_and_manifest_load(client: Client) -> None:
    policy = client.get("/luring/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_pages_link_the_manifest_and_the_outbox(client: Client) -> None:
    html = client.get("/kotak-keluar/").content.decode()
    assert 'rel="manifest"' in html and "js/sw-register.js" in html
    assert 'id="outbox-status"' in html and "data-outbox-list" in html
    assert "Kotak keluar" in html
    assert "Tidak ada koneksi" in client.get("/luring/").content.decode()
