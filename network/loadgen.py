"""The KIM network's part of the generated national load: a KIM per village
(as many as the scale asks, spread over the whole country), their members (one
chair each) and years of reported activities."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.utils import timezone

from core import synthetic
from core.loadgen import LoadContext, LoadGenError
from network.models import Activity, FocusArea, Kim, Membership, Person
from regions.models import Region

MODELS = ("network.Kim", "network.Person", "network.Membership", "network.Activity")
NO_VILLAGES = (
    "No villages in the database: import the regions first "
    "(manage.py import_regions --source <shared>/data/regions/indonesia for the "
    "whole country, or without --source for Kaltim)."
)


def check() -> str:
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    return "" if villages.exists() else NO_VILLAGES


def _villages() -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(level=Region.Level.VILLAGE, retired_at__isnull=True)
        .order_by("kode")
        .values_list("kode", "name")
    )


def generate(ctx: LoadContext) -> None:
    villages = _villages()
    if not villages:
        raise LoadGenError(NO_VILLAGES)
    rng = ctx.rng("network")
    n_kims = ctx.count("kims")
    # One KIM per village while there are villages enough (the national file
    # has 83,762); with fewer (Kaltim only, a test), villages take turns.
    if n_kims <= len(villages):
        picked = sorted(rng.sample(villages, n_kims))
    else:
        picked = [villages[i % len(villages)] for i in range(n_kims)]
    kim_first = ctx.next_id(Kim)
    kims = _kims(ctx, picked, kim_first, rng)
    kim_ids = [k[0] for k in kims]
    kim_codes = {k[0]: k[1] for k in kims}
    person_first = ctx.next_id(Person)
    n_members = ctx.count("members")
    ctx.write(
        Person,
        ["id", "full_name", "phone", "public_contact", "created_at"],
        _people(person_first, n_members, len(kim_ids), rng),
    )
    ctx.write(
        Membership,
        ["kim_id", "person_id", "role", "is_coordinator", "joined_on", "created_at"],
        _memberships(kim_ids, person_first, n_members, rng),
    )
    ctx.write(
        Activity,
        [
            "kim_id",
            "district_code",
            "regency_code",
            "kind",
            "focus",
            "title",
            "description",
            "date",
            "place",
            "participants",
            "status",
            "reviewed_at",
            "created_at",
        ],
        _activities(kim_ids, kim_codes, ctx.count("activities"), rng),
    )


def _kims(
    ctx: LoadContext, picked: list[tuple[str, str]], first: int, rng: Any
) -> list[tuple[int, str]]:
    statuses = ["active"] * 90 + ["dormant"] * 8 + ["dissolved"] * 2
    levels = ["pemula"] * 60 + ["madya"] * 30 + ["utama"] * 10
    focus = FocusArea.values
    today = timezone.localdate()
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    for i, (code, village) in enumerate(picked):
        turn = seen.get(code, 0)
        seen[code] = turn + 1
        name = synthetic.kim_name(rng, village)
        if turn:
            name = f"{name} {turn + 1}"[:150]
        founded = today - timedelta(days=rng.randint(60, 365 * 12))
        rows.append(
            (
                first + i,
                name,
                code,
                code[:8],
                code[:5],
                f"Jl. {rng.choice(synthetic.FAMILY_NAMES)} No. {rng.randint(1, 120)}",
                rng.choice(statuses),
                rng.choice(levels),
                rng.sample(focus, rng.randint(1, 3)),
                synthetic.paragraph(rng, 2, village),
                founded,
                now,
            )
        )
    ctx.write(
        Kim,
        [
            "id",
            "name",
            "region_id",
            "district_code",
            "regency_code",
            "address",
            "status",
            "level",
            "focus_areas",
            "description",
            "founded_on",
            "created_at",
        ],
        rows,
    )
    return [(r[0], r[2]) for r in rows]


def _people(first: int, count: int, kims: int, rng: Any) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    for i in range(count):
        pk = first + i
        chair = i < kims
        # Chairs have a phone (they coordinate); a third of the members too.
        phone = synthetic.phone(pk) if chair or rng.random() < 0.33 else None
        yield (pk, synthetic.person_name(rng), phone, chair and rng.random() < 0.5, now)


def _memberships(
    kim_ids: list[int], person_first: int, count: int, rng: Any
) -> Iterator[tuple[Any, ...]]:
    today = timezone.localdate()
    now = timezone.now()
    roles = ["sekretaris"] * 8 + ["bendahara"] * 8 + ["anggota"] * 84
    for i in range(count):
        joined = today - timedelta(days=rng.randint(0, 365 * 8))
        if i < len(kim_ids):  # the first person of every KIM chairs it
            yield (kim_ids[i], person_first + i, "ketua", True, joined, now)
        else:
            role = rng.choice(roles)
            yield (rng.choice(kim_ids), person_first + i, role, False, joined, now)


def _activities(
    kim_ids: list[int], codes: dict[int, str], count: int, rng: Any
) -> Iterator[tuple[Any, ...]]:
    # Titles and descriptions from a pool: drawing fresh words for millions of
    # rows costs more than the COPY itself and the pages read the same.
    titles = [synthetic.title(rng) for _ in range(4000)]
    texts = [synthetic.paragraph(rng, 3) for _ in range(1000)]
    kinds = Activity.Kind.values
    focus = FocusArea.values
    statuses = ["approved"] * 85 + ["submitted"] * 10 + ["rejected"] * 5
    today = timezone.localdate()
    now = timezone.now()
    for _ in range(count):
        kim = rng.choice(kim_ids)
        code = codes[kim]
        day = today - timedelta(days=int(rng.random() * 1095))
        status = rng.choice(statuses)
        yield (
            kim,
            code[:8],
            code[:5],
            rng.choice(kinds),
            rng.choice(focus),
            rng.choice(titles),
            rng.choice(texts),
            day,
            "Balai desa",
            rng.randint(5, 120),
            status,
            None if status == "submitted" else now,
            now,
        )
