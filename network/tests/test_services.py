from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry, Role
from network import selectors, services
from network.models import Activity, ActivityPhoto, Kim, Membership, Person
from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw", ["0812 0000 0042", "+62 812-0000-0042", "6281200000042", "62812 0000 0042"]
)
def test_member_phone_is_normalised_to_e164(kim, raw) -> None:
    member = services.member_add(actor=None, kim=kim, full_name="Budi", phone=raw)
    assert member.person.phone == "+6281200000042"


def test_invalid_phone_is_a_field_error_and_nothing_is_stored(kim) -> None:
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=None, kim=kim, full_name="Budi", phone="12345")
    assert "phone" in exc.value.message_dict
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_duplicate_members_are_refused(kim) -> None:
    services.member_add(actor=None, kim=kim, full_name="Budi", phone="081200000042")
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=None, kim=kim, full_name="Budi S.", phone="+6281200000042"
        )
    assert "phone" in exc.value.message_dict
    services.member_add(actor=None, kim=kim, full_name="Siti Tanpa HP")
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=None, kim=kim, full_name="siti  tanpa hp")
    assert "full_name" in exc.value.message_dict
    assert kim.memberships.count() == 2


def test_a_person_can_belong_to_several_kims(kim, other_kim) -> None:
    a = services.member_add(actor=None, kim=kim, full_name="Budi", phone="0812000042")
    b = services.member_add(
        actor=None, kim=other_kim, full_name="Budi", phone="0812000042"
    )
    assert a.person_id == b.person_id


def test_only_one_active_chair(kim) -> None:
    services.member_add(actor=None, kim=kim, full_name="A", role="ketua")
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=None, kim=kim, full_name="B", role="ketua")
    assert "role" in exc.value.message_dict


def test_kim_must_be_in_a_village_or_district(kaltim) -> None:
    with pytest.raises(ValidationError) as exc:
        services.kim_create(
            actor=None, name="KIM Salah", region=Region.objects.get(kode="64.02")
        )
    assert "region" in exc.value.message_dict


def test_kim_name_unique_per_village(kim) -> None:
    with pytest.raises(ValidationError) as exc:
        services.kim_create(actor=None, name="kim jahab informatif", region=kim.region)
    assert "name" in exc.value.message_dict


def test_social_handles_become_addresses(kim) -> None:
    services.kim_update(actor=None, kim=kim, instagram="@kimjahab", tiktok="kimjahab")
    kim.refresh_from_db()
    assert kim.instagram == "https://www.instagram.com/kimjahab"
    assert kim.tiktok == "https://www.tiktok.com/@kimjahab"


def test_coordinator_edits_only_their_own_kim(coordinator, kim, other_kim) -> None:
    services.kim_update(actor=coordinator, kim=kim, description="Baru")
    with pytest.raises(PermissionDenied):
        services.kim_update(actor=coordinator, kim=other_kim, description="Dibajak")
    assert list(selectors.kims_coordinated_by(coordinator)) == [kim]


def test_regency_admin_of_berau_cannot_touch_kukar(make_user, kim) -> None:
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    with pytest.raises(PermissionDenied):
        services.kim_update(actor=berau, kim=kim, description="x")
    with pytest.raises(PermissionDenied):
        services.kim_create(actor=berau, name="KIM X", region=kim.region)


def test_member_changes_are_audited_without_phone(make_user, kim) -> None:
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    m = services.member_add(actor=admin, kim=kim, full_name="Budi", phone="0812000042")
    services.member_update(actor=admin, membership=m, phone="0812000043")
    entries = AuditEntry.objects.filter(object_type="network.membership")
    assert entries.count() == 2
    assert "+62812000043" not in str(list(entries.values_list("changes", flat=True)))


def test_activity_in_the_future_is_refused(kim) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=None,
            kim=kim,
            kind="diseminasi",
            title="Besok",
            date=timezone.localdate() + timedelta(days=1),
        )
    assert "date" in exc.value.message_dict


def test_bad_photo_stores_nothing(kim, png) -> None:
    fake = SimpleUploadedFile("foto.jpg", b"MZ not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=None,
            kim=kim,
            kind="diseminasi",
            title="Sosialisasi",
            date=date(2024, 5, 1),
            photos=[png(), fake],
        )
    assert "photos" in exc.value.message_dict
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_upload_over_10_mb_is_refused(kim) -> None:
    big = SimpleUploadedFile(
        "sk.pdf",
        b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024),
        content_type="application/pdf",
    )
    with pytest.raises(ValidationError) as exc:
        services.kim_update(actor=None, kim=kim, decree_file=big)
    assert "decree_file" in exc.value.message_dict
    kim.refresh_from_db()
    assert not kim.decree_file


def test_decree_must_be_a_pdf(kim, png) -> None:
    with pytest.raises(ValidationError):
        services.kim_update(actor=None, kim=kim, decree_file=png("sk.pdf"))
    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n")
    services.kim_update(actor=None, kim=kim, decree_file=pdf)
    kim.refresh_from_db()
    assert kim.decree_file.name.endswith(".pdf")
    assert kim.decree_file.name.startswith("network/kim/")


def test_review_updates_the_monthly_score(
    make_user, kim, django_capture_on_commit_callbacks
) -> None:
    admin = make_user(Role.REGENCY_ADMIN, "64.02")
    when = timezone.localdate().replace(day=1) - timedelta(days=20)
    activity = services.activity_create(
        actor=None, kim=kim, kind="diseminasi", title="Sosialisasi", date=when
    )
    operator_elsewhere = make_user(Role.DISTRICT_OPERATOR, "64.03.01")
    with pytest.raises(PermissionDenied):
        services.activity_review(
            actor=operator_elsewhere, activity=activity, approve=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_review(actor=admin, activity=activity, approve=True)
    score = kim.scores.get()
    assert score.month == when.replace(day=1)
    assert score.score == 3


def test_maturity_level_from_six_months_of_reports(kim) -> None:
    today = date(2025, 7, 15)
    for month in range(1, 7):  # January to June 2025, four kinds a month
        for kind in ("diseminasi", "implementasi", "diskusi", "aspirasi"):
            for _ in range(2):
                a = Activity.objects.create(
                    kim=kim, kind=kind, title="x", date=date(2025, month, 10)
                )
                a.status = Activity.Status.APPROVED
                a.save()
    changed = services.kim_scores_recompute(today=today)
    kim.refresh_from_db()
    assert changed == 1
    assert kim.level == Kim.Level.UTAMA  # 2*(3+3+2+2) = 20 a month, 6 months
    assert kim.scores.count() == 6


def test_kim_without_reports_keeps_its_level(kim) -> None:
    Kim.objects.filter(pk=kim.pk).update(level=Kim.Level.MADYA)
    services.kim_scores_recompute()
    kim.refresh_from_db()
    assert kim.level == Kim.Level.MADYA


def test_selectors_for_other_apps(coordinator, kim, other_kim) -> None:
    services.member_add(
        actor=None, kim=other_kim, full_name="Ani", phone="081200000077"
    )
    members = selectors.kim_members_for_regions(region_codes=["64.02.06"])
    assert {m.person.full_name for m in members} == {"Rina Ketua", "Ani"}
    assert not selectors.kim_members_for_regions(region_codes=["64.03"]).exists()
    contacts = selectors.kim_coordinators_contacts(region_codes=["64.02"])
    assert [(c.kim_name, c.phone) for c in contacts] == [
        ("KIM Jahab Informatif", "+6281200000001")
    ]
    assert selectors.kim_get(pk=kim.pk) == kim
    assert list(selectors.kim_list(region_code="64.02.06.1005")) == [other_kim]


def test_writer_and_board_selectors(make_user, kim, other_kim) -> None:
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    m = services.member_add(actor=None, kim=kim, full_name="Ani", phone="0812000071")
    services.person_link_user(actor=None, person=m.person, user=member)
    assert list(selectors.kims_of_user(member)) == [kim]
    assert not selectors.kims_coordinated_by(member).exists()  # a member, not chair
    forum = services.forum_create(
        actor=None, region=Region.objects.get(kode="64.02"), name="Forum KIM Kukar"
    )
    services.board_member_add(
        actor=None, forum=forum, full_name="Hendra", position="ketua"
    )
    seats = selectors.forum_board_members_for_regions(region_codes=["64.02"])
    assert [s.person.full_name for s in seats] == ["Hendra"]
    assert not selectors.forum_board_members_for_regions(region_codes=["64.03"])
