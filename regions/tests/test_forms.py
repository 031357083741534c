from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from regions.forms import RegionField
from regions.models import Region

pytestmark = pytest.mark.usefixtures("kaltim")

DISTRICT_OR_VILLAGE = [Region.Level.DISTRICT, Region.Level.VILLAGE]


def test_a_name_in_any_case_resolves() -> None:
    field = RegionField(levels=DISTRICT_OR_VILLAGE)
    assert field.clean("Muara Aloh").kode == "64.02.01.2003"
    assert field.clean("muara aloh").kode == "64.02.01.2003"
    assert field.clean("Desa Muara Aloh").kode == "64.02.01.2003"
    assert field.clean("Tenggarong Seberang").kode == "64.02.16"


def test_a_regency_by_its_name_without_kabupaten() -> None:
    field = RegionField(levels=[Region.Level.REGENCY])
    assert field.clean("Kutai Kartanegara").kode == "64.02"


def test_a_code_or_a_suggestion_label_still_works() -> None:
    field = RegionField()
    assert field.clean("64.02.06").kode == "64.02.06"
    assert field.clean(" 64.02 ").kode == "64.02"
    assert field.clean("Muara Aloh, Muara Muntai (64.02.01.2003)").kode == (
        "64.02.01.2003"
    )


def test_old_spellings_and_misspellings_resolve() -> None:
    field = RegionField(levels=DISTRICT_OR_VILLAGE)
    assert field.clean("Moeara Alloh").kode == "64.02.01.2003"
    assert field.clean("Tenggarong Sebrang").kode == "64.02.16"


def test_an_ambiguous_name_lists_the_candidates() -> None:
    field = RegionField(levels=[Region.Level.VILLAGE])
    with pytest.raises(forms.ValidationError) as error:
        field.clean("Sumber Sari")
    message = error.value.messages[0]
    assert "Sumber Sari" in message
    assert message.count("(64.") >= 2
    # The district narrows it down, as the suggestion list writes it.
    assert field.clean("Sumber Sari, Sebulu").kode == "64.02.07.2007"


def test_unknown_names_and_codes_are_refused() -> None:
    field = RegionField()
    with pytest.raises(forms.ValidationError):
        field.clean("Xyzzy Qwerty")
    with pytest.raises(forms.ValidationError):
        field.clean("64.99.99")


def test_regions_outside_scope_or_level_are_refused() -> None:
    scoped = RegionField(queryset=Region.objects.filter(kode__startswith="64.01"))
    with pytest.raises(forms.ValidationError) as error:
        scoped.clean("Tenggarong Seberang")
    assert error.value.code == "out_of_scope"
    with pytest.raises(forms.ValidationError) as error:
        scoped.clean("64.02.16")
    assert error.value.code == "out_of_scope"
    villages = RegionField(levels=[Region.Level.VILLAGE])
    with pytest.raises(forms.ValidationError):
        villages.clean("64.02.16")


def test_several_regions_by_name_or_code() -> None:
    field = RegionField(multiple=True, required=False)
    found = field.clean("Tenggarong Seberang; Muara Aloh, Muara Muntai; 64.02")
    assert [r.kode for r in found] == ["64.02.16", "64.02.01.2003", "64.02"]
    assert [r.kode for r in field.clean("64.02.06, 64.02.16")] == [
        "64.02.06",
        "64.02.16",
    ]
    assert field.clean("") == []


def test_the_widget_has_a_suggestion_list() -> None:
    html = str(RegionField(levels=[Region.Level.VILLAGE]).widget.render("region", ""))
    assert "data-region-picker" in html
    assert 'list="region-pilihan"' in html
    assert '<datalist id="region-pilihan">' in html
    assert "<script" not in html


def test_the_suggestions_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("regions:pick")
    results = client.get(url, {"q": "muara aloh", "levels": "desa_kel"}).json()
    assert "Muara Aloh, Muara Muntai (64.02.01.2003)" in results["results"]
    only_districts = client.get(url, {"q": "Sebulu", "levels": "kecamatan"}).json()
    assert only_districts["results"] == [
        "Sebulu, Kabupaten Kutai Kartanegara (64.02.07)"
    ]


def test_errors_are_in_indonesian() -> None:
    from django.utils import translation

    field = RegionField(levels=[Region.Level.VILLAGE])
    with translation.override("id"), pytest.raises(forms.ValidationError) as error:
        field.clean("Sumber Sari")
    assert "bisa berarti beberapa wilayah" in error.value.messages[0]
