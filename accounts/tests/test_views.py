import pytest
from django.core import mail
from django.test import Client

from accounts.models import AuditEntry, Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-Kaltim-2026"


def test_login_with_email_or_phone(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(
        Role.REGENCY_ADMIN, "64.02", email="kukar@example.org", phone="+6281234567890"
    )
    for identifier in [
        "kukar@example.org",
        "KUKAR@example.org",
        "0812-3456-7890",
        "62 812 3456 7890",
    ]:
        client.logout()
        response = client.post(
            "/masuk/", {"username": identifier, "password": PASSWORD}
        )
        assert response.status_code == 302, identifier
        assert response["Location"] == "/staf/"
    assert AuditEntry.objects.filter(action="login").count() == 4


def test_wrong_password_gives_an_indonesian_error(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.REGENCY_ADMIN, "64.02", email="kukar@example.org")
    response = client.post(
        "/masuk/", {"username": "kukar@example.org", "password": "salah"}
    )
    assert response.status_code == 200
    assert "salah" in response.content.decode().lower()
    assert AuditEntry.objects.filter(action="login_failed").count() == 1


def test_login_is_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    limit = int(settings.LOGIN_RATE.split("/")[0])
    codes = [
        client.post(
            "/masuk/", {"username": "a@example.org", "password": "x"}
        ).status_code
        for _ in range(limit + 1)
    ]
    assert codes[:limit] == [200] * limit
    assert codes[-1] == 429


def test_password_reset_sends_a_link(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "64.02", email="editor@example.org")
    response = client.post("/lupa-sandi/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/atur-sandi/" in line
    )
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "Baru-Sekali-2026!"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_dashboard_shows_the_scope(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    html = client.get("/staf/").content.decode()
    assert "Kabupaten Kutai Kartanegara" in html
    assert "237" in html


def test_dashboard_needs_login(client: Client) -> None:
    response = client.get("/staf/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_berau_admin_can_neither_read_nor_change_kukar_accounts(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    kukar_member = make_user(Role.KIM_MEMBER, "64.02.06", full_name="Warga Tenggarong")
    berau = make_user(Role.REGENCY_ADMIN, "64.03")
    client.force_login(berau)
    listing = client.get("/staf/pengguna/").content.decode()
    assert "Warga Tenggarong" not in listing
    assert client.get(f"/staf/pengguna/{kukar_member.pk}/").status_code == 404
    response = client.post(
        f"/staf/pengguna/{kukar_member.pk}/",
        {
            "full_name": "Dibajak",
            "role": Role.KIM_MEMBER,
            "region": "64.03",
            "is_active": "on",
        },
    )
    assert response.status_code == 404
    kukar_member.refresh_from_db()
    assert kukar_member.full_name == "Warga Tenggarong"
    assert kukar_member.region_id == "64.02.06"
    audit = client.get("/staf/audit/").content.decode()
    assert "Warga Tenggarong" not in audit


def test_kukar_admin_edits_a_kukar_account(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    member = make_user(Role.KIM_MEMBER, "64.02.06")
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        f"/staf/pengguna/{member.pk}/",
        {
            "full_name": "Nama Baru",
            "role": Role.KIM_COORDINATOR,
            "region": "64.02.06.1001",
            "phone": "0812 1111 2222",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.role, member.region_id, member.phone) == (
        "Nama Baru",
        Role.KIM_COORDINATOR,
        "64.02.06.1001",
        "+6281211112222",
    )


def test_create_account_form_reports_errors_in_indonesian(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.post(
        "/staf/pengguna/baru/",
        {
            "email": "bukan-email",
            "full_name": "",
            "role": Role.DISTRICT_OPERATOR,
            "region": "64.03",
            "phone": "12",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masukkan alamat email yang valid" in html
    assert "64.03" in html or "Pilih" in html  # Berau is not a valid choice
    assert User.objects.filter(role=Role.DISTRICT_OPERATOR).count() == 0


def test_kim_member_cannot_manage_accounts(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert client.get("/staf/pengguna/").status_code == 403
    assert client.get("/staf/audit/").status_code == 403


def test_admin_site_is_for_superusers_only(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    staff = make_user(Role.PROVINCE_ADMIN, "64", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    superuser = User.objects.create_superuser(
        "root@example.org", PASSWORD, full_name="Root"
    )
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_api_token_page_shows_the_key_once(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.EDITOR, "64.02"))
    html = client.post("/staf/token/", {"name": "Integrasi"}).content.decode()
    assert "smp_" in html
    again = client.get("/staf/token/").content.decode()
    assert 'id="new-key"' not in again


def test_create_account_with_the_region_typed_by_name(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    page = client.get("/staf/pengguna/baru/").content.decode()
    assert "data-region-picker" in page
    response = client.post(
        "/staf/pengguna/baru/",
        {
            "email": "operator.tgs@example.org",
            "full_name": "Operator Tenggarong Seberang",
            "role": Role.DISTRICT_OPERATOR,
            "region": "tenggarong sebrang",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="operator.tgs@example.org")
    assert user.region_id == "64.02.16"
