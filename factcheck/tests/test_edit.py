"""Editing, withdrawing and republishing a fact-check: the staff page and its
services, against the real matching engine on the small test corpus."""

import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import AuditEntry, Role
from factcheck import matching_service, services
from factcheck.models import FactCheck
from factcheck.tests.conftest import KNOWN_HOAX
from regions.models import Region

pytestmark = pytest.mark.django_db

TOWER = "Menara BTS baru di desa-desa Kukar menyebabkan kanker"
TOWER_MESSAGE = (
    "Awas!! Tower BTS program Kukar bebas blankspot memancarkan radiasi yang "
    "menyebabkan kanker, tolak pembangunannya di desa kalian"
)


def png(size: tuple[int, int] = (40, 30), *, pad: int = 0) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(
        "foto.png", buffer.getvalue() + b"\0" * pad, content_type="image/png"
    )


def edit_url(fc: FactCheck) -> str:
    return f"/staf/cek-fakta/fakta/{fc.pk}/ubah/"


def form_data(fc: FactCheck, **changes: object) -> dict:
    data = {
        "title": fc.title,
        "verdict": fc.verdict,
        "topic": fc.topic,
        "claim_reviewed": fc.claim_reviewed,
        "explanation": fc.explanation,
        "conclusion": fc.conclusion,
        "references": "\n".join(fc.references),
        "author": fc.author,
        "url": fc.url,
        "regions": [r.kode for r in fc.regions.all()],
    }
    data.update(changes)
    return data


def matched_ids(text: str) -> list[int]:
    return [m["id"] for m in matching_service.match(text)["matches"]]


def test_the_desk_edits_a_published_factcheck_through_its_page(
    client: Client, corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    fc = FactCheck.objects.get(external_id="t-tower")
    assert not fc.card and not fc.image
    client.force_login(checker)
    page = client.get(edit_url(fc))
    html = page.content.decode()
    assert page.status_code == 200
    assert TOWER in html and 'enctype="multipart/form-data"' in html
    assert "Tarik" in html  # the withdraw form

    response = client.post(
        edit_url(fc),
        form_data(
            fc,
            title="Menara BTS di Kukar tidak menyebabkan kanker",
            verdict="hoaks",
            topic="teknologi",
            references="https://who.example/emf\n\n  Dinas Kominfo Kukar  ",
            author="Tim Cek Fakta Kaltim",
            regions=["64.02"],
            image=png(),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == fc.get_absolute_url()
    fc.refresh_from_db()
    assert fc.title == "Menara BTS di Kukar tidak menyebabkan kanker"
    assert fc.verdict == "hoaks" and fc.topic == "teknologi"
    assert fc.references == ["https://who.example/emf", "Dinas Kominfo Kukar"]
    assert fc.author == "Tim Cek Fakta Kaltim"
    assert [r.kode for r in fc.regions.all()] == ["64.02"]
    assert fc.image.name.endswith(".png") and fc.image.storage.exists(fc.image.name)
    assert fc.card  # the share card follows the new title and verdict
    entry = AuditEntry.objects.get(
        object_type="factcheck.factcheck", object_id=str(fc.pk), action="update"
    )
    assert entry.actor == checker
    assert entry.changes["verdict"] == ["salah", "hoaks"]
    assert entry.changes["title"] == "…"
    assert entry.changes["regions"] == [[], ["64.02"]]
    assert entry.changes["image"][1] == fc.image.name

    public = client.get(fc.get_absolute_url()).content.decode()
    assert "Cek fakta disimpan." in public
    assert fc.image.url in public and "HOAKS" in public
    # Still matchable, under its new words.
    assert fc.pk in matched_ids(TOWER_MESSAGE)


def test_the_image_is_replaced_and_removed(
    client: Client, corpus, make_user, django_capture_on_commit_callbacks
) -> None:
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    fc = FactCheck.objects.get(external_id="t-erau")
    client.post(edit_url(fc), form_data(fc, image=png()))
    fc.refresh_from_db()
    first = fc.image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(fc), form_data(fc, image=png((20, 20))))
    fc.refresh_from_db()
    assert fc.image.name != first
    assert not fc.image.storage.exists(first)  # the old file is not kept
    second = fc.image.name
    assert "Hapus gambar" in client.get(edit_url(fc)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(fc), form_data(fc, remove_image="on"))
    fc.refresh_from_db()
    assert not fc.image and not fc.image.storage.exists(second)


def test_edit_page_is_closed_to_others_and_to_other_areas(
    client: Client, corpus, make_user
) -> None:
    fc = FactCheck.objects.get(external_id="t-erau")  # no region: the province's
    url = edit_url(fc)
    assert client.get(url).status_code == 302  # to sign in
    for role, region in (
        (Role.KIM_MEMBER, "64.02.06"),
        (Role.EDITOR, "64"),  # may look at the desk, not change it
        (Role.REGENCY_ADMIN, "64.03"),
    ):
        client.force_login(make_user(role, region))
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(fc, title="X")).status_code == 403

    berau = make_user(Role.FACT_CHECKER, "64.03")
    client.force_login(berau)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(fc, title="Diubah Berau")).status_code == 404
    assert (
        client.post(f"/staf/cek-fakta/fakta/{fc.pk}/tarik/", {"withdrawal_reason": "x"})
    ).status_code == 404
    # Nor is the edit link on the public page.
    assert url not in client.get(fc.get_absolute_url()).content.decode()
    kukar = FactCheck.objects.get(external_id="t-tower")
    kukar.regions.set([Region.objects.get(kode="64.02")])
    assert client.get(edit_url(kukar)).status_code == 404
    fc.refresh_from_db()
    assert fc.title == "Festival Erau tahun ini dibatalkan" and fc.is_published
    assert not (
        AuditEntry.objects.filter(object_type="factcheck.factcheck")
        .exclude(action="create")
        .exists()
    )

    # One of Berau's own: theirs to edit, within Berau only.
    own = FactCheck.objects.get(external_id="t-pesut")
    own.regions.set([Region.objects.get(kode="64.03")])
    assert client.get(edit_url(own)).status_code == 200
    assert edit_url(own) in client.get(own.get_absolute_url()).content.decode()
    moved = client.post(edit_url(own), form_data(own, regions=["64.72"]))
    assert moved.status_code == 400
    assert "wilayah Anda sendiri" in moved.content.decode()
    assert [r.kode for r in own.regions.all()] == ["64.03"]
    ok = client.post(edit_url(own), form_data(own, title="Pesut Mahakam dan wifi"))
    assert ok.status_code == 302
    own.refresh_from_db()
    assert own.title == "Pesut Mahakam dan wifi"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Bidang ini tidak boleh kosong."),
        ({"verdict": "bohong"}, "Masukkan pilihan yang valid."),
        ({"url": "bukan alamat"}, "Masukkan URL yang valid."),
        (
            {
                "image": SimpleUploadedFile(
                    "foto.png", b"bukan gambar sama sekali", content_type="image/png"
                )
            },
            "Unggah foto (JPEG, PNG atau WebP).",
        ),
        ({"image": "oversized"}, "Berkas lebih besar dari 10 MB."),
        ({"title": "x" * 301}, "Pastikan nilai ini mengandung paling banyak 300"),
    ],
)
def test_bad_input_shows_an_indonesian_error_and_changes_nothing(
    client: Client, corpus, make_user, changes: dict, message: str
) -> None:
    if changes.get("image") == "oversized":
        changes = {"image": png(pad=10 * 1024 * 1024)}
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    fc = FactCheck.objects.get(external_id="t-tower")
    generation = matching_service.state().generation
    response = client.post(edit_url(fc), form_data(fc, **changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "<h1>Ubah cek fakta</h1>" in html and TOWER in html
    fc.refresh_from_db()
    assert fc.title == TOWER and fc.verdict == "salah" and not fc.image
    assert fc.url == "https://cekfakta.example/tower"
    assert not AuditEntry.objects.filter(
        object_type="factcheck.factcheck", action="update"
    ).exists()
    assert matching_service.state().generation == generation


def test_a_fact_check_is_withdrawn_and_published_again(
    client: Client, corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    fc = FactCheck.objects.get(external_id="t-blt")
    assert matched_ids(KNOWN_HOAX)[0] == fc.pk
    client.force_login(checker)
    base = f"/staf/cek-fakta/fakta/{fc.pk}"

    assert client.get(f"{base}/tarik/").status_code == 405
    refused = client.post(f"{base}/tarik/", {"withdrawal_reason": " "})
    assert refused.status_code == 400
    assert "Bidang ini tidak boleh kosong." in refused.content.decode()
    fc.refresh_from_db()
    assert fc.is_published

    response = client.post(
        f"{base}/tarik/",
        {"withdrawal_reason": "Tautan itu ternyata milik program resmi Dinsos."},
    )
    assert response.status_code == 302
    assert response["Location"] == fc.get_absolute_url()
    fc.refresh_from_db()
    assert fc.is_withdrawn and fc.withdrawn_at is not None
    assert fc.withdrawal_reason == "Tautan itu ternyata milik program resmi Dinsos."
    entry = AuditEntry.objects.get(
        object_type="factcheck.factcheck", object_id=str(fc.pk), action="update"
    )
    assert entry.actor == checker
    assert entry.changes == {
        "status": ["published", "withdrawn"],
        "reason": "Tautan itu ternyata milik program resmi Dinsos.",
    }
    # Out of matching, the archive and the share card...
    assert fc.pk not in matched_ids(KNOWN_HOAX)
    anonymous = Client()
    archive = anonymous.get("/cek-fakta/arsip/", {"q": "BLT"}).content.decode()
    assert "blt-kaltim-2026.xyz" not in archive
    assert anonymous.get(f"{fc.get_absolute_url()}kartu.png").status_code == 404
    # ...but the shared link still answers, and says so.
    page = anonymous.get(fc.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ditarik" in html and "milik program resmi Dinsos" in html
    assert "Jangan bagikan lagi" in html
    assert "application/ld+json" not in html and 'name="robots"' in html
    assert "pencuri data" not in html  # its conclusion is not shown any more
    # The desk lists it, and may publish it again.
    assert fc.title in client.get("/staf/cek-fakta/").content.decode()
    edit = client.get(edit_url(fc)).content.decode()
    assert "Terbitkan lagi" in edit and "Tarik cek fakta ini" not in edit

    assert client.get(f"{base}/terbitkan/").status_code == 405
    response = client.post(f"{base}/terbitkan/")
    assert response.status_code == 302
    fc.refresh_from_db()
    assert fc.is_published and fc.withdrawn_at is None and not fc.withdrawal_reason
    assert fc.card
    assert matched_ids(KNOWN_HOAX)[0] == fc.pk
    assert AuditEntry.objects.get(
        object_type="factcheck.factcheck", object_id=str(fc.pk), action="publish"
    ).changes == {"status": ["withdrawn", "published"]}
    html = anonymous.get(fc.get_absolute_url()).content.decode()
    assert "Ditarik" not in html and "pencuri data" in html
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert json.loads(block.group(1))["@type"] == "ClaimReview"


def test_state_changes_need_post_with_csrf(corpus, make_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    fc = FactCheck.objects.get(external_id="t-ikn")
    base = f"/staf/cek-fakta/fakta/{fc.pk}"
    assert client.post(f"{base}/tarik/", {"withdrawal_reason": "x"}).status_code == 403
    assert client.post(f"{base}/ubah/", form_data(fc, title="X")).status_code == 403
    fc.refresh_from_db()
    assert fc.is_published and fc.title.startswith("Warga sekitar IKN")


def test_edit_links_from_the_public_page_and_the_claim(
    client: Client, corpus, make_user
) -> None:
    fc = FactCheck.objects.get(external_id="t-ikn")
    assert edit_url(fc) not in client.get(fc.get_absolute_url()).content.decode()
    client.force_login(make_user(Role.EDITOR, "64"))
    assert edit_url(fc) not in client.get(fc.get_absolute_url()).content.decode()
    checker = make_user(Role.FACT_CHECKER, "64")
    client.force_login(checker)
    assert edit_url(fc) in client.get(fc.get_absolute_url()).content.decode()
    outcome = services.tip_submit(
        channel="web", text="Warga Sepaku wajib pindah tanpa ganti rugi karena IKN"
    )
    services.claim_confirm_match(actor=checker, claim=outcome.claim, factcheck=fc)
    html = client.get(outcome.claim.get_absolute_url()).content.decode()
    assert edit_url(fc) in html


# --- Services ---------------------------------------------------------------------


def test_withdraw_and_republish_services_check_their_input(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    fc = FactCheck.objects.get(external_id="t-pln")
    with pytest.raises(ValidationError) as exc:
        services.factcheck_withdraw(actor=checker, factcheck=fc, reason="  ")
    assert "withdrawal_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.factcheck_republish(actor=checker, factcheck=fc)  # not withdrawn
    with pytest.raises(PermissionDenied):
        services.factcheck_withdraw(
            actor=make_user(Role.EDITOR, "64"), factcheck=fc, reason="salah"
        )
    with pytest.raises(PermissionDenied):
        services.factcheck_withdraw(
            actor=make_user(Role.FACT_CHECKER, "64.03"), factcheck=fc, reason="salah"
        )
    services.factcheck_withdraw(actor=checker, factcheck=fc, reason="Sumber keliru")
    with pytest.raises(ValidationError):
        services.factcheck_withdraw(actor=checker, factcheck=fc, reason="lagi")
    draft = services.factcheck_create(actor=checker, title="Draf", verdict="salah")
    with pytest.raises(ValidationError):
        services.factcheck_withdraw(actor=checker, factcheck=draft, reason="x")


def test_a_withdrawn_factcheck_stays_out_of_matching_when_its_feed_updates_it(
    corpus, make_user
) -> None:
    from factcheck.importing import Parsed, record_from_mapping
    from factcheck.tests.conftest import CORPUS

    checker = make_user(Role.FACT_CHECKER, "64")
    fc = FactCheck.objects.get(external_id="t-blt")
    services.factcheck_withdraw(actor=checker, factcheck=fc, reason="Keliru")
    changed = {**CORPUS[0], "conclusion": "Tautan pendaftaran BLT itu penipuan."}
    result = services.factchecks_import(
        items=[Parsed(1, record=record_from_mapping(changed))]
    )
    assert result.updated == 1
    fc.refresh_from_db()
    assert fc.is_withdrawn
    assert fc.pk not in matched_ids(KNOWN_HOAX)


def test_update_refuses_a_non_image_before_changing_anything(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    fc = FactCheck.objects.get(external_id="t-vaksin")
    with pytest.raises(ValidationError) as exc:
        services.factcheck_update(
            actor=checker,
            factcheck=fc,
            title="Judul baru",
            image=SimpleUploadedFile("x.jpg", b"GIF89a not really"),
        )
    assert "image" in exc.value.message_dict
    fc.refresh_from_db()
    assert fc.title == "Vaksin campak menyebabkan anak lumpuh" and not fc.image
