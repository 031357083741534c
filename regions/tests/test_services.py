from pathlib import Path

import pytest

from regions.importing import iter_boundaries, read_records
from regions.models import Region, RegionBoundary
from regions.services import regions_import

FIXTURE = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.django_db
def test_import_is_idempotent_and_corrects_changed_rows() -> None:
    Region.objects.filter(kode="64.02.06.1001").update(name="Salah", rep_lat=0)
    before = Region.objects.count()
    result = regions_import(
        records=read_records(FIXTURE), boundaries=iter_boundaries(FIXTURE)
    )
    assert result.regions == before == 1154
    assert Region.objects.count() == 1154
    assert RegionBoundary.objects.count() == 1154
    jahab = Region.objects.get(kode="64.02.06.1001")
    assert jahab.name == "Jahab"
    assert jahab.search_name == "jahab"
    assert jahab.rep_lat != 0


@pytest.mark.django_db
def test_tree_counts() -> None:
    kukar = Region.objects.get(kode="64.02")
    assert kukar.parent_id == "64"
    assert kukar.children.count() == 20
    assert (
        Region.objects.filter(kode__startswith="64.02.", level="desa_kel").count()
        == 237
    )
