"""Two provinces on one deployment (Kaltim 64, Kaltara 65): each province's
staff see and change only their own province's KIMs, members, forums, events,
activities, exports and API lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import api_token_create
from network import services
from network.models import Activity, Event, Forum, Kim, Membership
from regions.models import Region
from regions.tests.kaltara import KALTARA, REGENCY, VILLAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_provinces")]


@dataclass
class Side:
    admin: User
    kim: Kim
    member: Membership
    forum: Forum
    event: Event
    activity: Activity


def _side(make_user, province: str, regency: str, village: str, tag: str) -> Side:
    admin = make_user(Role.PROVINCE_ADMIN, province, full_name=f"Admin {tag}")
    kim = services.kim_create(
        actor=None,
        name=f"KIM {tag}",
        region=Region.objects.get(kode=village),
        status=Kim.Status.ACTIVE,
    )
    member = services.member_add(
        actor=None,
        kim=kim,
        full_name=f"Anggota {tag}",
        phone="0812 5555 0001" if tag == "Kaltim" else "0812 6666 0001",
        email=f"anggota.{tag.lower()}@example.org",
    )
    forum = services.forum_create(
        actor=None, region=Region.objects.get(kode=regency), name=f"Forum {tag}"
    )
    event = services.event_create(
        actor=None,
        kind=Event.Kind.TRAINING,
        title=f"Pelatihan {tag}",
        region=Region.objects.get(kode=village),
        organiser_region=Region.objects.get(kode=regency),
        venue="Aula",
        starts_at=timezone.now() + timedelta(days=3),
    )
    activity = services.activity_create(
        actor=None,
        kim=kim,
        kind=Activity.Kind.DISKUSI,
        title=f"Sosialisasi {tag}",
        date=timezone.localdate(),
    )
    return Side(admin, kim, member, forum, event, activity)


@pytest.fixture
def kaltim_side(make_user) -> Side:
    return _side(make_user, "64", "64.02", "64.02.06.1001", "Kaltim")


@pytest.fixture
def kaltara_side(make_user) -> Side:
    return _side(make_user, KALTARA, REGENCY, VILLAGE, "Kaltara")


@pytest.fixture
def sides(kaltim_side: Side, kaltara_side: Side) -> list[tuple[Side, Side]]:
    """(own, other) both ways round."""
    return [(kaltim_side, kaltara_side), (kaltara_side, kaltim_side)]


def _auth(user: User) -> dict[str, str]:
    _, key = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_staff_kim_list_and_exports_stay_in_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        client.force_login(own.admin)
        html = client.get("/staf/kim/").content.decode()
        assert own.kim.name in html and other.kim.name not in html
        csv = client.get("/staf/kim/", {"format": "csv"}).content.decode()
        assert own.kim.name in csv and other.kim.name not in csv
        members = client.get("/staf/kim/anggota-ekspor/").content.decode()
        assert own.member.person.full_name in members
        assert other.member.person.full_name not in members
        assert other.member.person.email not in members


def test_other_province_kim_pages_are_absent(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        client.force_login(own.admin)
        assert client.get(f"/staf/kim/{own.kim.pk}/").status_code == 200
        for url in (
            f"/staf/kim/{other.kim.pk}/",
            f"/staf/kim/{other.kim.pk}/?format=csv",
            f"/staf/kim/{other.kim.pk}/ubah/",
            f"/staf/kim/{other.kim.pk}/kegiatan/baru/",
            f"/staf/kim/anggota/{other.member.pk}/",
            f"/staf/forum-kim/{other.forum.pk}/",
            f"/staf/acara/{other.event.pk}/",
            f"/staf/acara/{other.event.pk}/ubah/",
        ):
            assert client.get(url).status_code in (403, 404), url
        response = client.post(
            f"/staf/kegiatan/{other.activity.pk}/tinjau/", {"decision": "approve"}
        )
        assert response.status_code in (403, 404)
        other.activity.refresh_from_db()
        assert other.activity.reviewed_at is None
        name = other.kim.name
        response = client.post(f"/staf/kim/{other.kim.pk}/ubah/", {"name": "Diubah"})
        assert response.status_code in (403, 404)
        other.kim.refresh_from_db()
        assert other.kim.name == name


def test_staff_lists_of_events_and_activities_stay_in_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        client.force_login(own.admin)
        html = client.get("/staf/acara/").content.decode()
        assert own.event.title in html and other.event.title not in html
        html = client.get("/staf/kegiatan/").content.decode()
        assert own.activity.title in html and other.activity.title not in html


def test_kim_create_refuses_the_other_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        client.force_login(own.admin)
        before = Kim.objects.count()
        client.post(
            "/staf/kim/baru/",
            {"name": "KIM Seberang", "region": other.kim.region_id, "status": "active"},
        )
        assert Kim.objects.count() == before
        assert not Kim.objects.filter(name="KIM Seberang").exists()


def test_forum_create_refuses_the_other_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        client.force_login(own.admin)
        other_province = other.forum.region_id.split(".")[0]
        client.post(
            "/staf/forum-kim/baru/",
            {"name": "Forum Seberang", "region": other_province},
        )
        assert not Forum.objects.filter(name="Forum Seberang").exists()


def test_api_members_patch_and_create_stay_in_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        auth = _auth(own.admin)
        ok = client.get(f"/api/v1/kims/{own.kim.pk}/members", **auth)
        assert ok.status_code == 200
        assert (
            client.get(f"/api/v1/kims/{other.kim.pk}/members", **auth).status_code
            == 404
        )
        response = client.patch(
            f"/api/v1/kims/{other.kim.pk}",
            {"name": "Diubah"},
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 404
        response = client.post(
            f"/api/v1/kims/{other.kim.pk}/members",
            {"full_name": "Penyusup"},
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 404
        response = client.post(
            "/api/v1/kims",
            {"name": "KIM Lewat API", "region_code": other.kim.region_id},
            content_type="application/json",
            **auth,
        )
        assert response.status_code in (403, 404, 422)
        assert not Kim.objects.filter(name="KIM Lewat API").exists()
    assert not Membership.objects.filter(person__full_name="Penyusup").exists()


def test_api_activity_list_for_staff_stays_in_province(
    client: Client, sides: list[tuple[Side, Side]]
) -> None:
    for own, other in sides:
        data = client.get("/api/v1/activities", **_auth(own.admin)).json()
        items = data["items"] if isinstance(data, dict) else data
        titles = {a["title"] for a in items}
        assert other.activity.title not in titles


def test_public_directory_filters_by_province(
    client: Client, kaltim_side: Side, kaltara_side: Side
) -> None:
    html = client.get("/kim/", {"provinsi": "65"}).content.decode()
    assert "KIM Kaltara" in html and "KIM Kaltim" not in html
    html = client.get("/kim/", {"provinsi": "64"}).content.decode()
    assert "KIM Kaltim" in html and "KIM Kaltara" not in html
    html = client.get("/kim/").content.decode()
    assert "KIM Kaltim" in html and "KIM Kaltara" in html
    # The province chooser, and the regencies of the chosen province only.
    response = client.get("/kim/", {"provinsi": "65"})
    html = response.content.decode()
    assert 'name="provinsi"' in html
    assert "Kabupaten Malinau" in html and "Kutai Kartanegara" not in html
    # Statistics of the other province work (no geometry).
    assert client.get("/kim/statistik/65/").status_code == 200


def test_statistics_choose_a_province_when_national(
    client: Client, kaltim_side: Side, kaltara_side: Side, settings
) -> None:
    response = client.get("/kim/statistik/")
    html = response.content.decode()
    assert 'href="/kim/statistik/65/"' in html and 'href="/kim/statistik/64/"' in html
    rows = {p.kode: (kims, members) for p, kims, members in response.context["rows"]}
    assert rows == {"64": (1, 1), "65": (1, 1)}
    settings.PROVINCES = ["64"]
    response = client.get("/kim/statistik/")
    assert response.context["region"].kode == "64"


def test_accounts_and_audit_stay_in_province(
    client: Client, sides: list[tuple[Side, Side]], make_user
) -> None:
    users = {
        "64": make_user(
            Role.KIM_COORDINATOR, "64.02.06", full_name="Koordinator Kaltim"
        ),
        "65": make_user(
            Role.KIM_COORDINATOR, "65.01.01", full_name="Koordinator Kaltara"
        ),
    }
    for own, other in sides:
        mine = own.kim.regency_code[:2]
        theirs = other.kim.regency_code[:2]
        client.force_login(own.admin)
        html = client.get("/staf/pengguna/").content.decode()
        assert users[mine].full_name in html and users[theirs].full_name not in html
        assert client.get(f"/staf/pengguna/{users[theirs].pk}/").status_code == 404
        assert client.get(f"/staf/pengguna/{other.admin.pk}/").status_code == 404
        audit = client.get("/staf/audit/").content.decode()
        assert other.kim.name not in audit


def test_a_person_in_both_provinces_keeps_each_provinces_details(
    client: Client, kaltim_side: Side, kaltara_side: Side
) -> None:
    """A Kaltim member's phone typed into a Kaltara KIM: one phone is one person,
    but the Kaltara admin neither learns the name and email Kaltim recorded
    (the add is refused) nor changes the details Kaltim's KIM shows."""
    from django.core.exceptions import ValidationError

    kaltim_person = kaltim_side.member.person
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=kaltara_side.admin,
            kim=kaltara_side.kim,
            full_name="Nama Lain",
            phone=kaltim_person.phone,
        )
    assert "phone" in refused.value.message_dict
    # Through the page, too: refused, and nothing of Kaltim's shown.
    client.force_login(kaltara_side.admin)
    response = client.post(
        f"/staf/kim/{kaltara_side.kim.pk}/",
        {
            "m-full_name": "Nama Lain",
            "m-phone": kaltim_person.phone,
            "m-role": "anggota",
        },
    )
    assert kaltim_person.email not in response.content.decode()
    assert kaltim_person.full_name not in response.content.decode()
    assert not kaltara_side.kim.memberships.filter(person=kaltim_person).exists()
    # A person already in both (recorded before): Kaltara's staff cannot change
    # the details Kaltim's KIM shows.
    joined = Membership.objects.create(kim=kaltara_side.kim, person=kaltim_person)
    client.post(
        f"/staf/kim/anggota/{joined.pk}/",
        {
            "full_name": "Diganti Kaltara",
            "phone": "0812 7777 0001",
            "email": "ganti@example.org",
            "role": "anggota",
        },
    )
    kaltim_person.refresh_from_db()
    assert kaltim_person.full_name == "Anggota Kaltim"
    assert kaltim_person.email == "anggota.kaltim@example.org"
    assert kaltim_person.phone == "+6281255550001"


def test_a_sheet_cannot_link_or_change_another_provinces_member(
    kaltim_side: Side, kaltara_side: Side
) -> None:
    """The spreadsheet import keeps the same rule as the member form: a phone
    that a Kaltim KIM holds is refused on a Kaltara row (nothing linked), and a
    person already in both is updated in their Kaltara membership only."""
    from network.importing import kim_import

    kaltim_person = kaltim_side.member.person
    header = "kode_wilayah,nama_kim,nama_anggota,peran,telepon,email\n"
    row = f"{VILLAGE},KIM Kaltara,Nama Lain,anggota,{kaltim_person.phone},x@y.id\n"
    result = kim_import(actor=kaltara_side.admin, data=(header + row).encode())
    assert [(e.line, e.field) for e in result.errors] == [(2, "telepon")]
    assert "another province" in result.errors[0].message or "provinsi lain" in (
        result.errors[0].message
    )
    assert result.members_created == 0
    assert not kaltara_side.kim.memberships.filter(person=kaltim_person).exists()

    # Recorded in both before: the sheet sets the Kaltara role, not the name.
    Membership.objects.create(kim=kaltara_side.kim, person=kaltim_person)
    row = f"{VILLAGE},KIM Kaltara,Diganti Kaltara,sekretaris,{kaltim_person.phone},\n"
    result = kim_import(actor=kaltara_side.admin, data=(header + row).encode())
    assert result.errors == []
    kaltim_person.refresh_from_db()
    assert kaltim_person.full_name == "Anggota Kaltim"
    joined = kaltara_side.kim.memberships.get(person=kaltim_person)
    assert joined.role == "sekretaris"
    # The person is in both provinces now: a Kaltim sheet is not refused, and
    # changes their details no more than Kaltara's did (as the member form).
    own = (
        f"64.02.06.1001,KIM Kaltim,Anggota Kaltim Baru,anggota,{kaltim_person.phone},\n"
    )
    result = kim_import(actor=kaltim_side.admin, data=(header + own).encode())
    assert result.errors == []
    kaltim_person.refresh_from_db()
    assert kaltim_person.full_name == "Anggota Kaltim"


def test_an_event_sign_up_never_links_another_provinces_member(
    client: Client, kaltim_side: Side, kaltara_side: Side
) -> None:
    """A Kaltim member's phone on a Kaltara event (public form, staff entry):
    the sign-up is kept, on a Kaltara record of its own with the name as given
    and the phone kept on the sign-up, and Kaltim's record of the person is
    neither linked nor changed nor shown to Kaltara's staff."""
    from django.core.exceptions import ValidationError

    from network.models import Participant, Person

    kaltim_person = kaltim_side.member.person
    event = kaltara_side.event
    response = client.post(
        f"/acara/{event.pk}/",
        {"full_name": "Nama Kaltara", "phone": kaltim_person.phone, "email": ""},
    )
    assert response.status_code == 302
    signed = Participant.objects.get(event=event)
    assert signed.person != kaltim_person
    assert signed.person.full_name == "Nama Kaltara"
    assert signed.person.phone is None
    assert signed.contact_phone == kaltim_person.phone
    # The phone still finds that sign-up: no second one.
    with pytest.raises(ValidationError):
        services.participant_register(
            actor=None, event=event, full_name="Lagi", phone=kaltim_person.phone
        )
    assert event.participants.count() == 1

    def another(title: str) -> Event:
        """Another training of the same Kaltara office, on the same day."""
        return services.event_create(
            actor=None,
            kind=Event.Kind.TRAINING,
            title=title,
            region=event.region,
            organiser_region=event.organiser_region,
            venue="Aula",
            starts_at=event.starts_at,
        )

    second = another("Pelatihan Kaltara kedua")
    staff = services.participant_register(
        actor=kaltara_side.admin,
        event=second,
        full_name="Dari Staf",
        phone=kaltim_person.phone,
        email="staf@example.org",
    )
    assert staff.person not in (kaltim_person, signed.person)
    assert staff.person.email == "staf@example.org"
    assert not Participant.objects.filter(person=kaltim_person).exists()
    kaltim_person.refresh_from_db()
    assert kaltim_person.full_name == "Anggota Kaltim"
    assert kaltim_person.email == "anggota.kaltim@example.org"
    client.force_login(kaltara_side.admin)
    page = client.get(f"/staf/acara/{event.pk}/").content.decode()
    assert "Nama Kaltara" in page
    assert kaltim_person.full_name not in page
    assert kaltim_person.email not in page
    # Someone who is a member in Kaltara too is one person: linked as before;
    # a Kaltara member on a Kaltim event is kept apart the same way.
    Membership.objects.create(kim=kaltara_side.kim, person=kaltim_person)
    third = another("Pelatihan Kaltara ketiga")
    both = services.participant_register(
        actor=kaltara_side.admin, event=third, full_name="X", phone=kaltim_person.phone
    )
    assert both.person == kaltim_person and both.contact_phone == ""
    own = services.participant_register(
        actor=None,
        event=kaltim_side.event,
        full_name="Y",
        phone=kaltara_side.member.person.phone,
    )
    assert own.person != kaltara_side.member.person
    assert Person.objects.filter(phone=kaltim_person.phone).count() == 1


def test_a_platform_admins_event_is_run_by_the_province_it_is_held_in(
    client: Client, kaltara_side: Side, make_user
) -> None:
    """An event created by someone with no region (a platform admin) in a
    Kaltara village is organised by Kaltara's office, whose staff manage it;
    it was given to the home province (Kaltim)."""
    admin = make_user(Role.PROVINCE_ADMIN, None, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/staf/acara/baru/",
        {
            "kind": "training",
            "title": "Pelatihan nasional di Kaltara",
            "region": REGENCY,
            "venue": "Aula",
            "starts_at": "2030-01-10T09:00",
            "registration": "public",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Pelatihan nasional di Kaltara")
    assert event.organiser_region_id == KALTARA
    client.force_login(kaltara_side.admin)
    assert client.get(f"/staf/acara/{event.pk}/").status_code == 200


def test_statistics_of_a_province_not_served_are_404(
    client: Client, kaltara_side: Side, settings
) -> None:
    """As the other apps' region pages: a province the deployment does not
    serve has no KIM statistics here (they were shown)."""
    assert client.get("/kim/statistik/65.01/").status_code == 200
    settings.PROVINCES = ["64"]
    assert client.get("/kim/statistik/65/").status_code == 404
    assert client.get("/kim/statistik/65.01/").status_code == 404
    assert client.get("/kim/statistik/64.02/").status_code == 200
