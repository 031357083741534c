"""Reads of social accounts, posts and their reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from accounts.permissions import code_scope_q
from channels.models import SocialAccount, SocialInsight, SocialPost
from channels.social import owners
from regions.selectors import subtree_q


def accounts_of_owner(*, owner_kind: str, owner_id: str) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(
        owner_kind=owner_kind, owner_id=str(owner_id)
    ).select_related("linked_to")


def accounts_for_publisher(*, actor: Any, region_code: str = "") -> list[SocialAccount]:
    """Active accounts an editor may publish to: those of owners they manage,
    and those in their region that their owners opened to the region's editors."""
    rows = SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE).filter(
        code_scope_q(actor, "region__kode")
    )
    if region_code:
        rows = rows.filter(subtree_q(region_code))
    return [
        a
        for a in rows.select_related("region")
        if a.shared or owners.may_manage(actor, a.owner_kind, a.owner_id)
    ]


def account_get_for_manager(*, actor: Any, pk: int) -> SocialAccount | None:
    account = SocialAccount.objects.filter(pk=pk).first()
    if account and owners.may_manage(actor, account.owner_kind, account.owner_id):
        return account
    return None


def posts_of_source(*, source_key: str) -> QuerySet[SocialPost]:
    return (
        SocialPost.objects.filter(source_key=source_key)
        .select_related("account", "outbox", "insight")
        .order_by("account__platform", "account__name")
    )


@dataclass(kw_only=True)
class InsightTotals:
    """A count of posts and the sums of their insights."""

    posts: int = 0
    impressions: int = 0
    reach: int = 0
    reactions: int = 0
    shares: int = 0
    comments: int = 0

    def add(self, insight: SocialInsight | None) -> None:
        """Count one more post, with its insight where one was read."""
        self.posts += 1
        if insight is None:
            return
        self.impressions += insight.impressions
        self.reach += insight.reach
        self.reactions += insight.reactions
        self.shares += insight.shares
        self.comments += insight.comments


@dataclass
class SocialReach(InsightTotals):
    by_platform: dict[str, int] = field(default_factory=dict)  # reach
    # X and TikTok give no reach (unique viewers), only impressions/views.
    by_platform_impressions: dict[str, int] = field(default_factory=dict)
    # (platform name, reach or None where the platform gives none, impressions)
    platform_rows: list[tuple[str, int | None, int]] = field(default_factory=list)


def social_reach(
    *, region_code: str = "", owner_kind: str = "", owner_id: str = ""
) -> SocialReach:
    """Posts and insight totals of the accounts of a region (or one owner)."""
    posts = SocialPost.objects.exclude(platform_post_id="")
    if region_code:
        posts = posts.filter(subtree_q(region_code, "account__region__kode"))
    if owner_kind:
        posts = posts.filter(
            account__owner_kind=owner_kind, account__owner_id=str(owner_id)
        )
    result = SocialReach(posts=posts.count())
    insights = SocialInsight.objects.filter(post__in=posts.values("pk"))
    totals = insights.aggregate(
        impressions=Sum("impressions"),
        reach=Sum("reach"),
        reactions=Sum("reactions"),
        shares=Sum("shares"),
        comments=Sum("comments"),
    )
    for name, value in totals.items():
        setattr(result, name, value or 0)
    for row in insights.values("post__account__platform").annotate(
        n=Sum("reach"), i=Sum("impressions"), c=Count("pk")
    ):
        platform = row["post__account__platform"]
        if platform not in ("x", "tiktok"):
            result.by_platform[platform] = row["n"] or 0
        result.by_platform_impressions[platform] = row["i"] or 0
    from channels.models import Platform

    result.platform_rows = [
        (Platform(p).label, result.by_platform.get(p), impressions)
        for p, impressions in sorted(result.by_platform_impressions.items())
    ]
    return result


def broken_accounts_q() -> Q:
    return Q(status=SocialAccount.Status.NEEDS_RECONNECT)


@dataclass
class SocialReportRow(InsightTotals):
    label: str


@dataclass
class SocialReport:
    """Posts made in a period on a region's accounts, with the figures read so
    far (platforms give lifetime totals per post): per platform, per district
    of the owner, per owner (a KIM, a Diskominfo office)."""

    total: SocialReportRow
    by_platform: list[SocialReportRow]
    by_district: list[SocialReportRow]
    by_owner: list[SocialReportRow]


def _district(code: str) -> str:
    return ".".join(code.split(".")[:3])


def social_report(*, region_code: str, start: Any, end: Any) -> SocialReport:
    """``start`` ≤ posted_at < ``end`` (aware datetimes). Three queries."""
    from channels.models import Platform
    from regions.models import Region

    posts = (
        SocialPost.objects.exclude(platform_post_id="")
        .filter(posted_at__gte=start, posted_at__lt=end)
        .filter(subtree_q(region_code, "account__region__kode"))
        .select_related("account", "insight")
        .order_by("pk")
    )
    total = SocialReportRow("")
    platforms: dict[str, SocialReportRow] = {}
    districts: dict[str, SocialReportRow] = {}
    owners_: dict[tuple[str, str], SocialReportRow] = {}
    for post in posts:
        account = post.account
        insight = getattr(post, "insight", None)
        total.add(insight)
        label = Platform(account.platform).label
        platforms.setdefault(account.platform, SocialReportRow(label)).add(insight)
        districts.setdefault(
            _district(account.region_id), SocialReportRow(_district(account.region_id))
        ).add(insight)
        owners_.setdefault(
            (account.owner_kind, account.owner_id), SocialReportRow(account.owner_name)
        ).add(insight)
    names = dict(
        Region.objects.filter(kode__in=list(districts)).values_list("kode", "name")
    )
    for code, row in districts.items():
        row.label = names.get(code, code)
    return SocialReport(
        total=total,
        by_platform=[platforms[p] for p in Platform.values if p in platforms],
        by_district=[districts[c] for c in sorted(districts)],
        by_owner=sorted(owners_.values(), key=lambda r: (-r.impressions, r.label)),
    )
