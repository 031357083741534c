"""KIM members report their own KIM's activities (issue 15: the KIM member's
journey), not those of other KIMs; the demo member account belongs to a KIM."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from network import services
from network.models import Activity, Kim, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user, kim: Kim):
    user = make_user(Role.KIM_MEMBER, "64.02.06", full_name="Nur Anggota")
    membership = services.member_add(
        actor=None, kim=kim, full_name="Nur Anggota", role=Membership.Role.ANGGOTA
    )
    services.person_link_user(actor=None, person=membership.person, user=user)
    return user


def _form() -> dict[str, str]:
    return {
        "kind": "diseminasi",
        "title": "Sosialisasi cek fakta",
        "date": timezone.localdate().isoformat(),
        "place": "Balai desa",
        "participants": "20",
    }


def test_member_reports_an_activity_of_their_kim(
    client: Client, member, kim: Kim
) -> None:
    client.force_login(member)
    home = client.get("/staf/").content.decode()
    assert f"/staf/kim/{kim.pk}/kegiatan/baru/" in home
    response = client.post(f"/staf/kim/{kim.pk}/kegiatan/baru/", _form())
    assert response.status_code == 302 and response["Location"] == "/staf/"
    activity = Activity.objects.get()
    assert activity.kim == kim and activity.status == Activity.Status.SUBMITTED
    assert activity.reported_by == member


def test_member_cannot_report_for_another_kim(
    client: Client, member, other_kim: Kim
) -> None:
    client.force_login(member)
    url = f"/staf/kim/{other_kim.pk}/kegiatan/baru/"
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert not Activity.objects.exists()


def test_demo_member_account_belongs_to_a_kim(kaltim) -> None:
    from accounts.models import User
    from accounts.services import demo_accounts_ensure
    from network import selectors
    from network.demo import MEMBER_EMAIL, load_demo

    demo_accounts_ensure()
    load_demo()
    user = User.objects.get(email=MEMBER_EMAIL)
    assert [k.name for k in selectors.kims_reporting_for(user)] == [
        "KIM Jahab Informatif"
    ]
