"""schema.org ClaimReview for a fact-check's public page (read by search engines
and by other fact-checkers' importers)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from factcheck.models import FactCheck
from factcheck.verdicts import verdict_rating


def claimreview(factcheck: FactCheck, *, page_url: str) -> dict[str, Any]:
    claim = factcheck.claim_reviewed or factcheck.title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        # Our page is the review's address; an imported one credits the page it
        # was imported from as its source.
        "url": page_url,
        "headline": factcheck.title,
        "datePublished": (
            factcheck.published_on or timezone.localdate(factcheck.created_at)
        ).isoformat(),
        "claimReviewed": claim[:1000],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict_rating(factcheck.verdict),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": factcheck.verdict_label,
        },
        "author": {"@type": "Organization", "name": factcheck.publisher},
        "itemReviewed": {
            "@type": "Claim",
            "name": claim[:300],
            "appearance": [],
        },
        "inLanguage": factcheck.language or "id",
    }
    if factcheck.url and factcheck.url != page_url:
        data["isBasedOn"] = factcheck.url
        data["sameAs"] = factcheck.url
    if factcheck.claim_author:
        data["itemReviewed"]["author"] = {
            "@type": "Thing",
            "name": factcheck.claim_author,
        }
    data["itemReviewed"]["appearance"] = [
        {"@type": "CreativeWork", "url": url} for url in factcheck.claim_appearances
    ]
    if factcheck.claim_appearances:
        data["itemReviewed"]["firstAppearance"] = data["itemReviewed"]["appearance"][0]
    if factcheck.author:
        data["author"]["member"] = {"@type": "Person", "name": factcheck.author}
    if factcheck.conclusion:
        data["reviewBody"] = factcheck.conclusion
    regions = [r.name for r in factcheck.regions.all()]
    if regions:
        data["itemReviewed"]["spatialCoverage"] = regions
    if not data["itemReviewed"]["appearance"]:
        del data["itemReviewed"]["appearance"]
    return data
