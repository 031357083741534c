"""Demo articles and subscribers (``manage.py load_demo``; idempotent).

Written for Simpul: the FGD KIM 2022 report is our own summary of the event's
facts (see ../shared/seed/BRIEF.md), not the news site's text. Contacts are
fictional (+62812000000xx, example.org).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from network import selectors as network
from newsroom import services
from newsroom.models import Article, Kind, Subscriber
from regions.models import Region

FGD_TITLE = "FGD KIM 2022 di Tenggarong: KIM Diajak Jadi Garda Depan Melawan Hoaks"

FGD_BODY = """
<p>Dinas Komunikasi dan Informatika (Diskominfo) Provinsi Kalimantan Timur
menggelar Focus Group Discussion Kelompok Informasi Masyarakat (FGD KIM) 2022 di
Ballroom Hotel Grand Fatma, Jalan Pesut, Tenggarong, pada Selasa, 12 Juli 2022.
Sebanyak 35 peserta hadir langsung dan 15 peserta mengikuti secara daring, terdiri
atas pejabat dan staf Diskominfo kabupaten/kota se-Kaltim serta perwakilan KIM.</p>
<h2>Transformasi digital harus diimbangi literasi</h2>
<p>Dalam pembukaannya, Kepala Diskominfo Kaltim menyoroti percepatan transformasi
digital seiring pembangunan Ibu Kota Nusantara (IKN): menara seluler kini berdiri
di tempat-tempat yang dulu sulit dijangkau. Menurutnya, kemajuan itu harus
diimbangi literasi digital agar ruang digital tetap bersih, aman dan nyaman, dan
masyarakat berdaya memanfaatkan teknologi secara produktif.</p>
<p>Ia juga mengingatkan bahwa hoaks kian marak, bahkan disebut telah menjadi
semacam industri menjelang pemilu. KIM diharapkan ikut menyebarkan informasi yang
benar dan positif untuk menangkalnya.</p>
<h2>Blankspot dan kecamatan sebagai pusat data</h2>
<p>Pemerintah provinsi tengah menguji coba penanganan blankspot di 40 desa, 12 di
antaranya di Kutai Kartanegara. Program "Kukar bebas blankspot" memprioritaskan
permukiman, pusat pelayanan ekonomi dan kantor pemerintahan desa, disertai
penguatan kecamatan sebagai pusat data dan informasi yang terintegrasi.</p>
<h2>Dua materi, satu pelantikan</h2>
<p>Tema FGD tahun ini adalah konsolidasi dan sinergi kemitraan antarkabupaten/kota
di Kaltim. Dua narasumber membawakan materi: peningkatan kapasitas KIM dalam
diseminasi informasi publik berbasis internet, dan jejaring komunikasi KIM melalui
media sosial untuk menjangkau wilayah Kukar yang luas sekaligus mengangkat potensi
lokal. Sebelum diskusi dimulai, Forum KIM Kutai Kartanegara dilantik oleh Kepala
Diskominfo Kukar.</p>
"""

ARTICLES: list[dict[str, Any]] = [
    {
        "title": FGD_TITLE,
        "kind": Kind.EVENT_REPORT,
        "lead": (
            "Diskominfo Kaltim mengumpulkan 50 peserta dari kabupaten/kota dan KIM "
            "se-Kaltim untuk memperkuat diseminasi informasi, melawan hoaks dan "
            "menutup blankspot."
        ),
        "body": FGD_BODY,
        "office": "64",
        "regions": ["64.02.06"],
        "tags": ["FGD KIM", "literasi digital", "blankspot"],
        "published_at": datetime(2022, 7, 12, 16, 0),
    },
    {
        "title": "Madu Kelulut Loa Ipuh, Manis Asam dari Hutan Tenggarong",
        "kind": Kind.UMKM,
        "lead": (
            "Sekelompok warga Loa Ipuh membudidayakan lebah kelulut di pekarangan "
            "dan menjual madunya lewat WhatsApp ke seluruh Kaltim."
        ),
        "body": (
            "<p>Di belakang rumah-rumah warga Loa Ipuh, kotak-kotak kayu kecil "
            "berjajar rapi. Di dalamnya lebah kelulut (lebah tanpa sengat) "
            "menghasilkan madu yang rasanya manis bercampur asam.</p>"
            "<p>Kelompok usaha ini memulai dari lima kotak pada 2021 dan kini "
            "merawat lebih dari seratus. Madu dikemas dalam botol 250 ml dan "
            "dipasarkan melalui grup WhatsApp, media sosial KIM dan bazar UMKM di "
            "Tenggarong.</p><p>KIM setempat membantu memotret produk, menulis "
            "cerita dan menyebarkan informasi pameran agar usaha warga dikenal "
            "lebih luas.</p>"
        ),
        "kim": "KIM Jahab Informatif",
        "regions": ["64.02.06"],
        "tags": ["UMKM", "Tenggarong", "madu kelulut"],
    },
    {
        "title": "Pulau Kumala dan Museum Mulawarman, Akhir Pekan di Tenggarong",
        "kind": Kind.TOURISM,
        "lead": (
            "Dua tujuan wisata di tepi Sungai Mahakam yang bisa dikunjungi dalam "
            "sehari, lengkap dengan kuliner khas Kutai."
        ),
        "body": (
            "<p>Tenggarong menyimpan sejarah Kesultanan Kutai Kartanegara. Museum "
            "Mulawarman, bekas istana kesultanan, memamerkan singgasana, koleksi "
            "keramik dan replika prasasti Yupa.</p><p>Dari tepian Mahakam, "
            "pengunjung dapat menyeberang ke Pulau Kumala yang kini ditata kembali "
            "sebagai taman rekreasi keluarga. Sore hari, deretan warung menyajikan "
            "kuliner khas Kutai.</p>"
        ),
        "office": "64.02",
        "regions": ["64.02.06"],
        "tags": ["wisata", "Kukar", "Sungai Mahakam"],
    },
    {
        "title": "Pendaftaran Pelatihan Literasi Digital KIM Kukar Dibuka",
        "kind": Kind.ANNOUNCEMENT,
        "lead": (
            "Diskominfo Kukar membuka pendaftaran pelatihan literasi digital dan "
            "cek fakta bagi anggota KIM di 20 kecamatan."
        ),
        "body": (
            "<p>Pelatihan meliputi cara mengenali hoaks, memeriksa foto dan video, "
            "serta menulis berita kegiatan desa yang menarik dan akurat.</p>"
            "<p>Pendaftaran melalui koordinator KIM masing-masing. Kuota terbatas, "
            "dengan prioritas KIM dari desa yang baru terjangkau sinyal.</p>"
        ),
        "office": "64.02",
        "regions": [],
        "tags": ["literasi digital", "pelatihan"],
    },
]

# Local-potential stories (Potensi Daerah), written for Simpul's demo: the
# phone numbers are fictional, the event dates an illustration.
POTENTIALS: list[dict[str, Any]] = [
    {
        "title": "Amplang Samarinda, Kerupuk Ikan Oleh-Oleh dari Tepi Mahakam",
        "category": "produk_lokal",
        "name": "Amplang ikan pipih Samarinda",
        "place": "64.72.04",
        "lead": (
            "Kerupuk amplang dari ikan pipih dan tenggiri dibuat di dapur-dapur "
            "rumah tangga Samarinda Ilir dan jadi oleh-oleh wajib dari ibu kota "
            "provinsi."
        ),
        "body": (
            "<p>Adonan ikan, tepung tapioka, telur dan bawang putih diuleni, "
            "dipotong kecil lalu digoreng dua kali sampai mengembang dan renyah. "
            "Bentuknya yang melengkung membuat amplang mudah dikenali di etalase "
            "toko oleh-oleh.</p><p>Para pembuat amplang di Samarinda Ilir "
            "menjual dalam kemasan 100 sampai 500 gram, dengan rasa original, "
            "pedas dan udang. Pesanan untuk acara kantor dan hajatan diterima "
            "beberapa hari sebelumnya.</p>"
        ),
        "office": "64",
        "phone": "+62 812 0000 0031",
        "price_range": "Rp15.000-Rp60.000 per kemasan",
        "opening_hours": "Setiap hari 08.00-21.00 WITA",
        "tags": ["UMKM", "kuliner", "Samarinda"],
    },
    {
        "title": "Pulau Derawan: Penyu Hijau, Air Jernih dan Kampung di Atas Laut",
        "category": "wisata",
        "name": "Pulau Derawan",
        "place": "64.03.07.2004",
        "lat": 2.2870,
        "lng": 118.2440,
        "lead": (
            "Pulau kecil di Kabupaten Berau ini dikenal dengan penyu hijau yang "
            "berenang di bawah dermaga dan rumah-rumah warga di atas air."
        ),
        "body": (
            "<p>Dari Tanjung Batu, perahu cepat membawa pengunjung ke Derawan "
            "dalam waktu kurang dari satu jam. Pulau ini cukup kecil untuk "
            "dikelilingi dengan berjalan kaki.</p><p>Penyu hijau sering terlihat "
            "di sekitar dermaga pada pagi dan sore hari. Pengunjung diminta tidak "
            "menyentuh atau memberi makan penyu, tidak menginjak karang, dan "
            "membawa pulang sampahnya.</p><p>Penginapan milik warga tersedia di "
            "atas air maupun di darat; KIM setempat membantu mengabarkan jadwal "
            "perahu saat cuaca buruk.</p>"
        ),
        "office": "64",
        "phone": "+62 812 0000 0032",
        "price_range": "Perahu dan penginapan: tarif disepakati dengan pemiliknya",
        "opening_hours": "Setiap hari; perahu berangkat pagi sampai sore",
        "tags": ["wisata", "Berau", "penyu"],
    },
    {
        "title": "Erau, Pesta Adat Kesultanan Kutai di Tenggarong",
        "category": "budaya",
        "name": "Festival Erau Tenggarong",
        "place": "64.02.06",
        "starts_on": date(2026, 9, 20),
        "ends_on": date(2026, 9, 27),
        "lead": (
            "Seminggu upacara adat, seni dan permainan rakyat di tepi Mahakam: "
            "Erau merayakan tradisi Kesultanan Kutai Kartanegara Ing Martadipura."
        ),
        "body": (
            "<p>Erau berasal dari kata <em>eroh</em> yang berarti ramai. Selama "
            "festival, Tenggarong dipenuhi tarian, musik tradisional, kuliner dan "
            "permainan rakyat, sementara kerabat kesultanan menjalankan upacara "
            "adat di Kedaton.</p><p>Puncaknya adalah prosesi di Sungai Mahakam, "
            "ketika warga dan pengunjung saling memercikkan air sebagai tanda "
            "kebersamaan.</p><p>Tanggal pada cerita contoh ini adalah ilustrasi: "
            "jadwal resmi diumumkan panitia dan Diskominfo Kukar.</p>"
        ),
        "office": "64.02",
        "phone": "+62 812 0000 0033",
        "price_range": "Gratis untuk umum",
        "tags": ["budaya", "Kukar", "Erau"],
    },
    {
        "title": "Ulap Doyo, Tenun Serat Daun dari Tanjung Isuy",
        "category": "budaya",
        "name": "Tenun ulap doyo",
        "place": "64.07.11.2008",
        "lead": (
            "Perempuan Dayak Benuaq di Tanjung Isuy menenun kain dari serat daun "
            "doyo dengan motif yang diwariskan turun-temurun."
        ),
        "body": (
            "<p>Daun doyo direndam, dikeringkan dan dipintal menjadi benang, lalu "
            "diwarnai dengan pewarna dari tumbuhan sekitar kampung. Satu lembar "
            "kain bisa memakan waktu berminggu-minggu.</p><p>Motifnya "
            "menggambarkan alam dan kehidupan sehari-hari. Kain ulap doyo kini "
            "juga dibuat menjadi tas, dompet dan hiasan dinding.</p>"
        ),
        "office": "64",
        "tags": ["budaya", "Kutai Barat", "tenun"],
    },
]

SUBSCRIBERS: list[dict[str, Any]] = [
    {"name": "Rahmawati", "channel": "whatsapp", "phone": "+6281200000011",
     "region": "64.02.06", "topics": []},
    {"name": "Yusuf", "channel": "sms", "phone": "+6281200000012",
     "region": "64.02", "topics": ["pengumuman", "klarifikasi_hoaks"]},
    {"name": "Siti", "channel": "email", "email": "siti@example.org",
     "region": "64", "topics": []},
    {"name": "Andi", "channel": "email", "email": "andi@example.org",
     "region": "64.03", "topics": ["wisata", "budaya"]},
]  # fmt: skip


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _load_potentials(*, editor: User | None, admin: User | None) -> int:
    created = 0
    for spec in POTENTIALS:
        if Article.objects.filter(title=spec["title"]).exists():
            continue
        writer = admin if spec["office"] == "64" else editor
        place = Region.objects.filter(kode=spec["place"]).first()
        if writer is None or place is None:
            continue
        facts = {
            k: spec[k]
            for k in (
                "lat",
                "lng",
                "phone",
                "price_range",
                "opening_hours",
                "starts_on",
                "ends_on",
            )
            if k in spec
        }
        article = services.potential_create(
            actor=writer,
            office=Region.objects.get(kode=spec["office"]),
            category=spec["category"],
            name=spec["name"],
            place=place,
            title=spec["title"],
            lead=spec["lead"],
            body=spec["body"],
            tags=spec["tags"],
            **facts,
        )
        services.article_submit(actor=writer, article=article)
        services.article_approve(actor=writer, article=article)
        services.article_publish(actor=writer, article=article)
        created += 1
    return created


@transaction.atomic
def load_demo() -> list[str]:
    editor = _user("redaksi@demo.simpul.id")
    admin = _user("provinsi@demo.simpul.id")
    coordinator = _user("koordinator@demo.simpul.id")
    created = 0
    for spec in ARTICLES:
        if Article.objects.filter(title=spec["title"]).exists():
            continue
        author: dict[str, Any] = {}
        writer = reviewer = admin if spec.get("office") == "64" else editor
        if spec.get("kim"):
            kim = network.kim_list(q=spec["kim"]).first()
            if kim is None or coordinator is None:
                continue
            author["kim"] = kim
            writer = coordinator
        else:
            author["office"] = Region.objects.get(kode=spec["office"])
        if writer is None or reviewer is None:
            continue
        article = services.article_create(
            actor=writer,
            kind=spec["kind"],
            title=spec["title"],
            lead=spec["lead"],
            body=spec["body"],
            regions=list(Region.objects.filter(kode__in=spec["regions"])),
            tags=spec["tags"],
            **author,
        )
        services.article_submit(actor=writer, article=article)
        services.article_approve(actor=reviewer, article=article)
        if spec.get("published_at"):
            article.published_at = timezone.make_aware(spec["published_at"])
        services.article_publish(actor=reviewer, article=article)
        created += 1
    created += _load_potentials(editor=editor, admin=admin)
    for spec in SUBSCRIBERS:
        address = {"phone": spec.get("phone", ""), "email": spec.get("email", "")}
        if Subscriber.objects.filter(channel=spec["channel"], **address).exists():
            continue
        services.subscriber_create(
            channel=spec["channel"],
            region=Region.objects.get(kode=spec["region"]),
            name=spec["name"],
            topics=spec["topics"],
            **address,
        )
    return [f"Kabar: {created} demo articles published."] if created else []
