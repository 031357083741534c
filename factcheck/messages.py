"""What the tipline says back. The tipline speaks Indonesian, whatever the
language of the site, so these texts are written in Indonesian directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.links import site_url

if TYPE_CHECKING:
    from factcheck.models import FactCheck

WELCOME = (
    "Halo! Ini layanan Cek Fakta Simpul (Diskominfo & KIM Kaltim).\n"
    "Teruskan pesan, judul berita, atau tautan yang meragukan ke sini; kami "
    "jawab apakah sudah pernah diperiksa.\n"
    "Ketik WILAYAH <nama kabupaten/kota> untuk mencatat daerah Anda, BERHENTI "
    "untuk tidak menerima kabar lagi, HAPUS untuk menghapus nomor Anda."
)
CHECKING = (
    "Terima kasih, pesan Anda sudah kami terima. Kabar ini belum pernah kami "
    "periksa: tim pemeriksa fakta sedang mengeceknya dan akan mengabari Anda di "
    "sini begitu hasilnya terbit. Sementara itu, mohon jangan disebarkan dulu."
)
RATE_LIMITED = "Terlalu banyak pesan dalam waktu singkat. Coba lagi sebentar lagi."
# An image tip: how it reads at the desk, and the answer when we cannot fetch it.
IMAGE_PREFIX = "[Gambar] "
IMAGE_NO_TEXT = "[Gambar tanpa teks]"
IMAGE_UNREADABLE = (
    "Maaf, gambar Anda tidak dapat kami ambil. Coba kirim ulang, atau salin "
    "teksnya lalu kirim ke sini."
)
IMAGE_REFUSED = "Maaf, gambar ini tidak dapat kami periksa. {reason}"
GONE = "Maaf, hasil cek fakta itu tidak lagi tersedia."
SHOW_BUTTON = "Lihat hasilnya"  # a reply button: at most 20 characters
DATA_TIPS = "Cek Fakta: {n} pesan yang Anda kirim untuk diperiksa"
DATA_REGION = "Cek Fakta: wilayah Anda {name}"
REGION_SET = "Wilayah Anda dicatat: {name}. Terima kasih!"
REGION_UNKNOWN = (
    "Maaf, kami tidak menemukan kabupaten/kota itu di Kaltim. Contoh: "
    "WILAYAH Kutai Kartanegara"
)
NOT_CHECKABLE = (
    "Kabar terkait pesan yang Anda kirim: tim pemeriksa fakta tidak dapat "
    "memastikan kebenarannya dengan data yang ada. Mohon tetap berhati-hati dan "
    "tidak menyebarkannya."
)


def absolute(path: str) -> str:
    return site_url(path)


def verdict_text(factcheck: FactCheck, *, intro: str = "") -> str:
    """The verdict, a one-line summary and the link (for bots and share texts)."""
    lines = [intro] if intro else []
    lines += [
        f"*{factcheck.verdict_label}*: {factcheck.title}",
        factcheck.summary,
        f"Selengkapnya: {factcheck_link(factcheck)}",
    ]
    return "\n".join(line for line in lines if line)


def factcheck_link(factcheck: FactCheck) -> str:
    if factcheck.is_own or not factcheck.url:
        return absolute(factcheck.get_absolute_url())
    return factcheck.url


def match_reply(factcheck: FactCheck) -> str:
    return verdict_text(
        factcheck, intro="Pesan ini sudah pernah diperiksa. Hasilnya:"
    ) + ("\n\nMohon tidak disebarkan. Bantu luruskan dengan membagikan tautan ini.")


def suggest_reply(factcheck: FactCheck) -> str:
    return (
        CHECKING
        + "\n\nMungkin terkait (belum pasti): "
        + f"{factcheck.verdict_label}: {factcheck.title} {factcheck_link(factcheck)}"
    )


CONFIRM_QUESTION = "Apakah salah satu ini pesan yang Anda terima?"
NONE_BUTTON = "Tidak ada"  # a reply button: at most 20 characters
LIST_BUTTON = "Pilih jawaban"
SENT_TO_DESK = (
    "Terima kasih. Pesan Anda kami teruskan ke tim pemeriksa fakta; kami kabari "
    "Anda di sini begitu hasilnya terbit. Sementara itu, mohon jangan disebarkan "
    "dulu."
)
ALREADY_ANSWERED = "Terima kasih, jawaban Anda untuk pesan ini sudah kami catat."
QUESTION_CLOSED = (
    "Pertanyaan ini sudah ditutup; pesan Anda sudah diteruskan ke tim pemeriksa fakta."
)


def confirm_question(candidates: list[FactCheck]) -> str:
    """The answer to a tip that likely matches: the candidates, numbered, and
    the question. It never says "not checked": a likely answer exists."""
    lines = [
        "Terima kasih. Kabar serupa sudah pernah diperiksa. " + CONFIRM_QUESTION,
        "",
    ]
    for n, factcheck in enumerate(candidates, start=1):
        lines.append(f"{n}. *{factcheck.verdict_label}*: {factcheck.title}")
    lines += ["", f'Pilih nomornya, atau "{NONE_BUTTON}" bila tidak ada yang cocok.']
    return "\n".join(lines)


def confirmed_reply(factcheck: FactCheck) -> str:
    """The verdict and its explanation, for a sender who picked a candidate."""
    text = verdict_text(factcheck, intro="Terima kasih. Hasil cek faktanya:")
    explanation = (factcheck.explanation or "").strip()
    if explanation and explanation not in factcheck.summary:
        if len(explanation) > 700:
            explanation = explanation[:697].rsplit(" ", 1)[0] + "…"
        text += "\n\n" + explanation
    return text + (
        "\n\nMohon tidak disebarkan. Bantu luruskan dengan membagikan tautan ini."
    )


def verdict_later(factcheck: FactCheck) -> str:
    return (
        verdict_text(
            factcheck,
            intro="Hasil cek fakta untuk pesan yang Anda tanyakan sudah terbit:",
        )
        + "\n\nBalas BERHENTI bila tidak ingin menerima kabar lagi."
    )


def share_text(factcheck: FactCheck) -> str:
    """A short text ready to paste into a WhatsApp group."""
    return (
        f"⚠️ CEK FAKTA: *{factcheck.verdict_label}*\n"
        f"{factcheck.title}\n\n"
        f"{factcheck.summary}\n\n"
        f"Sumber: {factcheck.publisher} · {factcheck_link(factcheck)}\n"
        "Cek dulu sebelum sebar. #KIMKaltim"
    )
