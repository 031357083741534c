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
