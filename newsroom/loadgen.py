"""The newsroom's part of the generated national load: articles by the KIMs
(four in five) and by the Diskominfo offices, mostly published over the last
years, with their search document filled as the services fill it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from core import synthetic
from core.loadgen import LoadContext, LoadGenError
from network.models import Kim
from newsroom import content
from newsroom.models import Article, Kind
from regions.models import Region

MODELS = ("newsroom.Article",)


def check() -> str:
    if Region.objects.filter(level=Region.Level.REGENCY).exists():
        return ""
    return "No regencies in the database: import the regions first."


def generate(ctx: LoadContext) -> None:
    rng = ctx.rng("newsroom")
    kims = list(Kim.objects.values_list("pk", "region_id"))
    offices = list(
        Region.objects.filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
        ).values_list("kode", flat=True)
    )
    if not offices:
        raise LoadGenError(check())
    ctx.write(
        Article,
        [
            "id",
            "kind",
            "title",
            "slug",
            "lead",
            "body",
            "status",
            "kim_id",
            "office_id",
            "region_id",
            "factcheck_url",
            "search_document",
            "reading_minutes",
            "created_at",
            "updated_at",
            "published_at",
        ],
        _articles(ctx.next_id(Article), ctx.count("articles"), kims, offices, rng),
    )


def _articles(
    first: int,
    count: int,
    kims: list[tuple[int, str]],
    offices: list[str],
    rng: random.Random,
) -> Iterator[tuple[Any, ...]]:
    kinds = [k for k in Kind.values if k != Kind.HOAX_CLARIFICATION] * 5 + [
        Kind.HOAX_CLARIFICATION.value
    ]
    statuses = ["published"] * 90 + ["draft"] * 5 + ["submitted"] * 5
    bodies = []
    for _ in range(300):
        html = "".join(
            f"<p>{synthetic.paragraph(rng, rng.randint(2, 5))}</p>"
            for _ in range(rng.randint(3, 8))
        )
        bodies.append(
            (html, content.search_document(html), content.reading_minutes(html))
        )
    now = timezone.now()
    for i in range(count):
        pk = first + i
        title = synthetic.title(rng)
        lead = synthetic.sentence(rng)
        body, body_doc, minutes = rng.choice(bodies)
        kind = rng.choice(kinds)
        status = rng.choice(statuses)
        if kims and rng.random() < 0.8:
            kim, region = rng.choice(kims)
            office = None
        else:
            kim, region = None, rng.choice(offices)
            office = region
        when = now - timedelta(seconds=int(rng.random() * 86400 * 365 * 4))
        yield (
            pk,
            kind,
            title,
            f"{slugify(title)[:200]}-{pk}",
            lead,
            body,
            status,
            kim,
            office,
            region,
            "https://cekfakta.example.id/" if kind == Kind.HOAX_CLARIFICATION else "",
            content.fold(f"{title} {lead}") + " " + body_doc,
            minutes,
            when,
            when,
            when if status == "published" else None,
        )
