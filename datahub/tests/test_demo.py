import pytest

from core.demo import demo_loaders
from datahub.models import Dataset, InfoRequest, Office

pytestmark = pytest.mark.django_db


def test_demo_publishes_datasets_of_several_kecamatan(kaltim) -> None:  # type: ignore[no-untyped-def]
    loaders = dict(demo_loaders())
    loaders["accounts"]()
    loaders["datahub"]()
    published = Dataset.objects.filter(status="published", kind="uploaded")
    assert published.count() == 5
    assert set(published.values_list("office__region_id", flat=True)) == {
        "64.02.06",
        "64.02.16",
        "64.03.05",
        "64.72.03",
    }
    assert Dataset.objects.filter(kind="indicator", status="published").count() >= 12
    assert Office.objects.filter(name="Kecamatan Tenggarong").exists()
    assert InfoRequest.objects.filter(status="answered").count() == 1
    assert InfoRequest.objects.filter(status="received").count() == 1
    counts = (Dataset.objects.count(), InfoRequest.objects.count())
    loaders["datahub"]()
    assert (Dataset.objects.count(), InfoRequest.objects.count()) == counts
