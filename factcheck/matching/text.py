"""Indonesian text normalisation shared by the lexical index and the queries.

The pipeline (``Normalizer.tokens``):

1. Unicode NFKC (folds the mathematical-bold and full-width letters of social
   media posts),
   control characters and binary noise out.
2. Forwarded-message noise out: URLs, e-mail addresses, "Diteruskan"/"Forwarded"
   headers, markdown emphasis, emoji; hashtags split on their capitals.
3. Lower-case; numbers canonicalised ("Rp20.000.000", "20jt" and "20 juta" all
   become ``20 juta``); letter runs collapsed ("bangeeet" → "banget").
4. Slang, abbreviations, nicknames and regional words mapped (``slang.SLANG``).
5. Stop words (Sastrawi's list, trimmed of content words, plus noise words) out;
   Sastrawi stemming, cached per word because Sastrawi is slow.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

from .slang import NOISE_WORDS, SLANG

# Sastrawi's list drops some words that carry a claim ("naik" in "harga BBM naik",
# "keluar", "kasus"); keep those.
_KEEP_FROM_STOPLIST = frozenset(
    {
        *("bagi", "naik", "keluar", "masuk", "kasus", "bulan", "hari", "awal"),
        *("akhir", "baru", "lama", "besar", "kecil", "bapak", "ibu", "mata"),
        *("panjang", "dua", "tiga", "empat", "lima", "pertama", "kedua"),
        *("kerja", "bekerja", "datang"),
    }
)

_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|id|co|net|org|me|ly|io|info|xyz|site|online"
    r"|top|link|app|gl|cc|tv|news|biz|live|vip|shop|store)\b(?:/\S*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_FORWARD = re.compile(
    r"\b(?:diteruskan(?:\s+berkali[\s-]*kali)?|forwarded(?:\s+many\s+times)?"
    r"|pesan\s+terusan|copas\s+dari\s+grup\s+sebelah|dari\s+grup\s+sebelah)\b",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Greek and Cyrillic look-alikes that scam messages use to dodge filters
# (a scam reading "KESULITAN EKONOMI" had its A, N, E, K, O, M, I in Greek).
_HOMOGLYPHS = str.maketrans(
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4"
    "\u03a5\u03a7\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455"
    "\u0501\u0261\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422"
    "\u0425",
    "ABEZHIKMNOPTYXaeopcyxijsdgABEKMHOPCTX",
)
_HASHTAG = re.compile(r"#(\w+)")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")

_UNIT_WORDS = {
    "k": "ribu",
    "rb": "ribu",
    "rbu": "ribu",
    "ribu": "ribu",
    "jt": "juta",
    "jta": "juta",
    "juta": "juta",
    "m": "miliar",
    "milyar": "miliar",
    "miliar": "miliar",
    "t": "triliun",
    "triliun": "triliun",
    "trilyun": "triliun",
}
_UNITS = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))

MAX_WORD = 30
"""Longer "words" are identifiers, hashes or base64 noise: dropped."""


def _resolve_chains(mapping: dict[str, str]) -> dict[str, str]:
    """Map every key straight to its final form (``bgt`` → ``banget`` →
    ``sangat`` becomes ``bgt`` → ``sangat``)."""
    out: dict[str, str] = {}
    for key, value in mapping.items():
        words: list[str] = []
        for word in value.split():
            target = mapping.get(word, word)
            words.extend(target.split() if target != word else [word])
        out[key] = " ".join(words)
    return out


_SLANG = _resolve_chains(SLANG)


def _stop_words() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import (
        StopWordRemoverFactory,
    )

    words = set(StopWordRemoverFactory().get_stop_words()) - _KEEP_FROM_STOPLIST
    return frozenset(words | NOISE_WORDS)


def _new_stemmer() -> object:
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


def clean(text: object) -> str:
    """Strip forwarded-message noise, keep the words (case preserved).

    Copes with anything: non-strings are turned into text, bytes decoded leniently,
    control characters and unpaired surrogates dropped.
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _FORWARD.sub(" ", text)
    text = text.translate(_HOMOGLYPHS)
    # "#SaveKPK", "@JusufHamkaOfficial", "BankBRI": split where a capital follows
    # a small letter.
    text = _HASHTAG.sub(r" \1 ", text)
    text = _CAMEL.sub(" ", text)
    # Keep letters, digits, and the separators numbers need; the rest (emoji,
    # markdown, box drawing, replacement characters) becomes space.
    chars = [
        ch if ch.isalnum() or ch in ".,-%'" else " "
        for ch in text
        if unicodedata.category(ch)[0] != "C" or ch in "\n\t"
    ]
    return " ".join("".join(chars).split())


def _number(raw: str) -> list[str]:
    """Canonical tokens for one number as written ("20.000.000" → 20 juta)."""
    if _THOUSANDS.fullmatch(raw):
        value = int(re.sub(r"[.,]", "", raw))
    elif raw.isdigit():
        value = int(raw) if len(raw) <= 15 else -1
        if 1900 <= value <= 2100 or raw.startswith("0"):
            return [raw]  # a year, or a phone/account number: keep as written
    else:  # a decimal such as 2,5 or 1.5 (or a date like 17.08.45)
        return [raw.replace(",", ".")]
    if value < 0:
        return [raw]
    for size, unit in _UNITS:
        if value >= size and value % size == 0:
            return [str(value // size), unit]
    return [str(value)]


class Normalizer:
    """Turns text into index terms.  Thread-safe; one instance per engine.

    ``stem=False`` skips Sastrawi (tests, or when PySastrawi is missing).
    """

    def __init__(self, *, stem: bool = True, cache_limit: int = 500_000) -> None:
        self.stop_words = _stop_words()
        self._stemmer: object | None = _new_stemmer() if stem else None
        self._cache: dict[str, str] = {}
        self._cache_limit = cache_limit
        self._lock = threading.Lock()

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if self._stemmer is None:
            result = word
        else:
            # Sastrawi keeps module-level state in its visitors: serialise calls.
            with self._lock:
                result = self._stemmer.stem_word(word)  # type: ignore[attr-defined]
        if len(self._cache) < self._cache_limit:
            self._cache[word] = result
        return result

    def words(self, text: object, *, max_chars: int | None = None) -> list[str]:
        """Normalised words before stop-word removal and stemming."""
        cleaned = clean(text)
        if max_chars is not None:
            cleaned = cleaned[:max_chars]
        raw = _TOKEN.findall(cleaned.lower())
        out: list[str] = []
        i = 0
        while i < len(raw):
            tok = raw[i]
            if tok[0].isdigit():
                nums = _number(tok)
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                if nxt in _UNIT_WORDS and len(nums) == 1:
                    nums = [nums[0], _UNIT_WORDS[nxt]]
                    i += 1
                out.extend(nums)
                i += 1
                continue
            i += 1
            if len(tok) > MAX_WORD:
                continue
            tok = _REPEAT.sub(r"\1", tok)
            mapped = _SLANG.get(tok)
            if mapped is None:
                out.append(tok)
            elif mapped:
                out.extend(mapped.split())
        return out

    def tokens(self, text: object, *, max_chars: int | None = None) -> list[str]:
        """Index terms: normalised, stop words out, stemmed, adjacent repeats
        (reduplication such as "bagi-bagi", or "Joko Widodo" → jokowi jokowi)
        merged."""
        stop = self.stop_words
        out: list[str] = []
        for word in self.words(text, max_chars=max_chars):
            if word[0].isdigit():
                term = word
            else:
                if len(word) < 2 or word in stop:
                    continue
                term = self.stem(word)
                if len(term) < 2 or term in stop:
                    continue
            if out and out[-1] == term:
                continue
            out.append(term)
        return out

    def tokens_many(
        self, texts: Iterable[object], *, max_chars: int | None = None
    ) -> list[list[str]]:
        return [self.tokens(t, max_chars=max_chars) for t in texts]
