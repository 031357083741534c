"""schema.org ClaimReview for a fact-check's public page (read by search engines
and by other fact-checkers' importers)."""

from __future__ import annotations

from typing import Any

from factcheck.models import FactCheck
from factcheck.verdicts import verdict_rating


def claimreview(factcheck: FactCheck, *, page_url: str) -> dict[str, Any]:
    claim = factcheck.claim_reviewed or factcheck.title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": factcheck.url if (factcheck.url and not factcheck.is_own) else page_url,
        "headline": factcheck.title,
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
    if factcheck.published_on:
        data["datePublished"] = factcheck.published_on.isoformat()
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
