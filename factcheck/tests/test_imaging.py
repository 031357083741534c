"""The pure image parts: content checks, metadata removal, hashes, the index,
and OCR (skipped where Tesseract or its Indonesian data is missing)."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from factcheck import clustering, imaging, ocr
from factcheck.tests.screenshots import degrade, png_bytes, render_chat

MESSAGE = (
    "BLT Provinsi Kaltim Rp600.000 cair hari ini, daftar di blt-kaltim-2026.xyz "
    "dengan NIK dan foto KTP sebelum ditutup. Sebarkan ke grup keluarga!"
)
OTHER = (
    "Listrik Samarinda dan Balikpapan padam total tiga hari mulai besok, segera "
    "isi air dan siapkan lilin di rumah masing-masing."
)


def jpeg(size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that says it is width x height but holds (almost) no pixels: a
    decompression bomb's header, without the bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def picture(seed: int) -> Image.Image:
    """A photo-like picture: a gradient with coloured discs."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, size = rng.randint(0, 380), rng.randint(0, 280), rng.randint(20, 120)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.ellipse((x, y, x + size, y + size), fill=colour)
    return image


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"just some text, not a picture at all", "not_image"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "not_image"),
        (jpeg()[:200], "truncated"),
        (png_header_only(20_000, 20_000), "too_many_pixels"),
        (animated_gif(), "animated"),
        (b"\xff\xd8\xff\xe0" + b"\0" * (15 * 1024 * 1024), "too_large"),
    ],
    ids=["empty", "text", "pdf-renamed", "truncated", "bomb", "gif", "15mb"],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(imaging.ImageRefused) as refused:
        imaging.image_clean(data)
    assert refused.value.code == code


def test_bmp_is_not_among_the_accepted_formats() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    with pytest.raises(imaging.ImageRefused) as refused:
        imaging.image_check(buffer.getvalue())
    assert refused.value.code == "format"


def test_exif_and_gps_are_removed_and_the_photo_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show it upright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (1.0, 15.0, 30.0)}  # GPS latitude
    data = jpeg((80, 40), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()
    clean = imaging.image_clean(data)
    stored = Image.open(io.BytesIO(clean.jpeg))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert b"PhoneMaker" not in clean.jpeg and b"Exif" not in clean.jpeg
    assert (clean.width, clean.height) == (40, 80)


def test_transparent_png_is_flattened_and_large_ones_shrunk() -> None:
    image = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))
    clean = imaging.image_clean(png_bytes(image))
    assert clean.image.mode == "RGB"
    assert max(clean.width, clean.height) == imaging.STORED_SIDE
    assert clean.image.getpixel((10, 10)) == (255, 255, 255)


def test_the_same_picture_is_near_and_another_is_not() -> None:
    photo, other = picture(1), picture(2)
    rows: list[tuple[int, str, list[int]]] = [
        (1, imaging.phash(photo), []),
        (2, imaging.phash(other), []),
    ]
    index = imaging.HashIndex(rows)
    # Re-shared: smaller, recompressed (crops are the text's job, below).
    buffer = io.BytesIO()
    photo.resize((240, 180)).save(buffer, "JPEG", quality=45)
    copy = imaging.image_clean(buffer.getvalue()).image
    hits = index.search(imaging.phash(copy))
    assert hits and hits[0].owner == 1 and hits[0].near
    assert all(h.owner != 2 or not h.near for h in hits)


def test_screenshots_alike_are_told_apart_by_their_text() -> None:
    """Two chat screenshots may hash a few bits apart: their text decides."""
    a, b = render_chat(MESSAGE, seed=1), render_chat(OTHER, seed=1)
    sig_a, sig_b = clustering.minhash(MESSAGE), clustering.minhash(OTHER)
    index = imaging.HashIndex(
        [(1, imaging.phash(a), sig_a), (2, imaging.phash(b), sig_b)]
    )
    hits = index.search(imaging.phash(b), sig_a)
    assert hits[0].owner == 1 and hits[0].near
    assert not any(h.owner == 2 and h.near for h in hits)


def test_index_keeps_each_owner_once_and_an_empty_index_finds_nothing() -> None:
    assert imaging.HashIndex().search("0" * 16) == []
    index = imaging.HashIndex([(7, "f" * 16, []), (7, "f" * 15 + "e", [])])
    assert [h.owner for h in index.search("f" * 16)] == [7]
    assert imaging.hamming("ff", "fe") == 1


needs_ocr = pytest.mark.skipif(
    not ocr.available()[0], reason=f"no OCR here: {ocr.available()[1]}"
)


@needs_ocr
def test_ocr_reads_a_degraded_chat_screenshot() -> None:
    shot = imaging.image_clean(degrade(render_chat(MESSAGE, seed=5), seed=9))
    text = ocr.read_text(shot.image)
    sim = clustering.similarity(clustering.minhash(text), clustering.minhash(MESSAGE))
    assert "Kaltim" in text or "KTP" in text
    assert sim >= 0.4


def test_without_tesseract_no_text_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.available.cache_clear()
    try:
        ok, reason = ocr.available()
        assert not ok and "tesseract" in reason
        assert ocr.read_text(Image.new("RGB", (50, 50))) == ""
    finally:
        ocr.available.cache_clear()
