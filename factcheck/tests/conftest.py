"""Fixtures of the fact-check tests: a small corpus of our own, channels' fake
Telegram/WhatsApp servers (``fake_telegram``, ``fake_whatsapp``), a local server
for the feeds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from channels.testing import (
    telegram_update,
    whatsapp_payload,
    whatsapp_signature,
    whatsapp_text,
)
from channels.tests.fixtures import (  # noqa: F401 (fixtures)
    _routes,
    _unlimited,
    fake_telegram,
    fake_whatsapp,
    post_hook,
)
from factcheck.tests.pages import PageServer, start_page_server

if TYPE_CHECKING:
    from factcheck.services.tips import TipOutcome

CORPUS = [
    {
        "external_id": "t-blt",
        "title": "Pendaftaran BLT Rp600 ribu lewat tautan blt-kaltim-2026.xyz",
        "verdict": "PENIPUAN",
        "claim": "BLT Provinsi Kaltim Rp600.000 cair hari ini, daftar di "
        "blt-kaltim-2026.xyz dengan NIK dan foto KTP sebelum ditutup.",
        "conclusion": "Tautan pendaftaran BLT itu penipuan pencuri data.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/blt",
    },
    {
        "external_id": "t-tower",
        "title": "Menara BTS baru di desa-desa Kukar menyebabkan kanker",
        "verdict": "SALAH",
        "claim": "Tower BTS program Kukar bebas blankspot memancarkan radiasi yang "
        "menyebabkan kanker, warga diminta menolak pembangunannya.",
        "conclusion": "Menara BTS tidak menyebabkan kanker.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/tower",
    },
    {
        "external_id": "t-ikn",
        "title": "Warga sekitar IKN wajib mengosongkan rumah tanpa ganti rugi",
        "verdict": "HOAKS",
        "claim": "Semua warga Sepaku wajib pindah akhir bulan tanpa ganti rugi "
        "karena lahannya diambil untuk IKN.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/ikn",
    },
    {
        "external_id": "t-loker",
        "title": "Lowongan kerja proyek IKN dengan biaya pendaftaran Rp250 ribu",
        "verdict": "PENIPUAN",
        "claim": "Dibuka lowongan 5.000 pekerja proyek IKN gaji Rp8 juta, kirim "
        "biaya administrasi Rp250.000 ke rekening panitia.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/loker",
    },
    {
        "external_id": "t-pln",
        "title": "Listrik Samarinda dan Balikpapan padam total tiga hari",
        "verdict": "HOAKS",
        "claim": "Info PLN: seluruh Samarinda dan Balikpapan padam total 3 hari "
        "mulai besok, segera isi air.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/pln",
    },
    {
        "external_id": "t-erau",
        "title": "Festival Erau tahun ini dibatalkan",
        "verdict": "SALAH",
        "claim": "Festival Erau dibatalkan tahun ini karena kekurangan anggaran.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/erau",
    },
    {
        "external_id": "t-pesut",
        "title": "Pesut Mahakam dipasangi wifi gratis",
        "verdict": "Satire/Parodi",
        "claim": "Pesut Mahakam dipasangi pemancar wifi gratis.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/pesut",
    },
    {
        "external_id": "t-vaksin",
        "title": "Vaksin campak menyebabkan anak lumpuh",
        "verdict": "Hoaks",
        "claim": "Vaksin campak di posyandu membuat anak lumpuh dan autis.",
        "source": "Tim Uji",
        "url": "https://cekfakta.example/vaksin",
    },
]

# A message as it circulates, and the fact-check that answers it.
KNOWN_HOAX = (
    "Diteruskan: BLT Kaltim Rp600.000 cair hari ini!! Daftar segera di "
    "blt-kaltim-2026.xyz pakai NIK & foto KTP sebelum ditutup"
)
NEW_RUMOUR = (
    "Katanya jembatan Kota Bangun akan ditutup permanen minggu depan karena retak, "
    "semua kendaraan dialihkan lewat Tenggarong"
)
NEW_RUMOUR_VARIANT = (
    "katanya JEMBATAN KOTA BANGUN ditutup permanen minggu depan karena retak!! semua "
    "kendaraan dialihkan lewat Tenggarong 😱"
)


def tip_from(
    channel: str, contact: str, text: str = NEW_RUMOUR, **kwargs: Any
) -> TipOutcome:
    """A tip sent over a chat ``channel`` by ``contact``, who is answered there."""
    from factcheck import services

    return services.tip_submit(
        channel=channel, text=text, contact_channel=channel, contact=contact, **kwargs
    )


@pytest.fixture(autouse=True)
def _fresh_engine(settings) -> Iterator[None]:
    """Each test's database is new (rolled back after): so is the index."""
    from factcheck import matching_service

    matching_service.reset_process_state()
    yield
    matching_service.reset_process_state()


@pytest.fixture
def corpus(db: None) -> list:
    """The small corpus above, imported and indexed."""
    from factcheck.importing import Parsed, record_from_mapping
    from factcheck.models import FactCheck
    from factcheck.services import factchecks_import

    items = [Parsed(n, record=record_from_mapping(r)) for n, r in enumerate(CORPUS)]
    result = factchecks_import(items=items)
    assert result.created == len(CORPUS), result.errors
    return list(FactCheck.objects.order_by("pk"))


@pytest.fixture
def hooks(
    fake_telegram: Any,  # noqa: F811 (a fixture imported above)
    fake_whatsapp: Any,  # noqa: F811
    post_hook: Any,  # noqa: F811
) -> Any:
    """Post to the webhooks with the tasks run as on a worker."""

    class Hooks:
        def telegram(
            self,
            client: Client,
            payload: dict[str, Any],
            url: str = "/hooks/telegram/",
            secret: str = "tg-secret",  # noqa: S107
        ) -> Any:
            return post_hook(
                client,
                url,
                json.dumps(payload),
                HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
            )

        def tg(
            self, client: Client, update_id: int, text: str, chat: int = 4242
        ) -> Any:
            return self.telegram(client, telegram_update(update_id, chat, text))

        def whatsapp(
            self,
            client: Client,
            payload: dict[str, Any],
            url: str = "/hooks/whatsapp/",
            secret: str = "wa-app-secret",  # noqa: S107
        ) -> Any:
            body = json.dumps(payload).encode()
            signature = whatsapp_signature(body, secret)
            return post_hook(client, url, body, HTTP_X_HUB_SIGNATURE_256=signature)

        def wa(
            self,
            client: Client,
            message_id: str,
            text: str,
            sender: str = "+6281234567890",
        ) -> Any:
            return self.whatsapp(
                client,
                whatsapp_payload(
                    messages=[whatsapp_text(sender.lstrip("+"), text, message_id)]
                ),
            )

    return Hooks()


@pytest.fixture
def feed_server() -> Iterator[PageServer]:
    """Other publishers' feeds, served from 127.0.0.1."""
    server = start_page_server()
    yield server
    server.close()
