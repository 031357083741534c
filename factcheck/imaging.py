"""Images of tips and fact-checks, without Django: checked by their content,
re-encoded without their metadata, and reduced to a perceptual hash that
survives screenshots, crops, resizing and JPEG.

- ``image_check(data)`` opens the bytes as an image or raises ``ImageRefused``
  with a code (``too_large``, ``empty``, ``not_image``, ``format``, ``animated``,
  ``too_many_pixels``, ``truncated``); the caller words the message.
- ``image_clean`` gives the upright RGB picture (EXIF orientation applied) and
  its JPEG re-encoding, which carries no EXIF/GPS/XMP at all.
- ``phash`` is ImageHash's pHash (64 bits; PDQ's ``pdqhash`` has no wheel for
  this Python), as 16 hex digits.
- ``HashIndex`` finds the nearest stored hashes by Hamming distance (numpy's
  popcount over one uint64 array: 100,000 hashes take about a millisecond).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 Mpx: a 20,000 x 20,000 "bomb" is refused unread
FORMATS = {"JPEG", "PNG", "WEBP"}
STORED_SIDE = 2048  # longest side kept; hashing and OCR need no more
STORED_QUALITY = 88

# Pillow's own bomb guard (a warning, then an error at twice this) stays on
# behind ours.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRefused(ValueError):
    """The bytes are not an image we accept; ``code`` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class CleanImage:
    image: Image.Image  # RGB, upright, at most STORED_SIDE on its longest side
    jpeg: bytes  # what is stored: re-encoded, no metadata
    width: int
    height: int
    source_format: str


def image_check(data: bytes) -> Image.Image:
    """The decoded image (fully loaded), or ``ImageRefused``."""
    if not data:
        raise ImageRefused("empty")
    if len(data) > MAX_BYTES:
        raise ImageRefused("too_large", f"{len(data)} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format or ""
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            if fmt == "GIF" and frames > 1:
                raise ImageRefused("animated", "GIF")
            if fmt not in FORMATS:
                raise ImageRefused("format", fmt or "unknown")
            if width * height > MAX_PIXELS:
                raise ImageRefused("too_many_pixels", f"{width}x{height}")
            if frames > 1:
                raise ImageRefused("animated", fmt)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here, not later
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("too_many_pixels", str(exc)) from exc
    except Image.UnidentifiedImageError as exc:
        raise ImageRefused("not_image") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused("truncated", str(exc)[:100]) from exc
    return image


def image_clean(data: bytes) -> CleanImage:
    """Check, turn upright, flatten to RGB, shrink and re-encode the image."""
    image = image_check(data)
    fmt = image.format or ""
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block: the pixels are still fine
        upright = None
    image = upright or image
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if max(image.size) > STORED_SIDE:
        image.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=/icc_profile= given: Pillow writes none of the original's metadata.
    image.save(out, "JPEG", quality=STORED_QUALITY, optimize=True)
    return CleanImage(image, out.getvalue(), image.width, image.height, fmt)


def phash(image: Image.Image) -> str:
    """pHash (DCT of the 32x32 greyscale picture, 64 bits) as 16 hex digits."""
    import imagehash

    return str(imagehash.phash(image, hash_size=8))


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


# Two pictures are the same when the text read in them is (screenshots of
# different chats look alike to a 64-bit hash), or when their hashes are nearly
# equal and their texts do not disagree. Measured on degraded chat screenshots
# (bench/claim_images.py): the same picture's text scores 0.5-1.0, another's
# 0.0-0.4; hashes of two different screenshots can be 4 bits apart.
NEAR_TEXT = 0.5
LIKELY_TEXT = 0.25
NEAR_DISTANCE = 4
LIKELY_DISTANCE = 8
SIGNATURE = 64


@dataclass(frozen=True)
class ImageHit:
    owner: int
    distance: int
    text_similarity: float
    score: float
    near: bool


def _judge(owner: int, distance: int, text_sim: float, texts: bool) -> ImageHit:
    """``texts``: both pictures have text to compare."""
    agree = not texts or text_sim >= LIKELY_TEXT
    near = text_sim >= NEAR_TEXT or (distance <= NEAR_DISTANCE and agree)
    by_hash = 1.0 - distance / 32 if distance <= LIKELY_DISTANCE and agree else 0.0
    score = max(text_sim, by_hash)
    return ImageHit(owner, distance, round(text_sim, 4), round(score, 4), near)


class HashIndex:
    """Perceptual hashes and text signatures of many images, each with an owner
    (a fact-check id); an owner may have several images."""

    def __init__(self, rows: Sequence[tuple[int, str, Sequence[int]]] = ()) -> None:
        self.owners = np.array([row[0] for row in rows], dtype=np.int64)
        self.hashes = np.array([int(row[1], 16) for row in rows], dtype=np.uint64)
        self.signatures = np.zeros((len(rows), SIGNATURE), dtype=np.int64)
        self.has_text = np.zeros(len(rows), dtype=bool)
        for i, row in enumerate(rows):
            if len(row[2]) == SIGNATURE:
                self.signatures[i] = row[2]
                self.has_text[i] = True

    def __len__(self) -> int:
        return int(self.hashes.size)

    def search(
        self, value: str, signature: Sequence[int] = (), *, limit: int = 10
    ) -> list[ImageHit]:
        """The owners whose images are likely the same picture, best first
        (each owner once, by its best image), at most ``limit``."""
        if not self.hashes.size:
            return []
        distances = np.bitwise_count(self.hashes ^ np.uint64(int(value, 16)))
        query_text = len(signature) == SIGNATURE
        if query_text:
            query = np.asarray(signature, dtype=np.int64)
            sims = (self.signatures == query).mean(axis=1) * self.has_text
        else:
            sims = np.zeros(self.hashes.size)
        # Only rows that can be likely at all are judged one by one.
        rows = np.nonzero((distances <= LIKELY_DISTANCE) | (sims >= LIKELY_TEXT))[0]
        best: dict[int, ImageHit] = {}
        for i in rows:
            hit = _judge(
                int(self.owners[i]),
                int(distances[i]),
                float(sims[i]),
                query_text and bool(self.has_text[i]),
            )
            if hit.score <= 0 and not hit.near:
                continue
            kept = best.get(hit.owner)
            if kept is None or (hit.near, hit.score) > (kept.near, kept.score):
                best[hit.owner] = hit
        ranked = sorted(best.values(), key=lambda h: (h.near, h.score), reverse=True)
        return ranked[:limit]
