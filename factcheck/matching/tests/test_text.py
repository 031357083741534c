from __future__ import annotations

from factcheck.matching.schema import parse_date
from factcheck.matching.text import Normalizer, clean


def test_slang_and_abbreviations(normalizer: Normalizer) -> None:
    assert normalizer.words("yg gak dgn utk krn") == [
        "yang",
        "tidak",
        "dengan",
        "untuk",
        "karena",
    ]
    assert "jokowi" in normalizer.tokens("jkw bagi2 duit")
    assert normalizer.tokens("Joko Widodo") == ["jokowi"]


def test_forwarded_noise_is_removed() -> None:
    text = "Diteruskan berkali-kali *BREAKING* cek https://bit.ly/abc 🙏🙏 #SaveKPK"
    cleaned = clean(text)
    assert "Diteruskan" not in cleaned
    assert "http" not in cleaned and "bit.ly" not in cleaned
    assert "🙏" not in cleaned
    assert "Save KPK" in cleaned


def test_numbers_are_canonical(normalizer: Normalizer) -> None:
    a = normalizer.tokens("Rp20.000.000")
    b = normalizer.tokens("20jt")
    c = normalizer.tokens("20 juta rupiah")
    assert [t for t in a if t != "rupiah"] == ["20", "juta"]
    assert b == ["20", "juta"]
    assert c[:2] == ["20", "juta"]
    assert normalizer.tokens("tahun 2024") == ["tahun", "2024"]


def test_homoglyphs_and_camel_case(normalizer: Normalizer) -> None:
    assert normalizer.tokens(
        "KESULIT\u0391\u039d \u0395\u039a\u039f\u039d\u039f\u039c\u0399"
    ) == ["sulit", "ekonomi"]
    assert normalizer.tokens("BankBRI") == ["bank", "bri"]


def test_stemming_and_stop_words(normalizer: Normalizer) -> None:
    assert normalizer.tokens("yang membagikan bantuan") == ["bagi", "bantu"]
    # reduplication collapses
    assert normalizer.tokens("anak-anak") == ["anak"]


def test_garbage_never_raises(normalizer: Normalizer) -> None:
    for value in [
        "",
        "   ",
        "🙏🙏🔥",
        "\x00\x01\x02",
        b"\xff\xfe\x00",
        None,
        12345,
        "a" * 5000,
    ]:
        assert isinstance(normalizer.tokens(value), list)
    assert normalizer.tokens("🙏🙏🔥") == []
    assert normalizer.tokens("x" * 5000) == []  # one absurd "word"


def test_parse_date() -> None:
    assert str(parse_date("2 Jan 2024")) == "2024-01-02"
    assert str(parse_date("17 Agustus 2024")) == "2024-08-17"
    assert str(parse_date("2024-03-05")) == "2024-03-05"
    assert parse_date("kapan-kapan") is None
    assert parse_date(None) is None
