"""Reads of the fact-check app: public fact-checks, the desk queue, trends, and
the contacts to tell when a verdict goes out to the KIM network."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
)
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone, translation

from accounts.models import Role, User
from accounts.permissions import can, code_scope_q, in_scope, scope_code
from factcheck.models import (
    Claim,
    ConfirmationState,
    Decision,
    FactCheck,
    FeedSource,
    Tip,
    Tipster,
    Topic,
)
from factcheck.verdicts import verdict_rating
from regions import provinces
from regions.models import Region
from regions.selectors import subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

GROWTH_HOURS = 6
# The expression of the archive's full-text index (migration 0012), which a
# query must repeat to the letter for PostgreSQL to use the index.
ARCHIVE_VECTOR = SearchVector("title", "claim_reviewed", config="simple")
# What ``to_tsquery`` is given: runs of letters, never its operators.
ARCHIVE_LETTERS = re.compile(r"[^\W\d_]+")


def factcheck_public_list(
    *, q: str = "", verdict: str = "", topic: str = "", province: str = ""
) -> QuerySet[FactCheck]:
    """Published fact-checks; with ``province``, those concerning a region of it
    (the national archive's province filter)."""
    items = FactCheck.objects.filter(status=FactCheck.Status.PUBLISHED)
    if province:
        through = FactCheck.regions.through.objects.filter(
            subtree_q(province, "region__kode")
        ).values("factcheck_id")
        items = items.filter(pk__in=through)
    if q:
        items = _archive_search(items, q)
    if verdict:
        items = items.filter(verdict=verdict)
    if topic:
        items = items.filter(topic=topic)
    return items.order_by(F("published_on").desc(nulls_last=True), "-id")


def _archive_search(items: QuerySet[FactCheck], q: str) -> QuerySet[FactCheck]:
    """Fact-checks whose title or claim holds every word of ``q`` (at most 8).

    On PostgreSQL the letters of a word match the start of a word of the text
    (``vaksin`` finds "vaksinasi") through the full-text index of migration
    0012: a word in a fifth of 100,000 fact-checks took 300 ms to list and count
    with substring matching, about 60 ms this way. Digits are matched as text
    within what the index found, since its parser reads "COVID-19" as "covid"
    and "-19". Elsewhere every word matches anywhere in the text."""
    words = q.split()[:8]
    letters = [part for word in words for part in ARCHIVE_LETTERS.findall(word)]
    if connection.vendor == "postgresql" and letters:
        query = SearchQuery(
            " & ".join(f"{part.lower()}:*" for part in letters),
            search_type="raw",
            config="simple",
        )
        items = items.filter(SearchVectorExact(ARCHIVE_VECTOR, query))
        words = [word for word in words if any(c.isdigit() for c in word)]
    for word in words:
        items = items.filter(
            Q(title__icontains=word) | Q(claim_reviewed__icontains=word)
        )
    return items


def factcheck_public_get(*, pk: int) -> FactCheck | None:
    return (
        FactCheck.objects.filter(pk=pk, status=FactCheck.Status.PUBLISHED)
        .prefetch_related("regions")
        .first()
    )


def factcheck_get(*, actor: User, pk: int) -> FactCheck | None:
    """A fact-check (drafts too) for the desk, when it concerns a region in the
    actor's area (one without regions concerns every province served): another
    province's desk does not see it."""
    if not can(actor, "view", "factcheck.factcheck"):
        return None
    factcheck = FactCheck.objects.prefetch_related("regions").filter(pk=pk).first()
    if factcheck is None or not any(
        can(actor, "view", "factcheck.factcheck", region_code=code)
        for code in factcheck_area(factcheck=factcheck)
    ):
        return None
    return factcheck


def factcheck_withdrawn_get(*, pk: int) -> FactCheck | None:
    """A withdrawn fact-check, for its public page's notice."""
    return FactCheck.objects.filter(pk=pk, status=FactCheck.Status.WITHDRAWN).first()


def _provinces() -> list[str]:
    """The provinces this deployment serves (not every province the national
    region list holds): a fact-check without regions concerns them all."""
    return provinces.served_codes()


def factcheck_area(
    *, factcheck: FactCheck, regions: Iterable[Region] | None = None
) -> list[str]:
    """The region codes a fact-check concerns: its regions, else the province
    (one without regions is for everyone)."""
    if regions is None:
        regions = factcheck.regions.all() if factcheck.pk else []
    return sorted({region.kode for region in regions}) or _provinces()


def factcheck_allowed(
    *,
    actor: User | AnonymousUser,
    action: str,
    factcheck: FactCheck,
    regions: Iterable[Region] | None = None,
) -> bool:
    """Whether ``actor`` may ``action`` ("change", "publish") this fact-check: a
    desk role whose area covers every region it concerns (a regency's
    fact-checker changes the fact-checks of their regency only; those of the
    whole province are the province's). With ``regions``, those it would concern
    after the change."""
    if not can(actor, action, "factcheck.factcheck"):
        return False
    codes = factcheck_area(factcheck=factcheck)
    if regions is not None:
        codes = sorted({*codes, *factcheck_area(factcheck=factcheck, regions=regions)})
    return bool(codes) and all(
        can(actor, action, "factcheck.factcheck", region_code=code) for code in codes
    )


def factcheck_get_for_edit(*, actor: User, pk: int) -> FactCheck | None:
    """A fact-check (any status) that ``actor`` may change; None otherwise."""
    factcheck = FactCheck.objects.prefetch_related("regions").filter(pk=pk).first()
    if factcheck is None or not factcheck_allowed(
        actor=actor, action="change", factcheck=factcheck
    ):
        return None
    return factcheck


def factcheck_withdrawn_list(*, actor: User, limit: int = 20) -> list[FactCheck]:
    """The latest withdrawn fact-checks, for the desk (to republish one): those
    the desk may see (``factcheck_get``'s rule: a region of theirs among those
    it concerns; one without regions concerns every province served), so that
    a province's desk does not list another province's."""
    if not can(actor, "view", "factcheck.factcheck"):
        return []
    withdrawn = FactCheck.objects.filter(status=FactCheck.Status.WITHDRAWN)
    if scope_code(actor) is not None:
        ours = FactCheck.regions.through.objects.filter(
            code_scope_q(actor, "region__kode")
        ).values("factcheck_id")
        visible = Q(pk__in=ours)
        if any(
            can(actor, "view", "factcheck.factcheck", region_code=code)
            for code in _provinces()
        ):
            visible |= Q(regions__isnull=True)
        withdrawn = withdrawn.filter(visible).distinct()
    return list(
        withdrawn.order_by(F("withdrawn_at").desc(nulls_last=True), "-pk")[:limit]
    )


# --- Feeds ------------------------------------------------------------------------


def feed_allowed(*, actor: User | AnonymousUser, action: str = "change") -> bool:
    """Feeds import into the whole archive: the desk's roles, province-wide."""
    codes = _provinces()
    return (
        can(actor, action, "factcheck.feed")
        and bool(codes)
        and all(can(actor, action, "factcheck.feed", region_code=c) for c in codes)
    )


def feed_list(*, actor: User) -> QuerySet[FeedSource]:
    if not feed_allowed(actor=actor, action="view"):
        return FeedSource.objects.none()
    return FeedSource.objects.order_by("name", "pk")


def feed_get(*, actor: User, pk: int) -> FeedSource | None:
    return feed_list(actor=actor).filter(pk=pk).first()


def _claim_scope(actor: User) -> Q:
    """Fact-checkers see the claims sent from their region (a regency, or a whole
    province) and those without a region. A province desk is scoped too: on a
    deployment serving several provinces it must not see another's claims."""
    scope = scope_code(actor)
    if scope is None:
        return Q()
    tips_in_scope = Tip.objects.filter(claim=OuterRef("pk")).filter(
        code_scope_q(actor, "region__kode")
    )
    tips_with_region = Tip.objects.filter(claim=OuterRef("pk"), region__isnull=False)
    return Q(Exists(tips_in_scope)) | ~Q(Exists(tips_with_region))


def claim_list(
    *, actor: User, status: str = "", assigned: str = "", q: str = "", topic: str = ""
) -> QuerySet[Claim]:
    """The desk queue: open claims first by spread (tips, growth in the last
    hours, number of regions), newest first after that."""
    if not can(actor, "view", "factcheck.claim"):
        return Claim.objects.none()
    since = timezone.now() - timedelta(hours=GROWTH_HOURS)
    claims = Claim.objects.filter(_claim_scope(actor)).annotate(
        recent=Count("tips", filter=Q(tips__received_at__gte=since), distinct=True),
        region_count=Count("tips__region", distinct=True),
    )
    if status == "open" or not status:
        claims = claims.filter(status__in=Claim.OPEN)
    elif status != "all":
        claims = claims.filter(status=status)
    if assigned == "me":
        claims = claims.filter(assigned_to=actor)
    elif assigned == "none":
        claims = claims.filter(assigned_to__isnull=True)
    if q:
        claims = claims.filter(text__icontains=q)
    if topic:
        claims = claims.filter(topic=topic)
    return claims.annotate(
        spread=F("tip_count") + 2 * F("recent") + 3 * F("region_count")
    ).order_by("-spread", "-last_seen_at", "-pk")


def claim_get(*, actor: User, pk: int) -> Claim | None:
    return (
        claim_list(actor=actor, status="all")
        .select_related("factcheck", "assigned_to", "drafted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )


def claim_regions(*, claim: Claim) -> list[tuple[Region, int]]:
    """The regions a claim's tips came from, with how many tips each."""
    rows = (
        Tip.objects.filter(claim=claim, region__isnull=False)
        .values("region")
        .annotate(n=Count("pk"))
    )
    counts = {row["region"]: row["n"] for row in rows}
    regions = Region.objects.filter(kode__in=counts).order_by("kode")
    return [(region, counts[region.kode]) for region in regions]


def claim_suggestions(*, claim: Claim) -> list[tuple[FactCheck, float]]:
    scores = {int(s["id"]): float(s["score"]) for s in claim.suggestions}
    found = FactCheck.objects.filter(pk__in=scores, status=FactCheck.Status.PUBLISHED)
    return sorted(((fc, scores[fc.pk]) for fc in found), key=lambda item: -item[1])


def desk_users() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role__in=[Role.FACT_CHECKER, Role.PROVINCE_ADMIN]
    ).order_by("full_name")


@dataclass(frozen=True)
class Trend:
    days: list[date]
    rows: list[tuple[Region | None, list[int], int]]  # kabupaten, per day, total
    top: list[tuple[Region | None, list[Claim]]]


def _regency_code(kode: str | None) -> str | None:
    if not kode:
        return None
    return ".".join(kode.split(".")[:2])


def trend(*, actor: User, days: int = 14) -> Trend:
    """Tips per kabupaten/kota per day, and what spreads most in each."""
    if not can(actor, "view", "factcheck.claim"):
        return Trend([], [], [])
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    tips = Tip.objects.filter(
        received_at__date__gte=start, claim__in=claim_list(actor=actor, status="all")
    )
    counts: dict[str | None, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    claims_by: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        tips.annotate(day=TruncDate("received_at"))
        .values("day", "region", "claim")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        code = _regency_code(row["region"])
        counts[code][row["day"]] += row["n"]
        claims_by[code][row["claim"]] += row["n"]
    regencies = {
        r.kode: r for r in Region.objects.filter(kode__in=[c for c in counts if c])
    }
    day_list = [start + timedelta(days=i) for i in range(days)]
    table = []
    for code in sorted(counts, key=lambda c: (c is None, c or "")):
        per_day = [counts[code].get(day, 0) for day in day_list]
        table.append((regencies.get(code) if code else None, per_day, sum(per_day)))
    table.sort(key=lambda row: -row[2])
    all_claims = {
        c.pk: c
        for c in Claim.objects.filter(
            pk__in={pk for by in claims_by.values() for pk in by}
        )
    }
    top = []
    for region, _, _ in table:
        code = region.kode if region else None
        ranked = sorted(claims_by[code].items(), key=lambda item: -item[1])[:3]
        top.append((region, [all_claims[pk] for pk, _ in ranked if pk in all_claims]))
    return Trend(day_list, table, top)


def desk_counts(*, actor: User) -> dict[str, Any]:
    claims = claim_list(actor=actor, status="all")
    since = timezone.now() - timedelta(hours=24)
    return {
        "open": claims.filter(status__in=Claim.OPEN).count(),
        "new": claims.filter(status=Claim.Status.NEW).count(),
        "tips_24h": Tip.objects.filter(
            claim__in=claims, received_at__gte=since
        ).count(),
        "mine": claims.filter(status__in=Claim.OPEN, assigned_to=actor).count(),
    }


@dataclass(frozen=True)
class DecisionQuality:
    """How one of the matcher's decisions fared: how often it was given, and
    how often it was right among the tips whose answer is known."""

    decision: str
    label: str
    count: int
    share: float | None  # of all tips
    right: int
    labelled: int  # tips whose answer is known (pairs, "none of these", desk)

    @property
    def precision(self) -> float | None:
        return self.right / self.labelled if self.labelled else None


def decision_quality(*, actor: User, days: int = 30) -> list[DecisionQuality]:
    """Per decision over the last ``days``: count, share of tips, and precision
    where labels tell. ``match``: right when no pair links the tip to another
    fact-check (desk or sender). ``suggest``: right when the fact-check it was
    linked to was among the three shown; wrong after "none of these".
    ``none``: wrong when the tip was linked to an existing fact-check after
    all, right when the desk answered its claim otherwise."""
    since = timezone.now() - timedelta(days=days)
    tips = Tip.objects.filter(
        received_at__gte=since, claim__in=claim_list(actor=actor, status="all")
    )
    counts = dict(
        tips.values_list("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    total = sum(counts.values())
    right = dict.fromkeys(Decision.values, 0)
    labelled = dict.fromkeys(Decision.values, 0)
    known = (
        tips.filter(
            Q(pairs__isnull=False)
            | Q(confirmation__state=ConfirmationState.NONE)
            | Q(
                decision=Decision.NONE,
                claim__status__in=[
                    Claim.Status.PUBLISHED,
                    Claim.Status.NOT_CHECKABLE,
                ],
            )
        )
        .distinct()
        .select_related("confirmation")
        .prefetch_related("pairs")
    )
    for tip in known:
        ok = _decision_right(tip)
        if ok is None:
            continue
        labelled[tip.decision] += 1
        right[tip.decision] += int(ok)
    return [
        DecisionQuality(
            decision=value,
            label=str(label),
            count=counts.get(value, 0),
            share=counts.get(value, 0) / total if total else None,
            right=right[value],
            labelled=labelled[value],
        )
        for value, label in Decision.choices
    ]


def _decision_right(tip: Tip) -> bool | None:
    linked = {pair.factcheck_id for pair in tip.pairs.all()}
    confirmation = getattr(tip, "confirmation", None)
    if tip.decision == Decision.MATCH:
        return not linked or tip.matched_id in linked
    if tip.decision == Decision.SUGGEST:
        if confirmation is not None and confirmation.state == ConfirmationState.NONE:
            return False
        if not linked:
            return None
        shown = confirmation.candidates[:3] if confirmation else [tip.matched_id]
        return bool(linked & set(shown))
    return not linked


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    kim: str
    region: str
    region_code: str
    phone: str
    email: str


def network_region_codes(*, factcheck: FactCheck) -> list[str]:
    """The kabupaten/kota a verdict concerns (its regions, and where its askers
    wrote from), or the whole province when none is known: where the KIM
    network is told by default."""
    codes = list(factcheck.regions.values_list("kode", flat=True))
    codes += list(
        Region.objects.filter(tips__claim__factcheck=factcheck)
        .values_list("kode", flat=True)
        .distinct()
    )
    return sorted({c for c in (_regency_code(c) for c in codes) if c}) or _provinces()


def network_contacts(
    *, factcheck: FactCheck, actor: User | None = None
) -> list[Contact]:
    """The KIM chairs and coordinators to tell about a verdict: those of the
    kabupaten/kota concerned (its regions, and where its askers wrote from), or
    of the whole province when none is known.

    Read from the network app's KIM memberships, plus KIM-coordinator accounts
    not linked to a membership; newsroom's dissemination will take this over.
    """
    from network.selectors import kim_coordinators_contacts

    regencies = network_region_codes(factcheck=factcheck)
    if actor is not None and not actor.is_superuser:
        # Personal data of the actor's area only: another province's desk never
        # sees this province's coordinators, whatever the verdict concerns (by
        # default, where the desk works, as in factcheck_share_to_network).
        regencies = [c for c in regencies if in_scope(actor, c)] or (
            [actor.region_id] if actor.region_id else []
        )
    members = kim_coordinators_contacts(region_codes=regencies)
    # The KIM's kabupaten/kota by name (not the codes asked for: the province
    # when the verdict names no region).
    names = dict(
        Region.objects.filter(
            kode__in={_regency_code(c.region_code) for c in members}
        ).values_list("kode", "name")
    )
    contacts: list[Contact] = []
    seen_users: set[int] = set()
    for c in members:
        if c.user_id:
            seen_users.add(c.user_id)
        contacts.append(
            Contact(
                name=c.name,
                role=c.role,
                kim=c.kim_name,
                region=names.get(_regency_code(c.region_code) or "", ""),
                region_code=c.region_code,
                phone=c.phone or "",
                email=c.email,
            )
        )
    match = Q(pk__in=[])
    for code in regencies:
        match |= subtree_q(code)
    users = (
        User.objects.filter(match, is_active=True, role=Role.KIM_COORDINATOR)
        .exclude(pk__in=seen_users)
        .select_related("region")
        .order_by("region__kode", "full_name")
    )
    contacts += [
        Contact(
            name=u.full_name,
            role=str(u.get_role_display()),
            kim="",
            region=u.region.name if u.region else "",
            region_code=u.region_id or "",
            phone=u.phone or "",
            email=u.email,
        )
        for u in users
    ]
    return contacts


def network_queue() -> QuerySet[FactCheck]:
    """Published fact-checks that staff chose to send to the KIM network."""
    return FactCheck.objects.filter(
        status=FactCheck.Status.PUBLISHED, network_requested_at__isnull=False
    ).order_by("-network_requested_at")


# --- Topics per region (read by datahub's indicators) ------------------------------


@dataclass(frozen=True)
class RegionTopics:
    """Tips received from a region and published fact-checks concerning it, per
    topic (every topic present, zeros included)."""

    tips: dict[str, int]
    factchecks: dict[str, int]


def _within(codes: list[str], field: str) -> Q:
    """``field`` is one of ``codes`` or lies inside one."""
    match = Q()
    for code in codes:
        match |= subtree_q(code, field)
    return match


def _owners(code: str, wanted: set[str]) -> list[str]:
    """The codes of ``wanted`` that are ``code`` or contain it."""
    parts = code.split(".")
    prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
    return [c for c in prefixes if c in wanted]


def topic_counts(*, region_codes: list[str]) -> dict[str, RegionTopics]:
    """For each region code: the tips sent from it (from a KIM member's village,
    the kabupaten chosen on the form, …: ``Tip.region``, at any depth below the
    code) by their claim's topic, and the published fact-checks concerning it
    (``FactCheck.regions``, each counted once per region) by topic."""
    wanted = set(region_codes)
    result = {
        code: RegionTopics(
            tips=dict.fromkeys(Topic.values, 0),
            factchecks=dict.fromkeys(Topic.values, 0),
        )
        for code in region_codes
    }
    if not wanted:
        return result
    tips = (
        Tip.objects.filter(_within(region_codes, "region__kode"))
        .values("region_id", "claim__topic")
        .annotate(n=Count("pk"))
    )
    for row in tips:
        for owner in _owners(row["region_id"], wanted):
            bucket = result[owner].tips
            bucket[row["claim__topic"]] = bucket.get(row["claim__topic"], 0) + row["n"]
    through = FactCheck.regions.through
    links = (
        through.objects.filter(
            _within(region_codes, "region__kode"),
            factcheck__status=FactCheck.Status.PUBLISHED,
        )
        .values_list("region_id", "factcheck_id", "factcheck__topic")
        .distinct()
    )
    seen: dict[str, set[int]] = defaultdict(set)
    for code, factcheck_id, topic in links:
        for owner in _owners(code, wanted):
            if factcheck_id in seen[owner]:
                continue  # two villages of one kecamatan: one fact-check
            seen[owner].add(factcheck_id)
            bucket = result[owner].factchecks
            bucket[topic] = bucket.get(topic, 0) + 1
    return result


def topic_options() -> list[tuple[str, str]]:
    """Every topic with its label in the reader's language (filters, sentences)."""
    return [(value, str(label)) for value, label in Topic.choices]


def topic_choices() -> list[tuple[str, str]]:
    """Every topic with its Indonesian label (for tables that are published as
    written, whatever the reader's language)."""
    with translation.override("id"):
        return [(value, str(label)) for value, label in Topic.choices]


@dataclass(frozen=True)
class RegionVerdicts:
    """Published fact-checks concerning a region: all of them, those whose verdict
    says the claim is false or misleading, and those that found it true."""

    total: int
    false: int
    true: int


def verdict_counts(*, region_codes: list[str]) -> dict[str, RegionVerdicts]:
    """For each region code, its published fact-checks by verdict group (each
    fact-check counted once per region however many of its villages it names).
    Partly true, satire and unproven count in the total only."""
    wanted = set(region_codes)
    seen: dict[str, dict[int, str]] = {code: {} for code in region_codes}
    if wanted:
        links = (
            FactCheck.regions.through.objects.filter(
                _within(region_codes, "region__kode"),
                factcheck__status=FactCheck.Status.PUBLISHED,
            )
            .values_list("region_id", "factcheck_id", "factcheck__verdict")
            .distinct()
        )
        for code, factcheck_id, verdict in links:
            for owner in _owners(code, wanted):
                seen[owner][factcheck_id] = verdict
    result: dict[str, RegionVerdicts] = {}
    for code, verdicts in seen.items():
        ratings = [verdict_rating(v) for v in verdicts.values()]
        result[code] = RegionVerdicts(
            total=len(ratings),
            false=sum(1 for r in ratings if r <= 2),
            true=sum(1 for r in ratings if r >= 5),
        )
    return result


def tipsters_opted_out(*, tipsters: Iterable[Tipster]) -> set[int]:
    """The ids of these tipsters who asked to receive nothing more: BERHENTI or
    HAPUS on the bot (channels' ``Consent``), or STOP before the tipline moved
    onto channels (``subscribed`` off)."""
    from channels.services import consent_opted_out
    from factcheck.personal import contact_decrypt

    stopped: set[int] = set()
    contacts: dict[str, dict[str, int]] = defaultdict(dict)
    for tipster in tipsters:
        if not tipster.subscribed:
            stopped.add(tipster.pk)
        contact = contact_decrypt(tipster.contact_encrypted)
        if contact:
            contacts[tipster.channel][contact] = tipster.pk
    for channel, by_contact in contacts.items():
        for contact in consent_opted_out(channel=channel, candidates=by_contact):
            stopped.add(by_contact[contact])
    return stopped


def tips_by_region(
    *, scope: str, length: int, since: datetime
) -> dict[str, dict[str, int]]:
    """Tips received since ``since`` per region (the first ``length`` characters
    of its code, under ``scope``) and topic, in one grouped query; for datahub's
    vulnerability index."""
    out: dict[str, dict[str, int]] = {}
    for row in (
        Tip.objects.filter(subtree_q(scope), received_at__gte=since)
        .annotate(code=Substr("region_id", 1, length))
        .values("code", "claim__topic")
        .annotate(n=Count("pk"))
    ):
        out.setdefault(row["code"], {})[row["claim__topic"]] = row["n"]
    return out


def factchecks_by_province(codes: list[str]) -> dict[str, int]:
    """The number of published fact-checks about a region of each province."""
    from regions.tallies import count_by_province

    return count_by_province(
        FactCheck.objects.filter(status=FactCheck.Status.PUBLISHED),
        "regions__kode",
        codes,
        distinct=True,
    )
