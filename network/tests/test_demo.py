import pytest

from accounts.services import demo_accounts_ensure
from network import selectors
from network.demo import FGD_TITLE, load_demo
from network.models import Attendance, Event, Forum, Kim
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent(kaltim) -> None:
    demo_accounts_ensure()
    load_demo()
    load_demo()
    regencies = Region.objects.filter(level=Region.Level.REGENCY)
    assert regencies.count() == 10
    for regency in regencies:
        assert Kim.objects.filter(regency_code=regency.kode).exists(), regency.name
    fgd = Event.objects.get(title=FGD_TITLE)
    assert fgd.attendances.filter(mode=Attendance.Mode.ONSITE).count() == 35
    assert fgd.attendances.filter(mode=Attendance.Mode.ONLINE).count() == 15
    assert fgd.venue == "Ballroom Hotel Grand Fatma"
    assert [s.name for s in fgd.speakers.all()] == ["Helmi Hafidz", "Ahmad Arianto"]
    forum = Forum.objects.get(region_id="64.02")
    assert str(forum.inaugurated_on) == "2022-07-12"
    assert "Dafip Haryanto" in forum.inaugurated_by
    assert Forum.objects.filter(region_id="64").exists()
    from accounts.models import User

    coordinator = User.objects.get(email="koordinator@demo.simpul.id")
    own = list(selectors.kims_coordinated_by(coordinator))
    assert [k.name for k in own] == ["KIM Jahab Informatif"]
    assert own[0].district_code == "64.02.06"
