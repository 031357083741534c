"""Demo data: offices of several kecamatan and regencies, a few datasets they
publish (illustrative figures, labelled as such), the built-in indicators and two
information requests. Idempotent: what exists is kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

OFFICES = [
    # (region, kind, name, email)
    ("64", "diskominfo", "Diskominfo Provinsi Kalimantan Timur", ""),
    ("64.02", "diskominfo", "Diskominfo Kabupaten Kutai Kartanegara", ""),
    ("64.02.06", "kecamatan", "Kecamatan Tenggarong", ""),
    ("64.02.16", "kecamatan", "Kecamatan Tenggarong Seberang", ""),
    ("64.03.05", "kecamatan", "Kecamatan Tanjung Redeb", ""),
    ("64.72.03", "kecamatan", "Kecamatan Samarinda Ulu", ""),
]

NOTE = " Angka dalam data demo ini adalah contoh, bukan data resmi."

DATASETS: list[dict[str, Any]] = [
    {
        "slug": "posyandu-kecamatan-tenggarong-2025",
        "region": "64.02.06",
        "actor": "tenggarong@demo.simpul.id",
        "title": "Jumlah posyandu dan kader per kelurahan/desa, "
        "Kecamatan Tenggarong 2025",
        "description": "Posyandu aktif dan kader terlatih per kelurahan/desa, "
        "direkap oleh Kantor Camat Tenggarong dari laporan puskesmas." + NOTE,
        "topic": "kesehatan",
        "frequency": "annual",
        "unit": "unit, orang",
        "keywords": ["posyandu", "kesehatan ibu dan anak", "kader"],
        "period": (date(2025, 1, 1), date(2025, 12, 31)),
        "table": "Posyandu per kelurahan/desa",
        "csv": "kode_desa;nama_desa;jumlah_posyandu;jumlah_kader\n"
        "64.02.06.1001;Jahab;4;20\n64.02.06.1002;Loa Ipuh;9;45\n"
        "64.02.06.1003;Bukit Biru;7;35\n64.02.06.1004;Timbau;6;30\n"
        "64.02.06.1005;Melayu;5;25\n64.02.06.1006;Panji;4;20\n"
        "64.02.06.1007;Sukarame;5;24\n64.02.06.1008;Kampung Baru;3;15\n"
        "64.02.06.1009;Loa Tebu;4;19\n64.02.06.1010;Mangkurawang;5;25\n"
        "64.02.06.1011;Maluhu;4;20\n64.02.06.1013;Loa Ipuh Darat;6;28\n"
        "64.02.06.2012;Rapak Lambur;2;10\n64.02.06.2014;Bendang Raya;2;9\n",
    },
    {
        "slug": "jadwal-pelayanan-kantor-camat-tenggarong",
        "region": "64.02.06",
        "actor": "tenggarong@demo.simpul.id",
        "title": "Jadwal pelayanan Kantor Camat Tenggarong",
        "description": "Jenis layanan administrasi di Kantor Camat Tenggarong, hari "
        "dan jam layanan." + NOTE,
        "topic": "pemerintahan",
        "frequency": "irregular",
        "unit": "",
        "keywords": ["pelayanan publik", "kantor camat", "PATEN"],
        "period": (None, None),
        "table": "Jadwal layanan",
        "csv": "layanan,hari,jam_buka,jam_tutup,berbayar\n"
        "Rekomendasi IMB/PBG,Senin-Kamis,08.00,15.00,tidak\n"
        "Legalisasi dokumen,Senin-Jumat,08.00,11.30,tidak\n"
        "Surat keterangan ahli waris,Senin-Kamis,08.00,14.00,tidak\n"
        "Dispensasi nikah,Senin-Jumat,08.00,11.00,tidak\n"
        "Pengaduan masyarakat,Senin-Jumat,08.00,16.00,tidak\n",
    },
    {
        "slug": "posyandu-kecamatan-tenggarong-seberang-2025",
        "region": "64.02.16",
        "actor": "kukar@demo.simpul.id",
        "title": "Jumlah posyandu per desa, Kecamatan Tenggarong Seberang 2025",
        "description": "Posyandu aktif per desa, rekap Kantor Camat Tenggarong "
        "Seberang." + NOTE,
        "topic": "kesehatan",
        "frequency": "annual",
        "unit": "unit",
        "keywords": ["posyandu", "kesehatan"],
        "period": (date(2025, 1, 1), date(2025, 12, 31)),
        "table": "Posyandu per desa",
        "csv": "kode_desa,nama_desa,jumlah_posyandu\n"
        "64.02.16.2001,Manunggal Jaya,3\n64.02.16.2002,Bukit Raya,2\n"
        "64.02.16.2003,Embalut,3\n64.02.16.2004,Bangun Rejo,4\n"
        "64.02.16.2005,Kerta Buana,3\n64.02.16.2006,Separi,2\n"
        "64.02.16.2007,Bukit Pariaman,3\n64.02.16.2008,Bhuana Jaya,4\n"
        "64.02.16.2009,Mulawarman,3\n64.02.16.2010,Loa Ulung,2\n",
    },
    {
        "slug": "sarana-ibadah-kecamatan-tanjung-redeb",
        "region": "64.03.05",
        "actor": "berau@demo.simpul.id",
        "title": "Sarana ibadah per kelurahan, Kecamatan Tanjung Redeb",
        "description": "Masjid, langgar/musala, gereja dan pura per kelurahan." + NOTE,
        "topic": "sosial",
        "frequency": "annual",
        "unit": "bangunan",
        "keywords": ["sarana ibadah"],
        "period": (date(2025, 1, 1), date(2025, 12, 31)),
        "table": "Sarana ibadah",
        "csv": "kode_kelurahan,nama_kelurahan,masjid,musala,gereja,pura\n"
        "64.03.05.1003,Sungai Bedungun,6,9,2,0\n64.03.05.1004,Tanjung Redeb,8,12,3,0\n"
        "64.03.05.1005,Bugis,7,10,1,0\n64.03.05.1006,Gayam,5,8,2,1\n"
        "64.03.05.1007,Karang Ambun,6,11,3,0\n64.03.05.1008,Gunung Panjang,4,7,1,0\n",
    },
    {
        "slug": "titik-wifi-publik-samarinda-ulu",
        "region": "64.72.03",
        "actor": "provinsi@demo.simpul.id",
        "title": "Titik WiFi publik per kelurahan, Kecamatan Samarinda Ulu",
        "description": "Titik akses WiFi publik gratis (balai kelurahan, taman, "
        "sekolah) per kelurahan." + NOTE,
        "topic": "komunikasi-informatika",
        "frequency": "semiannual",
        "unit": "titik",
        "keywords": ["wifi publik", "konektivitas"],
        "period": (date(2025, 7, 1), date(2025, 12, 31)),
        "table": "Titik WiFi publik",
        "csv": "kode_kelurahan,nama_kelurahan,titik_wifi,aktif\n"
        "64.72.03.1001,Teluk Lerong Ilir,3,ya\n64.72.03.1002,Jawa,2,ya\n"
        "64.72.03.1004,Air Putih,4,ya\n64.72.03.1005,Sidodadi,2,tidak\n"
        "64.72.03.1006,Air Hitam,3,ya\n64.72.03.1007,Dadi Mulya,1,ya\n",
    },
]


def load() -> list[str]:
    from accounts.models import User
    from datahub import services
    from datahub.models import Dataset, InfoRequest, Office, Topic
    from datahub.vulnerability_services import vulnerability_recompute
    from regions.models import Region

    regions = Region.objects.in_bulk([o[0] for o in OFFICES])
    if len(regions) < len(OFFICES):
        return []  # regions not loaded
    services.topics_ensure()
    offices: dict[str, Office] = {}
    for code, kind, name, email in OFFICES:
        offices[code] = services.office_ensure(
            region=regions[code], kind=kind, name=name, email=email
        )
    for spec in DATASETS:
        if Dataset.objects.filter(slug=spec["slug"]).exists():
            continue
        actor = User.objects.filter(email=spec["actor"]).first()
        if actor is None:
            continue
        start, end = spec["period"]
        dataset = services.dataset_create(
            actor=actor,
            office=offices[spec["region"]],
            title=spec["title"],
            description=spec["description"],
            topic=Topic.objects.get(slug=spec["topic"]),
            frequency=spec["frequency"],
            keywords=spec["keywords"],
            period_start=start,
            period_end=end,
            unit=spec["unit"],
        )
        Dataset.objects.filter(pk=dataset.pk).update(slug=spec["slug"])
        dataset.slug = spec["slug"]
        upload = SimpleUploadedFile(
            f"{spec['slug']}.csv", spec["csv"].encode(), content_type="text/csv"
        )
        services.resource_upload(
            actor=actor, dataset=dataset, upload=upload, name=spec["table"]
        )
        services.dataset_publish(actor=actor, dataset=dataset)
    services.indicators_refresh()
    # The index page has rows from the first visit, before the periodic task runs.
    vulnerability_recompute()
    tenggarong = offices["64.02.06"]
    if not InfoRequest.objects.filter(office=tenggarong).exists():
        operator = User.objects.filter(email="tenggarong@demo.simpul.id").first()
        today = timezone.localdate()
        answered = services.info_request_file(
            office=tenggarong,
            requester_name="Rahmawati",
            requester_address="Jl. Pesut, Tenggarong",
            requester_email="rahmawati@example.org",
            information="Jumlah posyandu dan kader per kelurahan di Tenggarong.",
            purpose="Bahan tugas akhir tentang kesehatan ibu dan anak.",
            received_on=today,
        )
        posyandu = Dataset.objects.filter(
            slug="posyandu-kecamatan-tenggarong-2025"
        ).first()
        if operator is not None:
            services.info_request_answer(
                actor=operator,
                request=answered,
                answer="Data tersedia sebagai dataset terbuka; tautan terlampir.",
                dataset=posyandu,
            )
        services.info_request_file(
            office=tenggarong,
            requester_name="Andi Saputra",
            requester_address="Kelurahan Timbau, Tenggarong",
            requester_phone="0812 5555 0101",
            delivery=InfoRequest.Delivery.PICKUP,
            information="Daftar penerima bantuan perbaikan rumah tidak layak huni "
            "tahun 2025 per kelurahan (jumlah, bukan nama).",
            purpose="Pemantauan program oleh karang taruna.",
            received_on=today,
        )
    return []
