"""Where Django meets image tips: an image read (checked, hashed, its text read
by OCR), compared with the images of published fact-checks and of tips whose
claim a fact-check answered, and its text matched like any message. Both
signals give one result in ``matching_service.match``'s shape.

The pure parts are ``factcheck.imaging`` (checks, hash, index) and
``factcheck.ocr`` (Tesseract).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from factcheck import clustering, imaging, matching_service, ocr
from factcheck.models import Claim, Decision, FactCheck, FactCheckImage, TipImage


@dataclass(frozen=True)
class ImageRead:
    clean: imaging.CleanImage
    phash: str
    text: str  # read by OCR ("" when Tesseract is missing)
    signature: list[int]  # MinHash of that text
    seconds: float


def refusal(code: str) -> str:
    """What the sender is told when their file is refused (Indonesian catalogue)."""
    messages = {
        "empty": _("The file is empty."),
        "too_large": _(
            "The image is larger than 10 MB. Send a screenshot or a smaller photo."
        ),
        "not_image": _("This file is not a photo. Send a JPEG, PNG or WebP image."),
        "format": _("This file is not a photo. Send a JPEG, PNG or WebP image."),
        "animated": _(
            "Moving images (GIF, animations) cannot be checked. Send a screenshot "
            "of it instead."
        ),
        "too_many_pixels": _(
            "The image is too large (more than 40 megapixels). Send a screenshot "
            "or a smaller photo."
        ),
        "truncated": _("The image is damaged or incomplete. Please send it again."),
    }
    return messages.get(code, messages["not_image"])


def image_read(data: bytes) -> ImageRead:
    """Check and read an image, or ``ValidationError({"image": …}, code=…)``."""
    started = time.perf_counter()
    try:
        clean = imaging.image_clean(data)
    except imaging.ImageRefused as exc:
        raise ValidationError(
            {"image": ValidationError(refusal(exc.code), code=exc.code)}
        ) from exc
    text = ocr.read_text(clean.image)
    return ImageRead(
        clean=clean,
        phash=imaging.phash(clean.image),
        text=text,
        signature=clustering.minhash(text) if text else [],
        seconds=time.perf_counter() - started,
    )


def ocr_status() -> dict[str, Any]:
    """For /healthz and the staff dashboard: whether text in images is read."""
    ok, reason = ocr.available()
    return {"image_text": "read" if ok else "not read", "image_text_reason": reason}


def index() -> imaging.HashIndex:
    """Every image that answers for a published fact-check: its own images, and
    pictures of tips whose claim a published fact-check answered."""
    published = FactCheck.Status.PUBLISHED
    rows: list[tuple[int, str, list[int]]] = list(
        FactCheckImage.objects.filter(factcheck__status=published).values_list(
            "factcheck_id", "phash", "signature"
        )
    )
    rows += [
        (fc, phash, sig)
        for fc, phash, sig in TipImage.objects.filter(
            Q(tip__claim__status=Claim.Status.PUBLISHED)
            & Q(tip__claim__factcheck__status=published)
        ).values_list("tip__claim__factcheck_id", "phash", "signature")
        if fc is not None
    ]
    return imaging.HashIndex(rows)


def image_hits(read: ImageRead, *, top: int = 10) -> list[imaging.ImageHit]:
    return index().search(read.phash, read.signature, limit=top)


def combine(
    hits: list[imaging.ImageHit], text_result: dict[str, Any] | None, *, top: int
) -> dict[str, Any]:
    """One result from the picture's hits and its text's: a near-duplicate
    picture is a ``match``; else the text's decision, raised to ``suggest`` by a
    likely picture."""

    @dataclass
    class _Hit:
        id: str
        score: float

    text_matches = (text_result or {}).get("matches", [])
    text_decision = (text_result or {}).get("decision", Decision.NONE)
    image_first = [_Hit(str(h.owner), h.score) for h in hits]
    by_text = [_Hit(str(m["id"]), float(m["score"])) for m in text_matches]
    if hits and hits[0].near:
        decision, ordered = Decision.MATCH, image_first + by_text
    elif text_decision == Decision.MATCH:
        decision, ordered = Decision.MATCH, by_text + image_first
    elif hits or text_decision == Decision.SUGGEST:
        decision, ordered = Decision.SUGGEST, image_first + by_text
    else:
        decision, ordered = Decision.NONE, by_text
    first: dict[str, _Hit] = {}
    for hit in ordered:
        first.setdefault(hit.id, hit)  # each fact-check once, where it ranks best
    unique = list(first.values())
    return matching_service.describe(unique[:top], str(decision))


def match_image(read: ImageRead, *, text: str = "", top: int = 10) -> dict[str, Any]:
    """``matching_service.match``'s result for a picture (and the text sent
    with it), plus ``"image": {"phash", "text", "near"}``."""
    from factcheck.services import tip_text_clean

    hits = image_hits(read, top=top)
    words = "\n".join(part for part in (text, read.text) if part.strip())
    text_result = None
    try:
        cleaned = tip_text_clean(words)
    except ValidationError:
        cleaned = ""  # too little text in and around the picture
    if cleaned:
        text_result = matching_service.match(cleaned, top=top)
    result = combine(hits, text_result, top=top)
    result["image"] = {
        "phash": read.phash,
        "text": read.text,
        "near": bool(hits and hits[0].near),
    }
    return result
