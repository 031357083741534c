"""Demo fact-checks and tips: fictional, written for the demo, about the kind of
rumours that circulate in Kaltim. Nothing here comes from a real fact-checker."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from factcheck.models import Channel, FactCheck, Tip

PUBLISHER = "Diskominfo Kaltim (demo)"

DEMO_FACTCHECKS: list[dict[str, object]] = [
    {
        "external_id": "demo-blt-kaltim-link",
        "title": "Pendaftaran BLT Rp600 ribu lewat tautan blt-kaltim-2026.xyz",
        "verdict": "penipuan",
        "claim": "Pesan berantai: BLT Provinsi Kaltim Rp600.000 cair hari ini, "
        "daftar di blt-kaltim-2026.xyz dengan NIK dan foto KTP sebelum ditutup.",
        "explanation": "Tidak ada program BLT Provinsi Kaltim yang didaftarkan lewat "
        "tautan tersebut. Situs meminta NIK, foto KTP dan kode OTP, yang "
        "dipakai untuk mengambil alih akun WhatsApp dan rekening korban. "
        "Penyaluran bantuan sosial diumumkan lewat kanal resmi pemerintah dan "
        "pendamping desa.",
        "conclusion": "Tautan pendaftaran BLT Rp600 ribu itu penipuan: jangan isi "
        "data dan jangan bagikan kode OTP.",
        "regions": ["64"],
    },
    {
        "external_id": "demo-ikn-ganti-rugi",
        "title": "Warga sekitar IKN wajib mengosongkan rumah tanpa ganti rugi "
        "akhir bulan ini",
        "verdict": "hoaks",
        "claim": "Semua warga Sepaku wajib pindah paling lambat akhir bulan tanpa "
        "ganti rugi karena lahannya diambil untuk IKN.",
        "explanation": "Tidak ada surat atau pengumuman resmi tentang pengosongan "
        "massal. Pengadaan tanah untuk kepentingan umum diatur undang-undang dan "
        "disertai musyawarah serta ganti kerugian yang layak.",
        "conclusion": "Kabar pengosongan rumah warga sekitar IKN tanpa ganti rugi "
        "adalah hoaks.",
        "regions": ["64.09"],
    },
    {
        "external_id": "demo-lowongan-ikn",
        "title": "Lowongan kerja proyek IKN dengan biaya pendaftaran Rp250 ribu",
        "verdict": "penipuan",
        "claim": "Dibuka lowongan 5.000 pekerja proyek IKN, gaji Rp8 juta, kirim "
        "biaya administrasi Rp250.000 ke rekening panitia.",
        "explanation": "Rekrutmen resmi tidak memungut biaya pendaftaran. Nomor "
        "rekening dalam pesan adalah rekening pribadi, bukan milik instansi.",
        "conclusion": "Lowongan kerja proyek IKN yang meminta biaya pendaftaran "
        "adalah penipuan.",
        "regions": ["64.09", "64.71"],
    },
    {
        "external_id": "demo-tower-kukar-kanker",
        "title": "Menara BTS baru di desa-desa Kukar menyebabkan kanker",
        "verdict": "salah",
        "claim": "Tower BTS program Kukar bebas blankspot memancarkan radiasi yang "
        "menyebabkan kanker dan keguguran, warga diminta menolak pembangunannya.",
        "explanation": "Pemancar seluler memakai gelombang radio berdaya rendah yang "
        "dibatasi standar keselamatan. Lembaga kesehatan internasional tidak "
        "menemukan bukti bahwa paparan pada batas aman itu menyebabkan kanker.",
        "conclusion": "Klaim menara BTS di Kukar menyebabkan kanker tidak benar.",
        "regions": ["64.02"],
    },
    {
        "external_id": "demo-pln-padam-3hari",
        "title": "Listrik Samarinda dan Balikpapan padam total tiga hari mulai besok",
        "verdict": "hoaks",
        "claim": "Info PLN: seluruh Samarinda dan Balikpapan padam total 3 hari "
        "mulai besok, segera isi air dan cas semua HP.",
        "explanation": "Tidak ada jadwal pemadaman total. Pemeliharaan jaringan "
        "diumumkan per gardu dan per wilayah kecil melalui kanal resmi.",
        "conclusion": "Kabar pemadaman total tiga hari di Samarinda dan "
        "Balikpapan adalah hoaks.",
        "regions": ["64.71", "64.72"],
    },
    {
        "external_id": "demo-beras-plastik-pasar",
        "title": "Video beras plastik dijual di pasar Tenggarong",
        "verdict": "konteks_keliru",
        "claim": "Video memperlihatkan beras plastik dijual di Pasar Tangga "
        "Arung, Tenggarong.",
        "explanation": "Video itu sudah beredar bertahun-tahun dari luar negeri dan "
        "tidak direkam di Tenggarong. Uji sampel beras di pasar tidak menemukan "
        "plastik.",
        "conclusion": "Video beras plastik itu tidak direkam di Tenggarong.",
        "regions": ["64.02.06"],
    },
    {
        "external_id": "demo-festival-erau-batal",
        "title": "Festival Erau tahun ini dibatalkan",
        "verdict": "salah",
        "claim": "Festival Erau dibatalkan tahun ini karena kekurangan anggaran.",
        "explanation": "Jadwal Erau tetap berjalan sesuai agenda yang diumumkan "
        "pemerintah kabupaten; tidak ada pengumuman pembatalan.",
        "conclusion": "Kabar pembatalan Festival Erau tidak benar.",
        "regions": ["64.02.06"],
    },
    {
        "external_id": "demo-satire-pesut-wifi",
        "title": "Pesut Mahakam kini dipasangi wifi gratis",
        "verdict": "satire",
        "claim": "Pesut Mahakam dipasangi pemancar wifi gratis untuk warga "
        "tepian sungai.",
        "explanation": "Tulisan itu berasal dari akun humor dan ditandai sebagai "
        "satire oleh pembuatnya.",
        "conclusion": "Ini satire, bukan berita.",
        "regions": ["64.02"],
    },
]

# (text, region): a kabupaten/kota chosen on the web form, or the village of the
# KIM member who wrote from their own number.
DEMO_TIPS: list[tuple[str, str]] = [
    (
        "Diteruskan: BLT Kaltim Rp600.000 cair hari ini!! Daftar segera di "
        "blt-kaltim-2026.xyz pakai NIK & foto KTP sebelum ditutup",
        "64.02",
    ),
    (
        "Katanya jembatan Mahakam akan ditutup permanen minggu depan karena retak, "
        "semua kendaraan dialihkan lewat Tenggarong",
        "64.71",
    ),
    (
        "Katanya jembatan Mahakam ditutup permanen minggu depan karena retak! semua "
        "kendaraan dialihkan lewat Tenggarong",
        "64.02",
    ),
    (
        "Air PDAM Bontang tercemar limbah, jangan diminum sampai ada pengumuman, "
        "sudah banyak anak masuk rumah sakit",
        "64.74",
    ),
    (
        "Benarkah ini dari Pak Camat? Selamat, usaha Anda terpilih menerima bantuan "
        "modal UMKM Rp5 juta dari Kecamatan Tenggarong. Kirim biaya administrasi "
        "Rp150.000 ke rekening bendahara agar dana segera cair.",
        "64.02.06.1001",
    ),
    (
        "Warga Loa Kulu jangan makan ikan dari Sungai Mahakam dulu, katanya airnya "
        "tercemar merkuri dan sudah ada yang keracunan dibawa ke puskesmas",
        "64.02.02",
    ),
    (
        "Info BMKG: banjir besar akan melanda Tenggarong Seberang malam ini, warga "
        "diminta mengungsi sebelum jam 9",
        "64.02.16",
    ),
    (
        "Beredar video kotak suara pilkada dibakar di Kota Bangun, katanya hasil "
        "pemilihan akan diulang",
        "64.02.08",
    ),
    (
        "Harga beras di pasar Tenggarong naik jadi Rp25.000 sekilo mulai bulan depan "
        "karena stok Bulog habis",
        "64.02.06.1005",
    ),
]


def demo_ensure() -> list[str]:
    """Create the demo fact-checks and a few tips (idempotent)."""
    from factcheck.importing import FactCheckRecord, Parsed
    from factcheck.services import factchecks_import, tip_submit
    from regions.models import Region

    if FactCheck.objects.filter(external_id__startswith="demo-").exists():
        return []
    today = timezone.localdate()
    items = [
        Parsed(
            n,
            record=FactCheckRecord(
                external_id=str(data["external_id"]),
                title=str(data["title"]),
                claim=str(data["claim"]),
                verdict=str(data["verdict"]),
                explanation=str(data["explanation"]),
                conclusion=str(data["conclusion"]),
                source=PUBLISHER,
                author="Tim Cek Fakta (demo)",
                regions=list(data["regions"]),  # type: ignore[call-overload]
                # Dated like real verdicts: a few days apart, the newest first.
                published=today - timedelta(days=3 * n - 1),
            ),
        )
        for n, data in enumerate(DEMO_FACTCHECKS, start=1)
    ]
    with transaction.atomic():
        result = factchecks_import(items=items)
        FactCheck.objects.filter(external_id__startswith="demo-").update(is_own=True)
    tips = 0
    if not Tip.objects.exists():
        for text, kode in DEMO_TIPS:
            tip_submit(
                channel=Channel.WEB,
                text=text,
                ask=False,  # no one to answer: the demo desk gets the claims
                region=Region.objects.filter(kode=kode).first(),
            )
            tips += 1
    return [f"Fact-check demo: {result.created} fact-checks, {tips} tips."]
