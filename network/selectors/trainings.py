"""Reads of digital-literacy trainings: results of one training and figures per
region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr

from network.models import Attendance, Event, QuizAttempt
from network.selectors._common import region_q
from regions.models import Region
from regions.selectors import subtree_q


@dataclass(frozen=True)
class TrainingResult:
    participants: int
    attended: int
    tested: int  # took both tests
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None


def training_result(*, event: Event) -> TrainingResult:
    """Participants and mean scores of a training; the gain is the mean of
    (post - pre) over participants who took both tests."""
    rows = list(
        QuizAttempt.objects.filter(participant__event=event).values_list(
            "participant_id", "phase", "score"
        )
    )
    by_participant: dict[int, dict[str, int]] = {}
    for pid, phase, score in rows:
        by_participant.setdefault(pid, {})[phase] = score
    pairs = [(s["pre"], s["post"]) for s in by_participant.values() if len(s) == 2]
    pre = [s["pre"] for s in by_participant.values() if "pre" in s]
    post = [s["post"] for s in by_participant.values() if "post" in s]
    return TrainingResult(
        participants=event.participants.count(),
        attended=event.attendances.count(),
        tested=len(pairs),
        mean_pre=round(sum(pre) / len(pre), 1) if pre else None,
        mean_post=round(sum(post) / len(post), 1) if post else None,
        mean_gain=(
            round(sum(b - a for a, b in pairs) / len(pairs), 1) if pairs else None
        ),
    )


@dataclass(frozen=True)
class LiteracyFigure:
    region_code: str
    region_name: str
    trainings: int
    participants: int  # who took both tests
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None


def literacy_figures(*, region: Region) -> list[LiteracyFigure]:
    """The digital-literacy figure of ``region`` and of each of its children
    (kecamatan of a kabupaten, kabupaten of the province), from the trainings held
    there: trainings, participants with both tests, mean pre/post score and mean
    gain. Three queries whatever the number of trainings."""
    depth = {0: 5, 1: 8}.get(region.kode.count("."), len(region.kode))
    attempts = (
        QuizAttempt.objects.filter(
            participant__event__kind=Event.Kind.TRAINING,
            participant__event__is_published=True,
        )
        .filter(region_q(region.kode, "participant__event__region_id"))
        .values_list(
            "participant_id",
            "phase",
            "score",
            "participant__event_id",
            "participant__event__region_id",
        )
    )
    per: dict[int, dict[str, Any]] = {}
    for pid, phase, score, event_id, code in attempts:
        row = per.setdefault(pid, {"event": event_id, "code": code})
        row[phase] = score
    children = list(region.children.order_by("kode").values_list("kode", "name"))
    groups: dict[str, list[dict[str, Any]]] = {region.kode: []}
    for code, _name in children:
        groups[code] = []
    for row in per.values():
        groups[region.kode].append(row)
        child = row["code"][:depth]
        if child in groups and child != region.kode:
            groups[child].append(row)
    names = {region.kode: region.name, **dict(children)}
    figures = []
    for code, rows in groups.items():
        both = [r for r in rows if "pre" in r and "post" in r]
        pre = [r["pre"] for r in both]
        post = [r["post"] for r in both]
        figures.append(
            LiteracyFigure(
                region_code=code,
                region_name=names[code],
                trainings=len({r["event"] for r in rows}),
                participants=len(both),
                mean_pre=round(sum(pre) / len(pre), 1) if pre else None,
                mean_post=round(sum(post) / len(post), 1) if post else None,
                mean_gain=(
                    round(
                        sum(b - a for a, b in zip(pre, post, strict=True)) / len(both),
                        1,
                    )
                    if both
                    else None
                ),
            )
        )
    return figures


# Per-region aggregates for datahub's vulnerability index: one grouped query each,
# keyed on the first ``length`` characters of the region code (5: kabupaten,
# 8: kecamatan, 13: desa) under ``scope``.


def training_by_region(
    *, scope: str, length: int, since: date
) -> dict[str, dict[str, float | None]]:
    """People who attended a digital-literacy training held in the region since
    ``since``, and their mean post-test minus pre-test score (people with both)."""
    attended = Attendance.objects.filter(
        subtree_q(scope, "event__region__kode"),
        event__kind=Event.Kind.TRAINING,
        event__starts_at__date__gte=since,
    )
    out: dict[str, dict[str, float | None]] = {}
    for row in (
        attended.annotate(code=Substr("event__region_id", 1, length))
        .values("code")
        .annotate(n=Count("participant__person_id", distinct=True))
    ):
        out[row["code"]] = {"trained": row["n"], "gain": None}
    scores: dict[str, dict[int, dict[str, int]]] = {}
    for attempt in (
        QuizAttempt.objects.filter(participant__attendance__in=attended.values("pk"))
        .annotate(code=Substr("participant__event__region_id", 1, length))
        .values_list("code", "participant_id", "phase", "score")
    ):
        code, participant, phase, score = attempt
        scores.setdefault(code, {}).setdefault(participant, {})[phase] = score
    for code, people in scores.items():
        gains = [p["post"] - p["pre"] for p in people.values() if len(p) == 2]
        if gains and code in out:
            out[code]["gain"] = sum(gains) / len(gains)
    return out
