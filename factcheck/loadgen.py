"""The fact-check desk's part of the generated national load: published
fact-checks (a few withdrawn) from the country's fact-checkers, two in five tied
to a province or regency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.utils import timezone

from core import synthetic
from core.loadgen import LoadContext
from factcheck.models import FactCheck, Topic, Verdict
from regions.models import Region

MODELS = ("factcheck.FactCheck",)
PUBLISHERS = (
    "Diskominfo",
    "Kominfo",
    "turnbackhoax.id (Mafindo)",
    "Cek Fakta Tempo",
    "Kompas.com Cek Fakta",
    "Liputan6 Cek Fakta",
)
HOAX_VERDICTS = [
    Verdict.SALAH,
    Verdict.HOAKS,
    Verdict.DISINFORMASI,
    Verdict.PENIPUAN,
    Verdict.KONTEN_DIMANIPULASI,
    Verdict.MENYESATKAN,
    Verdict.KONTEKS_KELIRU,
]


def generate(ctx: LoadContext) -> None:
    rng = ctx.rng("factcheck")
    first = ctx.next_id(FactCheck)
    count = ctx.count("factchecks")
    ctx.write(
        FactCheck,
        [
            "id",
            "title",
            "claim_reviewed",
            "verdict",
            "topic",
            "explanation",
            "conclusion",
            "publisher",
            "published_on",
            "url",
            "status",
            "withdrawn_at",
            "withdrawal_reason",
            "created_at",
        ],
        _factchecks(first, count, rng),
    )
    areas = list(
        Region.objects.filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
        ).values_list("kode", flat=True)
    )
    if areas:
        through = FactCheck.regions.through
        ctx.write(
            through,
            ["factcheck_id", "region_id"],
            (
                (first + i, rng.choice(areas))
                for i in range(count)
                if rng.random() < 0.4
            ),
        )


def _factchecks(first: int, count: int, rng: Any) -> Iterator[tuple[Any, ...]]:
    today = timezone.localdate()
    now = timezone.now()
    topics = Topic.values
    verdicts = [v.value for v in HOAX_VERDICTS]
    explanations = [synthetic.paragraph(rng, 5) for _ in range(500)]
    for i in range(count):
        pk = first + i
        claim = synthetic.hoax_claim(rng)
        verdict = rng.choice(verdicts)
        title = f"[{verdict.upper()}] {claim}"[:300]
        withdrawn = rng.random() < 0.01
        yield (
            pk,
            title,
            claim,
            verdict,
            rng.choice(topics),
            rng.choice(explanations),
            synthetic.sentence(rng),
            rng.choice(PUBLISHERS),
            today - timedelta(days=int(rng.random() * 365 * 7)),
            f"https://cekfakta.example.id/{pk}",
            "withdrawn" if withdrawn else "published",
            now if withdrawn else None,
            synthetic.sentence(rng) if withdrawn else "",
            now,
        )
