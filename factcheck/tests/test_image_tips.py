"""Image tips end to end: the web form, the API, the batch command and the
bots (fake Telegram and WhatsApp), matched by the picture and its text; bad
files refused with a clear answer and nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from channels.models import OutboxMessage
from channels.testing import telegram_photo, whatsapp_image, whatsapp_payload
from factcheck import image_matching, ocr, services
from factcheck.models import (
    Claim,
    FactCheck,
    FactCheckImage,
    ImageSource,
    Tip,
    TipImage,
)
from factcheck.tests.conftest import KNOWN_HOAX
from factcheck.tests.screenshots import degrade, png_bytes, render_chat
from factcheck.tests.test_imaging import animated_gif, jpeg, png_header_only

pytestmark = pytest.mark.django_db
needs_ocr = pytest.mark.skipif(
    not ocr.available()[0], reason=f"no OCR here: {ocr.available()[1]}"
)
TIP_URL = "/cek-fakta/"
CHAT = 4242
# A new story no fact-check answers: its screenshot is matched only once a
# fact-check carries its picture.
STORY = (
    "Video viral buaya raksasa muncul di Sungai Mahakam dekat jembatan Mahkota, "
    "warga Samarinda diminta tidak mendekat ke tepian sungai"
)
BAD_FILES = {
    "not-an-image": (b"hello, this is text", "bukan foto"),
    "truncated": (jpeg()[:200], "rusak"),
    "bomb": (png_header_only(20_000, 20_000), "40 megapiksel"),
    "animated-gif": (animated_gif(), "bergerak"),
    "pdf-as-jpg": (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<>> endobj\n%%EOF", "bukan foto"),
}
BIG = b"\xff\xd8\xff\xe0" + b"\0" * (15 * 1024 * 1024)


def screenshot(text: str = KNOWN_HOAX, *, seed: int = 1) -> bytes:
    return degrade(render_chat(text, seed=seed), seed=seed + 100)


def private_files() -> list[Path]:
    root = Path(settings.FACTCHECK_PRIVATE_DIR)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


_before: set[Path] = set()


@pytest.fixture(autouse=True)
def _files_before() -> None:
    """Files left by earlier tests (their rows were rolled back, not deleted)."""
    _before.clear()
    _before.update(private_files())


def no_traces() -> None:
    assert Tip.objects.count() == 0
    assert Claim.objects.count() == 0
    assert TipImage.objects.count() == 0
    assert set(private_files()) == _before


@pytest.fixture
def story_fc(corpus: list[FactCheck]) -> FactCheck:
    """A published fact-check that carries the original screenshot of STORY."""
    fc = services.factcheck_create(
        actor=None,
        title="Buaya raksasa di Sungai Mahakam adalah video lama dari luar negeri",
        verdict="salah",
        publisher="Tim Uji",
        status=FactCheck.Status.PUBLISHED,
        is_own=False,
    )
    services.factcheck_image_add(
        factcheck=fc,
        data=png_bytes(render_chat(STORY, seed=7)),
        source=ImageSource.IMPORTED,
    )
    return fc


# --- storage -----------------------------------------------------------------------


def test_tip_picture_is_kept_privately_without_exif_and_goes_with_the_tip(
    corpus: list[FactCheck], django_capture_on_commit_callbacks: Any
) -> None:
    outcome = services.tip_submit(channel="web", text="", image=screenshot())
    tip = outcome.tip
    assert tip is not None
    stored = TipImage.objects.get(tip=tip)
    path = Path(stored.file.path)
    assert path.is_file()
    assert str(Path(settings.FACTCHECK_PRIVATE_DIR)) in str(path)
    assert str(Path(settings.MEDIA_ROOT)) not in str(path)
    assert path.read_bytes()[:3] == b"\xff\xd8\xff" and b"Exif" not in path.read_bytes()
    assert stored.phash and len(stored.phash) == 16
    with django_capture_on_commit_callbacks(execute=True):
        tip.claim.delete()
    assert not TipImage.objects.exists()
    assert not path.exists()


def test_a_picture_without_words_is_stored_with_a_placeholder(
    corpus: list[FactCheck], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "read_text", lambda image, **kw: "")
    outcome = services.tip_submit(channel="web", text="", image=jpeg((300, 200)))
    assert outcome.tip is not None and outcome.tip.text == "[Gambar tanpa teks]"
    assert outcome.decision == "none"
    assert outcome.claim is not None and outcome.claim.signature == []


def photo(seed: int, *, scale: float = 1.0, quality: int = 90) -> bytes:
    """A wordless picture: coloured shapes placed by ``seed``; ``scale`` and
    ``quality`` make a forwarded copy of it."""
    import io
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (480, 360), (rng.randrange(256), 120, 90))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(440), rng.randrange(320)
        size = rng.randrange(40, 160)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + size, y + size), fill=colour)
    if scale != 1.0:
        image = image.resize((int(480 * scale), int(360 * scale)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_the_same_wordless_picture_forwarded_again_joins_its_claim(
    corpus: list[FactCheck], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture without words has no text to group by; a forwarded copy
    (smaller, recompressed) joins the first one's claim, another picture
    starts its own."""
    monkeypatch.setattr(ocr, "read_text", lambda image, **kw: "")
    first = services.tip_submit(channel="web", text="", image=photo(1))
    again = services.tip_submit(
        channel="web", text="", image=photo(1, scale=0.6, quality=45)
    )
    other = services.tip_submit(channel="web", text="", image=photo(2))
    assert first.claim is not None and again.claim is not None
    assert again.claim.pk == first.claim.pk
    assert other.claim is not None and other.claim.pk != first.claim.pk
    assert Claim.objects.get(pk=first.claim.pk).tip_count == 2
    assert Claim.objects.count() == 2


# --- matching -------------------------------------------------------------------


@needs_ocr
def test_screenshot_of_a_known_hoax_is_matched_by_its_text(
    corpus: list[FactCheck],
) -> None:
    read = image_matching.image_read(screenshot())
    result = image_matching.match_image(read)
    assert result["decision"] in ("match", "suggest")
    assert result["matches"][0]["external_id"] == "t-blt"
    assert "blt" in read.text.lower()


@needs_ocr
def test_copy_of_a_fact_checks_picture_is_a_match(story_fc: FactCheck) -> None:
    read = image_matching.image_read(screenshot(STORY, seed=7))
    result = image_matching.match_image(read)
    assert result["decision"] == "match"
    assert result["matches"][0]["id"] == story_fc.pk
    assert result["image"]["near"]


@needs_ocr
def test_a_picture_seen_in_an_answered_tip_answers_the_next_one(
    corpus: list[FactCheck],
) -> None:
    first = services.tip_submit(channel="web", text="", image=screenshot(STORY, seed=3))
    assert first.claim is not None and first.decision != "match"
    fc = FactCheck.objects.get(external_id="t-erau")
    Claim.objects.filter(pk=first.claim.pk).update(
        status=Claim.Status.PUBLISHED, factcheck=fc
    )
    again = image_matching.match_image(
        image_matching.image_read(screenshot(STORY, seed=3))
    )
    assert again["decision"] == "match" and again["matches"][0]["id"] == fc.pk


def test_unpublished_fact_checks_pictures_do_not_answer(story_fc: FactCheck) -> None:
    FactCheck.objects.filter(pk=story_fc.pk).update(status=FactCheck.Status.DRAFT)
    assert len(image_matching.index()) == 0


# --- the web form -----------------------------------------------------------------


@needs_ocr
def test_web_form_upload_of_a_known_hoax_gets_its_verdict(
    client: Client, corpus: list[FactCheck]
) -> None:
    upload = SimpleUploadedFile("wa.jpg", screenshot(), content_type="image/jpeg")
    response = client.post(TIP_URL, {"text": "", "image": upload})
    assert response.status_code == 200
    body = response.content.decode()
    tip = Tip.objects.get()
    assert tip.channel == "web" and TipImage.objects.filter(tip=tip).exists()
    if tip.decision == "match":
        assert "PENIPUAN" in body
    else:
        # Likely: the sender is asked, and "Ya" gives the verdict.
        assert tip.decision == "suggest"
        confirmation = tip.confirmation
        candidates = list(confirmation.candidates)
        n = candidates.index(FactCheck.objects.get(external_id="t-blt").pk) + 1
        answer = client.post(
            "/cek-fakta/jawab/", {"token": confirmation.token, "choice": str(n)}
        )
        assert answer.status_code == 200
        assert "PENIPUAN" in answer.content.decode()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_web_form_refuses_bad_files_in_indonesian_and_stores_nothing(
    client: Client, corpus: list[FactCheck], name: str
) -> None:
    data, words = BAD_FILES[name]
    upload = SimpleUploadedFile("kiriman.jpg", data, content_type="image/jpeg")
    response = client.post(
        TIP_URL, {"text": "", "image": upload}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    no_traces()


def test_web_form_refuses_a_15_mb_photo_unread(
    client: Client, corpus: list[FactCheck]
) -> None:
    upload = SimpleUploadedFile("besar.jpg", BIG, content_type="image/jpeg")
    response = client.post(
        TIP_URL, {"text": "", "image": upload}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    no_traces()


def test_web_form_wants_text_or_a_picture(
    client: Client, corpus: list[FactCheck]
) -> None:
    response = client.post(TIP_URL, {"text": "  "}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    no_traces()


# --- the API and the batch command ---------------------------------------------------


@needs_ocr
def test_api_match_accepts_a_multipart_image(
    client: Client, story_fc: FactCheck
) -> None:
    upload = SimpleUploadedFile("s.jpg", screenshot(STORY, seed=7), "image/jpeg")
    response = client.post("/api/v1/factcheck/match", {"image": upload, "id": "img1"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"id", "decision", "matches"}
    assert data["id"] == "img1" and data["decision"] == "match"
    assert data["matches"][0]["title"] == story_fc.title


def test_api_match_still_takes_json_text(
    client: Client, corpus: list[FactCheck]
) -> None:
    response = client.post(
        "/api/v1/factcheck/match",
        {"text": KNOWN_HOAX, "id": "q"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["matches"][0]["external_id"] == "t-blt"


@pytest.mark.parametrize("name", [*sorted(BAD_FILES), "15mb"])
def test_api_refuses_bad_files_with_a_structured_error(
    client: Client, corpus: list[FactCheck], name: str
) -> None:
    data = BIG if name == "15mb" else BAD_FILES[name][0]
    upload = SimpleUploadedFile("x.jpg", data, "image/jpeg")
    response = client.post("/api/v1/factcheck/match", {"image": upload})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "image" and body["errors"][0]["message"]
    assert set(private_files()) == _before


@needs_ocr
def test_match_claims_reads_image_lines(tmp_path: Path, story_fc: FactCheck) -> None:
    shot = tmp_path / "shot.jpg"
    shot.write_bytes(screenshot(STORY, seed=7))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(BAD_FILES["pdf-as-jpg"][0])
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {"id": "a", "image": str(shot)},
                {"id": "b", "text": KNOWN_HOAX},
                {"id": "c", "image": str(bad)},
                {"id": "d", "image": str(tmp_path / "missing.jpg"), "text": "x"},
            ]
        )
    )
    out = tmp_path / "out.jsonl"
    call_command("match_claims", input=source, output=out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[0]["decision"] == "match"
    assert rows[0]["matches"][0]["external_id"] == f"simpul-{story_fc.pk}"
    assert rows[1]["matches"][0]["external_id"] == "t-blt"
    assert rows[2]["decision"] == "invalid" and "image" in rows[2]["error"]
    assert rows[3]["decision"] == "invalid"


# --- the bots ---------------------------------------------------------------------


def _sent(fake: Any, path: str) -> list[str]:
    return [
        b.get("text") or b.get("caption") or json.dumps(b)
        for b in fake.bodies(path)
        if isinstance(b, dict)
    ]


@needs_ocr
def test_telegram_photo_of_a_fact_checked_picture_gets_the_verdict(
    client: Client, story_fc: FactCheck, hooks: Any, fake_telegram: Any
) -> None:
    fake_telegram.media["ph1"] = screenshot(STORY, seed=7)
    hooks.telegram(client, telegram_photo(1, CHAT, "ph1"))
    tip = Tip.objects.get()
    assert tip.decision == "match" and tip.matched_id == story_fc.pk
    assert TipImage.objects.filter(tip=tip).exists()
    assert any("SALAH" in text for text in _sent(fake_telegram, "/sendMessage"))
    assert any("getFile" in r.path for r in fake_telegram.requests)


@needs_ocr
def test_whatsapp_image_is_fetched_with_the_token_and_matched(
    client: Client, story_fc: FactCheck, hooks: Any, fake_whatsapp: Any
) -> None:
    fake_whatsapp.media["m1"] = screenshot(STORY, seed=7)
    hooks.whatsapp(
        client, whatsapp_payload(messages=[whatsapp_image("6281234567890", "m1", "w1")])
    )
    tip = Tip.objects.get()
    assert tip.decision == "match" and tip.matched_id == story_fc.pk
    downloads = [r for r in fake_whatsapp.requests if r.method == "GET"]
    assert len(downloads) == 2
    assert all(r.headers.get("Authorization") == "Bearer wa-token" for r in downloads)


@pytest.mark.parametrize("name", [*sorted(BAD_FILES), "15mb"])
def test_bots_answer_bad_pictures_politely_and_store_nothing(
    client: Client,
    corpus: list[FactCheck],
    hooks: Any,
    fake_telegram: Any,
    name: str,
) -> None:
    fake_telegram.media["bad"] = BIG if name == "15mb" else BAD_FILES[name][0]
    hooks.telegram(client, telegram_photo(5, CHAT, "bad"))
    no_traces()
    (reply,) = _sent(fake_telegram, "/sendMessage")
    assert reply.startswith("Maaf, gambar ini tidak dapat kami periksa.")
    assert OutboxMessage.objects.count() == 1


def test_a_picture_that_cannot_be_fetched_gets_a_polite_answer(
    client: Client, corpus: list[FactCheck], hooks: Any, fake_whatsapp: Any
) -> None:
    hooks.whatsapp(
        client,
        whatsapp_payload(messages=[whatsapp_image("6281234567890", "gone", "w9")]),
    )
    no_traces()
    (sent,) = [b for b in fake_whatsapp.bodies("/messages") if isinstance(b, dict)]
    assert "tidak dapat kami ambil" in json.dumps(sent, ensure_ascii=False)


def test_a_caption_is_still_checked_when_the_picture_is_gone(
    client: Client, corpus: list[FactCheck], hooks: Any, fake_telegram: Any
) -> None:
    hooks.telegram(client, telegram_photo(6, CHAT, "gone", caption=KNOWN_HOAX))
    tip = Tip.objects.get()
    assert tip.matched is not None and tip.matched.external_id == "t-blt"
    assert not TipImage.objects.exists()


# --- health -----------------------------------------------------------------------


def test_health_and_dashboard_say_when_image_text_is_not_read(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_user_model: Any
) -> None:
    from factcheck.hooks import image_text_check

    monkeypatch.setattr(ocr, "available", lambda: (False, "tesseract is not installed"))
    check = image_text_check()
    assert check["status"] == "degraded" and check["mode"] == "image text is not read"
    body = client.get("/healthz").content.decode()
    assert "image text is not read" in body


# --- the desk ---------------------------------------------------------------------


def test_a_picture_attached_at_the_desk_answers_image_tips(
    client: Client, corpus: list[FactCheck], make_user: Any
) -> None:
    from factcheck.tests.test_edit import edit_url, form_data

    fc = FactCheck.objects.get(external_id="t-tower")
    client.force_login(make_user("fact_checker", "64"))
    upload = SimpleUploadedFile("hoaks.png", png_bytes(render_chat(STORY, seed=7)))
    response = client.post(edit_url(fc), form_data(fc, image=upload))
    assert response.status_code == 302
    stored = FactCheckImage.objects.get(factcheck=fc)
    assert stored.source == ImageSource.DESK
    assert str(Path(settings.FACTCHECK_PRIVATE_DIR)) in stored.file.path
    hits = image_matching.index().search(stored.phash, stored.signature)
    assert hits[0].owner == fc.pk and hits[0].near


def test_tip_pictures_are_shown_to_the_desk_only(
    client: Client, corpus: list[FactCheck], make_user: Any
) -> None:
    outcome = services.tip_submit(channel="web", text=STORY, image=jpeg((200, 100)))
    assert outcome.tip is not None and outcome.claim is not None
    url = f"/staf/cek-fakta/gambar/{outcome.tip.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("kim_member", "64"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("fact_checker", "64"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    page = client.get(f"/staf/cek-fakta/klaim/{outcome.claim.pk}/")
    assert url in page.content.decode()
    assert "/media/" not in str(outcome.tip.image.file.name)


def test_a_picture_whose_tip_rolled_back_is_swept_and_stored_ones_stay(
    corpus: list[FactCheck],
) -> None:
    """The file is written inside the tip's transaction; when an outer one
    rolls back, the sweep removes the orphan (a tipster's picture) and keeps
    every file a row names, and files too young to judge."""
    from datetime import timedelta

    from django.db import transaction

    from factcheck.services.images import private_files_sweep

    kept = services.tip_submit(channel="web", text="", image=screenshot(seed=3))
    assert kept.tip is not None
    kept_path = Path(TipImage.objects.get(tip=kept.tip).file.path)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.tip_submit(channel="web", text="", image=screenshot(seed=5))
        raise Abort
    orphans = set(private_files()) - _before - {kept_path}
    assert len(orphans) == 1 and TipImage.objects.count() == 1

    assert private_files_sweep() == 0  # an hour has not passed
    assert private_files_sweep(older_than=timedelta(0)) >= 1
    assert not any(p.exists() for p in orphans)
    assert kept_path.is_file()
    assert private_files_sweep(older_than=timedelta(0)) == 0
