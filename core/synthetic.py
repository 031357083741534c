"""Indonesian-looking synthetic text for generated load (``generate_national_data``).

Django-free and deterministic: every helper draws from the ``random.Random`` it is
given, so a seed gives the same data set. The words are common Indonesian ones;
the output reads like a place's news or a hoax report, not like real people.
"""

from __future__ import annotations

import random

GIVEN_NAMES = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Indra",
    "Joko",
    "Rizky",
    "Slamet",
    "Wahyu",
    "Yusuf",
    "Andi",
    "Bambang",
    "Dimas",
    "Hadi",
    "Iwan",
    "Rudi",
    "Teguh",
    "Arif",
    "Siti",
    "Sri",
    "Dewi",
    "Rina",
    "Nur",
    "Wati",
    "Ani",
    "Fitri",
    "Lestari",
    "Putri",
    "Ayu",
    "Indah",
    "Maya",
    "Ratna",
    "Yuni",
    "Sari",
    "Desi",
    "Novi",
    "Rahmawati",
    "Kartika",
]
FAMILY_NAMES = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Setiawan",
    "Kurniawan",
    "Pratama",
    "Gunawan",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Pangaribuan",
    "Sitompul",
    "Manurung",
    "Sihombing",
    "Tanjung",
    "Wibowo",
    "Susanto",
    "Purnomo",
    "Rahman",
    "Hakim",
    "Syahputra",
    "Lestari",
    "Rahayu",
    "Handayani",
    "Utami",
    "Permata",
    "Hasibuan",
    "Matondang",
    "Daulay",
    "Pohan",
    "Ginting",
]
KIM_WORDS = [
    "Maju",
    "Bersama",
    "Sejahtera",
    "Mandiri",
    "Harapan",
    "Lestari",
    "Jaya",
    "Makmur",
    "Bersatu",
    "Berkah",
    "Cerdas",
    "Peduli",
    "Sehati",
    "Karya",
    "Gemilang",
    "Mulia",
    "Sentosa",
    "Cahaya",
    "Mekar",
    "Tunas",
    "Bina",
    "Warta",
    "Suara",
    "Kabar",
    "Informasi",
    "Literasi",
    "Damai",
    "Rukun",
    "Berseri",
    "Abadi",
    "Baru",
]
TOPIC_WORDS = [
    "desa",
    "warga",
    "posyandu",
    "jalan",
    "irigasi",
    "sawah",
    "panen",
    "pupuk",
    "bantuan",
    "sosial",
    "sekolah",
    "puskesmas",
    "vaksin",
    "banjir",
    "longsor",
    "kebakaran",
    "hutan",
    "pasar",
    "harga",
    "beras",
    "minyak",
    "nelayan",
    "perahu",
    "wisata",
    "air",
    "terjun",
    "kerajinan",
    "tenun",
    "batik",
    "kopi",
    "kakao",
    "sawit",
    "pemilu",
    "pilkada",
    "kampanye",
    "surat",
    "suara",
    "listrik",
    "internet",
    "sinyal",
    "jembatan",
    "bendungan",
    "pelabuhan",
    "bandara",
    "ibu",
    "kota",
    "nusantara",
    "anggaran",
    "dana",
    "desa",
    "gotong",
    "royong",
    "musyawarah",
    "karang",
    "taruna",
    "pkk",
    "umkm",
    "koperasi",
    "pelatihan",
    "digital",
]
SENTENCE_STARTS = (
    "Warga",
    "Pemerintah desa",
    "Kelompok Informasi Masyarakat",
    "Dinas Kominfo",
    "Para pemuda",
    "Ibu-ibu PKK",
    "Petugas kesehatan",
    "Camat",
    "Kepala desa",
    "Relawan",
)
VERBS = (
    "mengadakan",
    "menyampaikan",
    "membahas",
    "meninjau",
    "meresmikan",
    "mengajak warga ikut",
    "menyosialisasikan",
    "melaporkan",
    "mendampingi",
    "mendukung",
)
HOAX_OPENERS = (
    "Beredar pesan berantai yang menyebut",
    "Sebuah video viral mengklaim",
    "Unggahan di media sosial menyatakan",
    "Pesan WhatsApp menyebutkan",
    "Akun Facebook membagikan informasi bahwa",
)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"


def kim_name(rng: random.Random, place: str) -> str:
    """``KIM Maju Bersama <place>``: the way KIMs are usually named."""
    return f"KIM {rng.choice(KIM_WORDS)} {rng.choice(KIM_WORDS)} {place}"[:150]


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(TOPIC_WORDS) for _ in range(count))


def sentence(rng: random.Random, place: str = "") -> str:
    where = f" di {place}" if place else ""
    return (
        f"{rng.choice(SENTENCE_STARTS)} {rng.choice(VERBS)} "
        f"{words(rng, rng.randint(3, 7))}{where}."
    )


def paragraph(rng: random.Random, sentences: int, place: str = "") -> str:
    return " ".join(sentence(rng, place) for _ in range(sentences))


def title(rng: random.Random, place: str = "", limit: int = 200) -> str:
    text = words(rng, rng.randint(3, 6)).capitalize()
    return (f"{text} di {place}" if place else text)[:limit]


def hoax_claim(rng: random.Random) -> str:
    return f"{rng.choice(HOAX_OPENERS)} {words(rng, rng.randint(5, 10))}."


def phone(index: int) -> str:
    """A distinct, valid-looking Indonesian mobile number (E.164) per index
    (the +62 899 range, which no operator hands out to the public)."""
    return f"+62899{index:08d}"
