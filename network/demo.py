"""Demo data of the KIM network (``manage.py load_demo``; idempotent).

KIMs in each of the 10 kabupaten/kota of Kaltim, the Forum KIM of Kutai
Kartanegara (inaugurated on 12 July 2022 at Ballroom Hotel Grand Fatma) and of
the province, the FGD KIM 2022 of the seed report with its speakers and its 35
on-site + 15 online attendances, activities, and a digital-literacy training with
its tests. People are fictional; phone numbers are +62812000000xx test numbers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from network import services
from network.models import (
    Activity,
    Attendance,
    BoardMember,
    Choice,
    Event,
    Forum,
    Kim,
    Membership,
    Participant,
    Person,
    QuizAttempt,
)
from regions.models import Region

WITA = ZoneInfo("Asia/Makassar")
COORDINATOR_EMAIL = "koordinator@demo.simpul.id"
MEMBER_EMAIL = "anggota@demo.simpul.id"

# (village/district code, KIM name, status, level, focus areas)
KIMS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "64.02.06.1001",
        "KIM Jahab Informatif",
        "active",
        "madya",
        ["informasi_publik", "anti_hoaks", "potensi_lokal"],
    ),
    (
        "64.02.06.1005",
        "KIM Melayu Bersatu",
        "active",
        "pemula",
        ["budaya", "pariwisata"],
    ),
    ("64.02.07.2001", "KIM Selerong Maju", "dormant", "pemula", ["pertanian"]),
    (
        "64.01.03.2001",
        "KIM Lempesu Sejahtera",
        "active",
        "pemula",
        ["pertanian", "umkm"],
    ),
    (
        "64.03.03.1013",
        "KIM Sambaliung Cerdas",
        "active",
        "madya",
        ["literasi_digital", "pendidikan"],
    ),
    (
        "64.07.06.1006",
        "KIM Melak Ilir Bersinar",
        "active",
        "pemula",
        ["budaya", "potensi_lokal"],
    ),
    (
        "64.08.01.2001",
        "KIM Senyiur Mandiri",
        "active",
        "pemula",
        ["pertanian", "lingkungan"],
    ),
    (
        "64.09.01.1001",
        "KIM Tanjung Tengah Peduli",
        "active",
        "madya",
        ["informasi_publik", "pelayanan_publik"],
    ),
    (
        "64.11.01.2001",
        "KIM Long Hurai Bersatu",
        "active",
        "pemula",
        ["budaya", "kesehatan"],
    ),
    (
        "64.71.01.1001",
        "KIM Manggar Pesisir",
        "active",
        "utama",
        ["anti_hoaks", "umkm", "pariwisata"],
    ),
    (
        "64.72.03.1001",
        "KIM Teluk Lerong Ilir",
        "active",
        "madya",
        ["literasi_digital", "anti_hoaks"],
    ),
    (
        "64.74.01.1001",
        "KIM Bontang Kuala Lestari",
        "active",
        "madya",
        ["pariwisata", "lingkungan", "potensi_lokal"],
    ),
]

FIRST = [
    "Rahmawati",
    "Budi",
    "Siti",
    "Andi",
    "Nurul",
    "Agus",
    "Dewi",
    "Hendra",
    "Fitri",
    "Yusuf",
    "Rina",
    "Rudi",
    "Lestari",
    "Fajar",
    "Maya",
    "Irfan",
    "Wulan",
    "Taufik",
    "Aisyah",
    "Bayu",
    "Nanda",
    "Sri",
    "Eko",
    "Dian",
    "Rizky",
]
LAST = [
    "Saputra",
    "Lestari",
    "Hidayat",
    "Pratama",
    "Rahman",
    "Kusuma",
    "Wijaya",
    "Nugroho",
    "Sari",
    "Ramadhan",
    "Setiawan",
    "Anggraini",
    "Syahputra",
    "Maulana",
    "Utami",
    "Firmansyah",
    "Permata",
    "Hasan",
    "Purnama",
    "Aditya",
]

QUESTIONS: list[tuple[str, list[str], int]] = [
    (
        "Apa langkah pertama ketika menerima pesan berantai yang mencurigakan?",
        [
            "Langsung meneruskannya ke grup",
            "Memeriksa sumber dan kebenarannya",
            "Menghapus aplikasi",
            "Membalas dengan marah",
        ],
        1,
    ),
    (
        "Manakah ciri umum berita hoaks?",
        [
            "Mencantumkan sumber resmi yang bisa dicek",
            "Judul provokatif dan meminta segera disebarkan",
            "Ditulis oleh media terverifikasi Dewan Pers",
            "Memuat tanggal yang jelas",
        ],
        1,
    ),
    (
        "Kata sandi yang aman sebaiknya …",
        [
            "Tanggal lahir",
            "Sama untuk semua akun",
            "Panjang, unik, dan memakai verifikasi dua langkah",
            "Nama anak",
        ],
        2,
    ),
    (
        "Kode OTP dari bank boleh diberikan kepada …",
        [
            "Petugas bank yang menelepon",
            "Teman dekat",
            "Tidak kepada siapa pun",
            "Kurir paket",
        ],
        2,
    ),
    (
        "Tempat melapor konten negatif di Indonesia adalah …",
        ["aduankonten.id", "Kolom komentar", "Status WhatsApp", "Grup keluarga"],
        0,
    ),
]


def _phone(n: int) -> str:
    return f"+628120000{n:04d}"


def _name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"


def load_demo() -> list[str]:
    if not Region.objects.filter(kode="64").exists():
        return ["network: regions are not loaded; demo skipped"]
    with transaction.atomic():
        kims = _kims()
        _coordinator(kims["KIM Jahab Informatif"])
        _member(kims["KIM Jahab Informatif"])
        forum = _forums(kims)
        _fgd(forum)
        _activities(kims)
        _training(kims["KIM Jahab Informatif"])
        services.kim_scores_recompute()
    return []


def _kims() -> dict[str, Kim]:
    result: dict[str, Kim] = {}
    phone_no = 1
    for i, (code, name, status, level, focus) in enumerate(KIMS):
        region = Region.objects.get(kode=code)
        kim = Kim.objects.filter(region=region, name=name).first()
        if kim is None:
            slug = name.lower().replace("kim ", "kim").replace(" ", "")
            kim = services.kim_create(
                actor=None,
                name=name,
                region=region,
                status=status,
                level=level,
                focus_areas=focus,
                founded_on=date(2019 + i % 4, 1 + i % 12, 10),
                decree_number=f"140/{100 + i}/SK-KIM/{2019 + i % 4}",
                decree_date=date(2019 + i % 4, 1 + i % 12, 10),
                decree_issuer=f"Kepala Desa/Lurah {region.name}",
                description=(
                    f"Kelompok Informasi Masyarakat di {region.name} yang mengelola "
                    "dan menyebarkan informasi publik bagi warga."
                ),
                instagram=f"@{slug}",
                facebook=f"https://www.facebook.com/{slug}",
                email=f"{slug}@contoh.desa.id",
            )
        result[name] = kim
        roles = [
            Membership.Role.KETUA,
            Membership.Role.SEKRETARIS,
            Membership.Role.BENDAHARA,
            Membership.Role.ANGGOTA,
            Membership.Role.ANGGOTA,
        ]
        for j, role in enumerate(roles):
            phone = _phone(phone_no)
            phone_no += 1
            if kim.memberships.filter(person__phone=phone).exists():
                continue
            if Person.objects.filter(phone=phone).exists():
                continue
            services.member_add(
                actor=None,
                kim=kim,
                full_name=_name(i * 5 + j),
                phone=phone,
                role=role,
                joined_on=date(2021, 1 + j, 1),
                public_contact=(role == Membership.Role.KETUA),
            )
    return result


def _coordinator(kim: Kim) -> None:
    user = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if user is None or Person.objects.filter(user=user).exists():
        return
    chair = kim.memberships.filter(role=Membership.Role.KETUA).first()
    if chair is not None:
        services.person_link_user(actor=None, person=chair.person, user=user)


def _member(kim: Kim) -> None:
    """The demo member account is one of the KIM's members (without a linked
    person it could neither report an activity nor write for its KIM)."""
    user = User.objects.filter(email=MEMBER_EMAIL).first()
    if user is None or Person.objects.filter(user=user).exists():
        return
    member = (
        kim.memberships.filter(role=Membership.Role.ANGGOTA, person__user__isnull=True)
        .order_by("pk")
        .first()
    )
    if member is not None:
        services.person_link_user(actor=None, person=member.person, user=user)


def _forums(kims: dict[str, Kim]) -> Forum:
    kukar = Region.objects.get(kode="64.02")
    province = Region.objects.get(kode="64")
    inauguration = Event.objects.filter(
        title="Pelantikan Forum KIM Kabupaten Kutai Kartanegara"
    ).first()
    if inauguration is None:
        inauguration = services.event_create(
            actor=None,
            kind=Event.Kind.INAUGURATION,
            title="Pelantikan Forum KIM Kabupaten Kutai Kartanegara",
            theme="Pelantikan pengurus Forum Komunitas Informasi Masyarakat Kukar",
            region=Region.objects.get(kode="64.02.06"),
            organiser_region=kukar,
            organisers="Diskominfo Kabupaten Kutai Kartanegara",
            opened_by="Dafip Haryanto, Kepala Diskominfo Kutai Kartanegara",
            venue="Ballroom Hotel Grand Fatma",
            address="Jalan Pesut, Tenggarong",
            starts_at=datetime(2022, 7, 12, 8, 0, tzinfo=WITA),
            ends_at=datetime(2022, 7, 12, 9, 0, tzinfo=WITA),
            registration=Event.Registration.INVITED,
        )
    forum = Forum.objects.filter(region=kukar).first()
    if forum is None:
        forum = services.forum_create(
            actor=None,
            region=kukar,
            name="Forum KIM Kabupaten Kutai Kartanegara",
            description="Wadah KIM se-Kabupaten Kutai Kartanegara.",
            founded_on=date(2022, 6, 1),
            decree_number="555/123/SK-FKIM/Diskominfo/2022",
            decree_date=date(2022, 6, 20),
            decree_issuer="Kepala Diskominfo Kutai Kartanegara",
            inaugurated_on=date(2022, 7, 12),
            inauguration_place="Ballroom Hotel Grand Fatma, Jalan Pesut, Tenggarong",
            inaugurated_by="Dafip Haryanto, Kepala Diskominfo Kutai Kartanegara",
            inauguration_decree="555/123/SK-FKIM/Diskominfo/2022",
            inauguration_event=inauguration,
            kims=[k for k in kims.values() if k.regency_code == "64.02"],
        )
        board = [
            ("Hendra Wijaya", BoardMember.Position.KETUA, ""),
            ("Dewi Anggraini", BoardMember.Position.WAKIL_KETUA, ""),
            ("Fajar Ramadhan", BoardMember.Position.SEKRETARIS, ""),
            ("Maya Kusuma", BoardMember.Position.BENDAHARA, ""),
            ("Irfan Maulana", BoardMember.Position.KOORDINATOR, "Bidang Humas"),
        ]
        for order, (name, position, title) in enumerate(board):
            services.board_member_add(
                actor=None,
                forum=forum,
                full_name=name,
                position=position,
                title=title,
                order=order,
            )
    if not Forum.objects.filter(region=province).exists():
        services.forum_create(
            actor=None,
            region=province,
            name="Forum KIM Provinsi Kalimantan Timur",
            description="Wadah Forum KIM kabupaten/kota se-Kalimantan Timur.",
            founded_on=date(2018, 11, 1),
            decree_issuer="Kepala Diskominfo Provinsi Kalimantan Timur",
            kims=list(kims.values()),
        )
    return forum


FGD_TITLE = "Focus Group Discussion KIM 2022 (FGD KIM 2022)"


def _fgd(forum: Forum) -> None:
    if Event.objects.filter(title=FGD_TITLE).exists():
        return
    event = services.event_create(
        actor=None,
        kind=Event.Kind.FGD,
        title=FGD_TITLE,
        theme=(
            "Konsolidasi dan Sinergitas Dalam Penyelenggaraan Kemitraan Dengan "
            "Pemangku Kepentingan Antar Kabupaten/Kota di Kaltim"
        ),
        description=(
            "FGD Kelompok Informasi Masyarakat se-Kalimantan Timur: peran KIM dalam "
            "diseminasi informasi yang benar untuk menangkal hoaks, literasi digital "
            "yang mengimbangi transformasi digital, penanganan blankspot, serta "
            "jejaring KIM melalui media sosial untuk mengangkat potensi lokal."
        ),
        region=Region.objects.get(kode="64.02.06"),
        organiser_region=Region.objects.get(kode="64"),
        organisers="Diskominfo Provinsi Kalimantan Timur",
        opened_by="Muhammad Faisal, Kepala Diskominfo Provinsi Kalimantan Timur",
        venue="Ballroom Hotel Grand Fatma",
        address="Jalan Pesut, Tenggarong, Kutai Kartanegara",
        online_url="https://meet.example.org/fgd-kim-2022",
        starts_at=datetime(2022, 7, 12, 9, 0, tzinfo=WITA),
        ends_at=datetime(2022, 7, 12, 15, 0, tzinfo=WITA),
        registration=Event.Registration.INVITED,
        capacity=60,
        minutes=(
            "Kepala Diskominfo Kaltim menekankan pentingnya KIM terkait pembangunan "
            "IKN dan percepatan transformasi digital, keterlibatan KIM dalam "
            "diseminasi informasi yang benar dan positif untuk menangkal hoaks, "
            "serta literasi digital untuk ruang digital yang bersih, aman dan "
            "nyaman. Uji coba penanganan blankspot berjalan di 40 desa, 12 di "
            "antaranya di Kutai Kartanegara. Asisten III Setda Kukar memaparkan "
            "program Kukar bebas blankspot (permukiman, pusat pelayanan ekonomi dan "
            "pemerintahan desa) dan penguatan kecamatan sebagai pusat data dan "
            "informasi. Sebelum FGD dilaksanakan pelantikan Forum KIM Kutai "
            "Kartanegara."
        ),
        invited_regions=list(Region.objects.filter(level=Region.Level.REGENCY)),
    )
    services.speaker_add(
        actor=None,
        event=event,
        name="Helmi Hafidz",
        position=(
            "Kasubdit Tata Kelola Komunikasi Publik, Ditjen Informasi dan "
            "Komunikasi Publik, Kementerian Komunikasi dan Informatika RI"
        ),
        talk_title=(
            "Peningkatan Kapasitas Komunitas Informasi Masyarakat (KIM) Dalam "
            "Diseminasi Informasi Publik Berbasis Internet"
        ),
    )
    services.speaker_add(
        actor=None,
        event=event,
        name="Ahmad Arianto",
        position="Kepala Bidang PKP Diskominfo Kutai Kartanegara",
        talk_title=(
            "Jejaring Komunikasi KIM Menjawab Tantangan Luas Wilayah Kukar "
            "Berbasis Media Sosial Mengangkat Potensi Lokal"
        ),
    )
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY))
    at = datetime(2022, 7, 12, 8, 45, tzinfo=WITA)
    for i in range(50):
        person = Person.objects.create(full_name=_name(100 + i))
        participant = Participant.objects.create(
            event=event,
            person=person,
            origin=f"Perwakilan KIM {regencies[i % len(regencies)].name}",
            invited=True,
        )
        Attendance.objects.create(
            participant=participant,
            event=event,
            mode=Attendance.Mode.ONSITE if i < 35 else Attendance.Mode.ONLINE,
            method=Attendance.Method.RECORD,
            checked_in_at=at,
        )


ACTIVITY_TEMPLATES = [
    (
        Activity.Kind.DISEMINASI,
        "anti_hoaks",
        "Sosialisasi bahaya hoaks menjelang pemilu",
    ),
    (
        Activity.Kind.DISKUSI,
        "informasi_publik",
        "Diskusi warga tentang jadwal posyandu",
    ),
    (
        Activity.Kind.AKSES,
        "literasi_digital",
        "Pendampingan warga mengakses layanan daring",
    ),
    (Activity.Kind.NETWORKING, "potensi_lokal", "Kunjungan ke KIM tetangga"),
    (
        Activity.Kind.IMPLEMENTASI,
        "potensi_lokal",
        "Liputan produk UMKM desa di media sosial",
    ),
    (
        Activity.Kind.ASPIRASI,
        "pelayanan_publik",
        "Menyampaikan aspirasi warga soal sinyal",
    ),
]


def _activities(kims: dict[str, Kim]) -> None:
    today = timezone.localdate()
    for k, kim in enumerate(kims.values()):
        if kim.activities.exists() or kim.status != Kim.Status.ACTIVE:
            continue
        n = 4 + (k % 3) * 3
        for i in range(n):
            kind, focus, title = ACTIVITY_TEMPLATES[(i + k) % len(ACTIVITY_TEMPLATES)]
            when = today - timedelta(days=12 + i * 17)
            activity = services.activity_create(
                actor=None,
                kim=kim,
                kind=kind,
                focus=focus,
                title=title,
                date=when,
                place=f"Balai {kim.region.name}",
                participants=10 + (i * 7) % 30,
                description="Kegiatan rutin KIM bersama warga.",
                links=[f"https://www.instagram.com/p/demo{k}{i}/"],
            )
            if i > 0:
                Activity.objects.filter(pk=activity.pk).update(
                    status=Activity.Status.APPROVED, reviewed_at=timezone.now()
                )


TRAINING_TITLE = "Pelatihan Literasi Digital: Cerdas Bermedia Sosial, Tangkal Hoaks"


def _training(kim: Kim) -> None:
    if Event.objects.filter(title=TRAINING_TITLE).exists():
        return
    tenggarong = Region.objects.get(kode="64.02.06")
    kukar = Region.objects.get(kode="64.02")
    held = timezone.localdate() - timedelta(days=20)
    past = services.event_create(
        actor=None,
        kind=Event.Kind.TRAINING,
        title=TRAINING_TITLE,
        theme="Literasi digital untuk ruang digital yang bersih, aman dan nyaman",
        region=tenggarong,
        organiser_region=kukar,
        organisers="Diskominfo Kutai Kartanegara bersama Forum KIM Kukar",
        venue="Aula Kantor Camat Tenggarong",
        starts_at=datetime.combine(held, time(9, 0), tzinfo=WITA),
        ends_at=datetime.combine(held, time(15, 0), tzinfo=WITA),
        registration=Event.Registration.PUBLIC,
        capacity=40,
    )
    upcoming_day = timezone.localdate() + timedelta(days=14)
    upcoming = services.event_create(
        actor=None,
        kind=Event.Kind.TRAINING,
        title="Pelatihan Literasi Digital Angkatan II",
        theme="Aman bertransaksi dan berkomunikasi di ruang digital",
        region=tenggarong,
        organiser_region=kukar,
        organisers="Diskominfo Kutai Kartanegara",
        venue="Aula Kantor Camat Tenggarong",
        online_url="https://meet.example.org/literasi-digital-2",
        starts_at=datetime.combine(upcoming_day, time(9, 0), tzinfo=WITA),
        ends_at=datetime.combine(upcoming_day, time(12, 0), tzinfo=WITA),
        registration=Event.Registration.PUBLIC,
        capacity=40,
    )
    for event in (past, upcoming):
        for text, choices, correct in QUESTIONS:
            services.question_add(
                actor=None, event=event, text=text, choices=choices, correct=correct
            )
    questions = list(past.questions.prefetch_related("choices"))
    for i in range(12):
        participant = services.participant_register(
            actor=None,
            event=past,
            full_name=_name(200 + i),
            phone=_phone(500 + i),
            kim=kim if i < 4 else None,
            now=past.starts_at - timedelta(days=7),  # registered before it was held
        )
        for phase, right in (
            (QuizAttempt.Phase.PRE, 1 + i % 3),
            (QuizAttempt.Phase.POST, 3 + i % 3),
        ):
            answers: dict[int, int] = {}
            for qi, q in enumerate(questions):
                options: list[Choice] = list(q.choices.all())
                good = next(c for c in options if c.is_correct)
                bad = next(c for c in options if not c.is_correct)
                answers[q.pk] = (good if qi < right else bad).pk
            services.test_submit(participant=participant, phase=phase, answers=answers)
        services.attendance_record(
            participant=participant,
            mode=Attendance.Mode.ONSITE,
            method=Attendance.Method.RECORD,
        )
