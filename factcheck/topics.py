"""The topic of a fact-check, a claim or a tip: what a story is about (politics,
health, a scam, a disaster, …), so that tips and fact-checks can be counted by
topic per region.

Plain Python (no Django import). Two ways in:

- ``topic_from_label``: a publisher's own category ("politics", "Penipuan",
  "Kesehatan"), when a record has one; None for labels that say nothing about the
  subject ("others", "Klarifikasi Hoaks").
- ``classify``: keyword rules over the text, normalised as the claim-matching
  engine does it (``factcheck.matching.text``: forwarded-message noise out, slang
  and abbreviations mapped, Sastrawi stems), so "pilpres", "Pemilihan Presiden"
  and "capres" meet the same rule, and so do "penipuan", "ditipu" and "menipu".

Each rule is a word (as written, or its stem) or a phrase of normalised words,
with a weight; a topic's score is the sum of the weights of its rules found (each
once), the title counting double. The best score wins, ties going to the topic
listed first in ``TOPICS``; a text with too little evidence is ``LAINNYA``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.matching.text import Normalizer

# The values of ``factcheck.models.Topic``, in order of precedence on a tie: a
# scam is worth flagging even when it borrows a politician's name.
PENIPUAN = "penipuan"
KESEHATAN = "kesehatan"
BENCANA = "bencana"
POLITIK = "politik"
SARA = "sara"
KRIMINAL = "kriminal"
EKONOMI = "ekonomi"
TEKNOLOGI = "teknologi"
PEMERINTAHAN = "pemerintahan"
LAINNYA = "lainnya"

TOPICS: tuple[str, ...] = (
    PENIPUAN,
    KESEHATAN,
    BENCANA,
    POLITIK,
    SARA,
    KRIMINAL,
    EKONOMI,
    TEKNOLOGI,
    PEMERINTAHAN,
    LAINNYA,
)

# Below this score the text says too little: "lainnya". One strong word (4) or
# medium one (3) is enough, a weak one (1, 2) is not: "bantuan" alone is no topic.
MIN_SCORE = 3.0
TITLE_WEIGHT = 2.0

# Rules per topic: "weight: word word 'a phrase' …". Words are matched as written
# (after slang mapping) or as Sastrawi stems; phrases on the normalised words.
_RULES: dict[str, str] = {
    PENIPUAN: """
        6: mengatasnamakan 'atas nama' catut mencatut
        4: tipu penipu penipuan menipu ditipu modus
           'akun palsu' 'akun tiruan' 'akun whatsapp' 'akun facebook' 'akun tiktok'
           'akun instagram' 'nomor whatsapp' 'akun telegram' giveaway undian undi
           judi judol slot 'judi online' pinjol 'pinjaman online' phising phishing
           otp 'kode otp' 'tautan pendaftaran' 'link pendaftaran' 'biaya pendaftaran'
           'biaya administrasi' 'bagi bagi' rejeki rezeki lowongan 'lowongan kerja'
           rekrutmen 'investasi bodong' 'dana kaget' 'berbagi rejeki' 'berbagi rezeki'
           'kirim uang' 'transfer uang' deepfake 'situs judi' scam scammer hadiah
           'bagikan uang' 'bagi uang' 'berbagi uang' 'membagikan uang' 'calon penerima'
           'melalui whatsapp' 'melalui tiktok' 'lewat whatsapp' 'lewat tiktok'
           'undangan pernikahan' 'file apk' bagibagi 'tebus murah' 'di tiktok'
           testimoni 'brand ambassador' 'penerimaan pegawai' 'penerimaan karyawan'
           'grup whatsapp'
        3: tautan link promosi promosikan mempromosikan iklan iklankan
           mengiklankan rekomendasikan karyawan
        2: tiruan palsu catut klik situs pinjam pinjaman kuis komisi rekening
           transfer 'uang tunai'
           voucher kupon cashback investasi arisan endorse bonus saldo cair
           follower pengikut tebak games 'surat panggilan' hibah 'modal usaha'
           'bantuan dana' terpilih __url__ pulsa kuota gratis donasi sumbang buruan
           'foto ktp'
        1: akun whatsapp telepon nomor aplikasi bank daftar terbatas undangan penerima
           bantuan surat
        2: tiktok
    """,
    KESEHATAN: """
        4: vaksin vaksinasi imunisasi virus penyakit sakit obat kanker tumor covid
           kesehatan sehat kemenkes dokter 'rumah sakit' puskesmas posyandu
           pandemi wabah epidemi diabetes hipertensi kolesterol stroke jantung
           ginjal dbd demam mpox cacar campak polio hiv aids tbc stunting gizi
           racun keracunan medis pasien bidan herbal khasiat sembuh menyembuhkan
           kista rahim autis lumpuh insulin 'asam urat'
        2: darah rebus rebusan minum makanan daun rokok radiasi kimia who bpjs
           mata kulit otak tubuh nyeri bakteri jamur kuman sehat paru paru-paru
           lambung perut
    """,
    BENCANA: """
        4: gempa tsunami banjir longsor letus meletus erupsi badai 'puting beliung'
           'angin puting' kebakaran karhutla bmkg bnpb bpbd megathrust magnitudo
           siklon bencana kekeringan 'gelombang tinggi' rob abrasi 'lahar'
           'awan panas' topan
        2: hujan cuaca gunung 'hutan terbakar' api kebakar angin gelombang
           mengungsi pengungsian evakuasi 'air laut' surut bakar
    """,
    POLITIK: """
        4: pemilu 'pemilihan umum' pilpres 'pemilihan presiden' pilkada
           'pemilihan kepala daerah' pileg 'pemilihan legislatif' capres cawapres
           'calon presiden' 'calon wakil presiden' caleg 'calon legislatif' kpu
           bawaslu partai kampanye coblos 'surat suara' tps 'quick count'
           'hitung cepat' 'real count' paslon koalisi oposisi politik politikus
           politisi 'hak angket' 'mahkamah konstitusi' gerindra golkar nasdem pkb
           'pdi perjuangan' pdip hanura perindo dinasti 'kotak suara' curang
           kecurangan
        3: presiden 'wakil presiden' wapres jokowi prabowo gibran anies ganjar
           mahfud muhaimin 'cak imin' kaesang ahy sby ahok 'puan maharani' dpr
           mpr dprd pks demokrat kabinet istana pelantikan lantik
        3: korupsi
        2: menteri kpk ruu 'undang undang' demo demonstrasi 'unjuk rasa'
           'perdana menteri' suara relawan diktator rezim
        1: pilih mahasiswa israel palestina zionis gaza putin trump pbb
    """,
    SARA: """
        4: agama penistaan nista kafir murtad masjid gereja vihara klenteng
           alquran quran al-quran injil alkitab nabi rasul ulama ustaz ustad
           ustadz habib kyai kiai pendeta pastor biksu pesantren ponpes santri
           kristenisasi islamisasi syiah ahmadiyah khilafah intoleran intoleransi
           rasis rasisme etnis pribumi tionghoa 'suku agama' sara lgbt
        2: islam muslim kristen katolik hindu buddha konghucu allah tuhan yesus
           salat sholat shalat haram halal jihad suku ras umat ibadah doa
           rohingya ramadan puasa natal imam
    """,
    KRIMINAL: """
        4: culik penculikan diculik menculik begal pembegalan rampok perampokan
           merampok curi pencurian mencuri maling bunuh pembunuhan dibunuh
           membunuh narkoba narkotika sabu ganja perkosa pemerkosaan leceh
           pelecehan kdrt teroris terorisme tawuran preman kriminal kejahatan
           'jual organ' 'perdagangan orang' 'dihakimi massa' 'main hakim'
           penganiayaan aniaya penusukan tusuk
        2: polisi polres polsek polda tangkap ditangkap pelaku tersangka pidana
           penjara bui 'hukuman mati' tembak penembakan senjata bom mayat jasad
           korban tewas geng sadis
    """,
    EKONOMI: """
        4: harga bbm pertalite pertamax 'tarif listrik' pajak inflasi ekonomi
           perekonomian dolar saham 'kenaikan harga' sembako 'minyak goreng'
           elpiji lpg 'tabung gas' umr ump gaji thr redenominasi resesi krisis
           utang hutang 'bank indonesia' ojk umkm ekspor impor
        2: naik mahal murah pasar uang bisnis usaha dagang pedagang pertamina
           subsidi solar tarif biaya pensiun keuangan beras
        1: rupiah
    """,
    TEKNOLOGI: """
        4: hacker peretas retas peretasan 'kebocoran data' 'data bocor'
           'data pribadi' 'kecerdasan buatan' teknologi 5g starlink satelit
           siber cyber 'whatsapp berbayar' android iphone internet wifi chip
           robot malware 'virus komputer' algoritma chatgpt
        2: aplikasi ponsel sinyal google gmail youtube digital blokir diblokir
           bocor update fitur server komdigi kominfo bts ai
    """,
    PEMERINTAHAN: """
        4: pemerintah pemda pns asn pppk honorer cpns 'bantuan sosial' bansos
           'bantuan langsung tunai' blt pkh bpnt prakerja 'kartu prakerja' dukcapil
           ktp e-ktp 'kartu keluarga' stnk samsat tilang zonasi ppdb 'cuti bersama'
           'libur nasional' 'dana desa' pdam 'jalan tol' jembatan pemadaman padam
           'ibu kota nusantara' ikn transmigrasi kebijakan peraturan 'aturan baru'
           pelayanan sensus 'ganti rugi' 'sertifikat tanah'
        3: bupati 'wali kota' walikota gubernur camat lurah 'kepala desa' kades
           kementerian kemendagri pln listrik sekolah guru 'ujian nasional'
           'surat edaran'
        1: bantuan
        2: menteri dinas program wajib larangan dilarang proyek
           pembangunan jalan tol kereta bandara pelabuhan mudik haji tni polri
           tanah
    """,
}

_WEIGHT = re.compile(r"(\d+):")
_PHRASE = re.compile(r"'([^']+)'")
# A link, even a bare domain ("blt-kaltim-2026.xyz"): scams live on them.
_URLISH = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:xyz|top|site|online|icu|click|link|info|biz|"
    r"shop|store|club|live|vip|cc|tk|ml|ga|cf|gq|ly|me|id|com|net|org)\b",
    re.IGNORECASE,
)
URL_TERM = "__url__"

Rules = dict[str, tuple[dict[str, float], dict[str, float]]]

_lock = threading.Lock()
_normalizer: Normalizer | None = None
_rules: Rules | None = None


def _get_normalizer() -> Normalizer:
    global _normalizer
    if _normalizer is None:
        with _lock:
            if _normalizer is None:
                from factcheck.matching.text import Normalizer

                try:
                    _normalizer = Normalizer(stem=True)
                except ImportError:  # PySastrawi missing: words as written
                    _normalizer = Normalizer(stem=False)
    return _normalizer


def _parse(
    spec: str, normalizer: Normalizer
) -> tuple[dict[str, float], dict[str, float]]:
    """One topic's rules: ({word: weight}, {" phrase ": weight}), each put through
    the same slang mapping as the texts ("blt" → "bantuan langsung tunai")."""
    words: dict[str, float] = {}
    phrases: dict[str, float] = {}
    weight = 1.0
    for chunk in _WEIGHT.split(spec)[1:]:
        if chunk.isdigit():
            weight = float(chunk)
            continue
        items = _PHRASE.findall(chunk) + _PHRASE.sub(" ", chunk).split()
        for item in items:
            if item == URL_TERM:
                words[item] = max(words.get(item, 0.0), weight)
                continue
            normalised = normalizer.words(item)
            if len(normalised) == 1:
                key = normalised[0]
                words[key] = max(words.get(key, 0.0), weight)
            elif normalised:
                key = " " + " ".join(normalised) + " "
                phrases[key] = max(phrases.get(key, 0.0), weight)
    return words, phrases


def rules() -> Rules:
    """The rules, normalised once per process."""
    global _rules
    if _rules is None:
        normalizer = _get_normalizer()
        with _lock:
            if _rules is None:
                _rules = {t: _parse(spec, normalizer) for t, spec in _RULES.items()}
    return _rules


def _evidence(text: str) -> tuple[set[str], str]:
    """The normalised words of a text with their stems, and the word sequence
    padded with spaces (for phrase look-ups)."""
    if not text:
        return set(), " "
    normalizer = _get_normalizer()
    # Lower-cased first: the camel-case split meant for hashtags would cut
    # "WhatsApp" in two.
    words = normalizer.words(text.lower())
    terms = set(words)
    for word in words:
        if len(word) > 3 and not word[0].isdigit():
            terms.add(normalizer.stem(word))
    if _URLISH.search(text):
        terms.add(URL_TERM)
    return terms, " " + " ".join(words) + " "


def _score(terms: set[str], sequence: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for topic, (words, phrases) in rules().items():
        total = sum(weight for word, weight in words.items() if word in terms)
        total += sum(weight for phrase, weight in phrases.items() if phrase in sequence)
        if total:
            found[topic] = total
    return found


def scores(*, title: str = "", text: str = "") -> dict[str, float]:
    """Each topic's score for a title and a text (the title counts double)."""
    result: dict[str, float] = {}
    for part, factor in ((title, TITLE_WEIGHT), (text, 1.0)):
        for topic, value in _score(*_evidence(part)).items():
            result[topic] = result.get(topic, 0.0) + factor * value
    return result


def classify(*, title: str = "", text: str = "", verdict: str = "") -> str:
    """The topic of a fact-check (its title, the claim reviewed and its verdict)
    or of a message (``text`` only): one of ``TOPICS``. A "penipuan" verdict
    says it all."""
    if verdict == PENIPUAN:
        return PENIPUAN
    found = scores(title=title[:1000], text=text[:5000])
    if not found:
        return LAINNYA
    best = max(found.values())
    if best < MIN_SCORE:
        return LAINNYA
    return next(topic for topic in TOPICS if found.get(topic) == best)


# A publisher's category → ours. Labels that are not about the subject ("others",
# "Klarifikasi Hoaks", "Disinformasi") are not here: the text decides.
_LABELS: dict[str, str] = {
    **{topic: topic for topic in TOPICS if topic != LAINNYA},
    "politics": POLITIK,
    "political": POLITIK,
    "election": POLITIK,
    "elections": POLITIK,
    "pemilu": POLITIK,
    "pilkada": POLITIK,
    "pilpres": POLITIK,
    "scam": PENIPUAN,
    "scams": PENIPUAN,
    "fraud": PENIPUAN,
    "tipu": PENIPUAN,
    "penipuan online": PENIPUAN,
    "health": KESEHATAN,
    "medis": KESEHATAN,
    "covid": KESEHATAN,
    "covid-19": KESEHATAN,
    "disaster": BENCANA,
    "disasters": BENCANA,
    "bencana alam": BENCANA,
    "religion": SARA,
    "agama": SARA,
    "ethnicity": SARA,
    "suku agama ras": SARA,
    "crime": KRIMINAL,
    "kriminalitas": KRIMINAL,
    "hukum dan kriminal": KRIMINAL,
    "economy": EKONOMI,
    "economics": EKONOMI,
    "business": EKONOMI,
    "bisnis": EKONOMI,
    "keuangan": EKONOMI,
    "finance": EKONOMI,
    "technology": TEKNOLOGI,
    "tech": TEKNOLOGI,
    "tekno": TEKNOLOGI,
    "sains dan teknologi": TEKNOLOGI,
    "government": PEMERINTAHAN,
    "kebijakan publik": PEMERINTAHAN,
    "layanan publik": PEMERINTAHAN,
    "infrastruktur": PEMERINTAHAN,
}


def topic_from_label(label: str | Iterable[str] | None) -> str | None:
    """Our topic for a publisher's category (or the first of several that maps),
    None when none says what the story is about."""
    if not label:
        return None
    labels = [label] if isinstance(label, str) else list(label)
    for item in labels:
        for part in re.split(r"[;,|/]", str(item)):
            key = " ".join(part.lower().replace("_", " ").split())
            if key in _LABELS:
                return _LABELS[key]
    return None
