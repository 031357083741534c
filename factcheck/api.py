from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import ValidationError as PydanticValidationError

from accounts.api_auth import api_user, token_or_session
from core.api import found_or_404
from core.pagination import Mapped, paged
from factcheck import image_matching, imaging, matching_service, selectors, services
from factcheck.models import Channel, Claim, FactCheck, Topic, Verdict
from regions.models import Region

router = Router(tags=["factcheck"])


class MatchIn(Schema):
    text: Any = None
    id: str | None = Field(None, max_length=200)


class MatchItem(Schema):
    external_id: str
    score: float
    verdict: str
    title: str


class MatchOut(Schema):
    id: str | None
    decision: str
    matches: list[MatchItem]


class TipIn(Schema):
    text: Any = None
    region: str | None = Field(None, max_length=13)


class TipOut(Schema):
    decision: str
    reply: str
    claim: int | None
    topic: str | None  # the claim's
    factcheck: int | None
    matches: list[MatchItem]


class FactCheckItem(Schema):
    id: int
    title: str
    verdict: str
    verdict_label: str
    topic: str
    topic_label: str
    publisher: str
    published_on: date | None
    url: str
    page: str


class FactCheckDetail(FactCheckItem):
    claim_reviewed: str
    explanation: str
    conclusion: str
    references: list[str]
    author: str
    language: str
    regions: list[str]
    external_id: str


class FactCheckFilters(Schema):
    q: str = Field("", max_length=100)
    verdict: str = Field("", max_length=24)
    topic: str = Field("", max_length=16)


class ClaimItem(Schema):
    id: int
    text: str
    status: str
    topic: str
    tip_count: int
    first_seen_at: Any
    last_seen_at: Any
    factcheck: int | None = Field(alias="factcheck_id")
    spread: int


def _item(fc: FactCheck) -> dict[str, Any]:
    return {
        "id": fc.pk,
        "title": fc.title,
        "verdict": fc.verdict,
        "verdict_label": fc.verdict_label,
        "topic": fc.topic,
        "topic_label": str(fc.get_topic_display()),
        "publisher": fc.publisher,
        "published_on": fc.published_on,
        "url": fc.url,
        "page": fc.get_absolute_url(),
    }


def _matches(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {k: m[k] for k in ("external_id", "score", "verdict", "title")}
        for m in result["matches"]
    ]


_MATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": MatchIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "id": {"type": "string", "maxLength": 200},
                        "image": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}


def _match_input(request: HttpRequest) -> tuple[Any, str | None, bytes | None]:
    """``(text, id, image bytes)`` from a JSON body or a multipart form."""
    if (request.content_type or "").startswith("multipart/"):
        upload = request.FILES.get("image")
        qid = request.POST.get("id")
        if upload is not None and (upload.size or 0) > imaging.MAX_BYTES:
            raise DjangoValidationError(
                {"image": image_matching.refusal("too_large")}, code="too_large"
            )
        image = bytes(upload.read()) if upload is not None else None
        return request.POST.get("text"), qid[:200] if qid else None, image
    try:
        payload = MatchIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise ValidationError(
            [{"loc": ["body", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        ) from exc
    return payload.text, payload.id, None


@router.post("/factcheck/match", response=MatchOut, openapi_extra=_MATCH_BODY)
def match(request: HttpRequest) -> dict[str, Any]:
    """Has this message been fact-checked? The same object as a line of
    ``manage.py match_claims``: ``{"id", "decision", "matches"}``.

    JSON ``{"text", "id"}``, or a multipart form with ``image`` (JPEG, PNG or
    WebP, at most 10 MB) beside or instead of ``text``: a near-duplicate of a
    fact-check's picture is a ``match``; the text read in it is matched too."""
    text, qid, image = _match_input(request)
    if image is None:
        result = matching_service.match(services.tip_text_clean(text), top=10)
    else:
        read = image_matching.image_read(image)
        caption = text if isinstance(text, str) else ""
        result = image_matching.match_image(read, text=caption, top=10)
    return {"id": qid, "decision": result["decision"], "matches": _matches(result)}


@router.post("/factcheck/tips", response=TipOut)
def submit_tip(request: HttpRequest, payload: TipIn) -> dict[str, Any]:
    """Send a tip (e.g. from a KIM's own app): the answer, and the claim it joined."""
    region = None
    if payload.region:
        region = Region.objects.filter(kode=payload.region).first()
        if region is None:
            raise HttpError(400, f"Kode wilayah {payload.region} tidak dikenal.")
    outcome = services.tip_submit(channel=Channel.API, text=payload.text, region=region)
    return {
        "decision": outcome.decision,
        "reply": outcome.reply,
        "claim": outcome.claim.pk if outcome.claim else None,
        "topic": outcome.claim.topic if outcome.claim else None,
        "factcheck": outcome.factcheck.pk if outcome.factcheck else None,
        "matches": _matches({"matches": outcome.matches}),
    }


@router.get("/factcheck/factchecks", response=list[FactCheckItem])
@paged(20)
def list_factchecks(request: HttpRequest, filters: Query[FactCheckFilters]) -> Mapped:
    if filters.verdict and filters.verdict not in Verdict.values:
        raise HttpError(400, f"Vonis tidak dikenal: {filters.verdict}.")
    if filters.topic and filters.topic not in Topic.values:
        raise HttpError(400, f"Topik tidak dikenal: {filters.topic}.")
    items = selectors.factcheck_public_list(
        q=filters.q, verdict=filters.verdict, topic=filters.topic
    )
    return Mapped(items, _item)


@router.get("/factcheck/factchecks/{factcheck_id}", response=FactCheckDetail)
def get_factcheck(request: HttpRequest, factcheck_id: int) -> dict[str, Any]:
    fc = found_or_404(
        selectors.factcheck_public_get(pk=factcheck_id), "Cek fakta tidak ditemukan."
    )
    return {
        **_item(fc),
        "claim_reviewed": fc.claim_reviewed,
        "explanation": fc.explanation,
        "conclusion": fc.conclusion,
        "references": fc.references,
        "author": fc.author,
        "language": fc.language,
        "regions": [r.kode for r in fc.regions.all()],
        "external_id": fc.external_id,
    }


@router.get("/factcheck/claims", response=list[ClaimItem], auth=token_or_session)
@paged(50)
def list_claims(
    request: HttpRequest, status: str = "open", topic: str = ""
) -> QuerySet[Claim]:
    """The desk queue, by spread (fact-checkers and editors); ``topic`` keeps
    the claims of one topic."""
    if status not in ("open", "all", *Claim.Status.values):
        raise HttpError(400, f"Status tidak dikenal: {status}.")
    if topic and topic not in Topic.values:
        raise HttpError(400, f"Topik tidak dikenal: {topic}.")
    return selectors.claim_list(actor=api_user(request), status=status, topic=topic)


class TopicIn(Schema):
    topic: str = Field(..., max_length=16)


@router.post(
    "/factcheck/claims/{claim_id}/topic", response=ClaimItem, auth=token_or_session
)
def set_claim_topic(request: HttpRequest, claim_id: int, payload: TopicIn) -> Claim:
    """Correct a claim's topic (the desk): its tips count under the new one."""
    actor = api_user(request)
    claim = found_or_404(
        selectors.claim_get(actor=actor, pk=claim_id), "Klaim tidak ditemukan."
    )
    services.claim_set_topic(actor=actor, claim=claim, topic=payload.topic)
    return selectors.claim_list(actor=actor, status="all").get(pk=claim.pk)
