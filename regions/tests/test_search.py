import pytest

from regions.search import alias_code, normalize, skeleton
from regions.selectors import region_list


def test_normalize_drops_kind_words_case_and_accents() -> None:
    assert normalize("Kabupaten Kutai Kartanegara") == "kutai kartanegara"
    assert normalize("  KEC. Tenggarong ") == "tenggarong"
    assert normalize("Kota") == "kota"  # a bare kind word is kept


def test_skeleton_is_spelling_insensitive() -> None:
    assert skeleton("Sallo Cela") == skeleton("Salo Cella")
    assert skeleton("Tjempaka") == skeleton("Cempaka")
    assert skeleton("Soerabaja") == skeleton("Surabaja")


def test_aliases() -> None:
    assert alias_code("Kukar") == "64.02"
    assert alias_code("KALTIM") == "64"
    assert alias_code("Tenggarong") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("kukar", "64.02"),
        ("Kutai Kartanegara", "64.02"),
        ("kabupaten kutai kartanegara", "64.02"),
        ("tenggarong", "64.02.06"),
        ("TENGGARONG", "64.02.06"),
        ("Muara Tuboq", "64.02.12.2017"),  # stored as "Muara Tubo"
        ("salo cella", "64.02.05.2012"),  # stored as "Sallo Cela"
        ("Tengarong", "64.02.06"),  # a typo: found by the fuzzy fallback
    ],
)
def test_region_search(kaltim: None, query: str, first: str) -> None:
    results = list(region_list(q=query))
    assert results, query
    assert results[0].kode == first


def test_search_is_limited_by_level_and_parent(kaltim: None) -> None:
    found = list(region_list(q="tenggarong", level="kecamatan"))
    assert [r.kode for r in found] == ["64.02.06", "64.02.16"]
    assert list(region_list(q="tenggarong", parent="64.03")) == []


@pytest.mark.parametrize(
    ("query", "first"),
    [("Samarnda", "64.72"), ("Balikpapn", "64.71"), ("Tenggarong Sebrang", "64.02.16")],
)
def test_a_misspelled_name_is_found_by_the_fuzzy_fallback(
    kaltim: None, query: str, first: str
) -> None:
    assert region_list(q=query)[0].kode == first


def test_the_fuzzy_fallback_gives_every_region_bearing_the_name(kaltim: None) -> None:
    found = {r.kode for r in region_list(q="Sidomulio") if r.name == "Sidomulyo"}
    assert found == {"64.02.12.2010", "64.02.04.2007", "64.08.08.2004", "64.72.04.1003"}
