"""Reach of X and TikTok posts end to end: published through the fakes, read
by the periodic insights task into the same records as Facebook's and
Instagram's, and shown on the reach dashboard and in the monthly report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from channels import services as outbox
from channels.models import SocialInsight
from channels.social import selectors, services
from channels.social.tasks import social_insights_task
from channels.tests.test_social import _connect, _publication
from channels.tests.test_social_tiktok import _connect_tiktok
from channels.tests.test_social_x import _connect_x

pytestmark = pytest.mark.django_db


def test_the_insights_task_reads_x_and_tiktok_beside_facebook(
    client: Any,
    admin: Any,
    kim: Any,
    fake_graph: Any,
    fake_x: Any,
    fake_tiktok: Any,
    media: Any,
    settings: Any,
) -> None:
    x = _connect_x(client, admin, kim, settings)
    tiktok = _connect_tiktok(client, admin, kim, settings)
    page, _ig = _connect(admin, kim)
    services.publish(
        actor=admin, publication=_publication(), accounts=[page, x, tiktok]
    )
    for channel in ("facebook", "x", "tiktok"):
        assert outbox.outbox_send_due(channel=channel)["sent"] == 1
    social_insights_task.enqueue()  # the immediate backend runs it
    figures = {
        i.post.account.platform: (i.impressions, i.reach, i.reactions, i.shares)
        for i in SocialInsight.objects.select_related("post__account")
    }
    assert figures == {
        "facebook": (1500, 1200, 85, 12),
        "x": (1200, 0, 40, 8),  # X's own-post impressions, no reach
        "tiktok": (2300, 0, 150, 14),  # TikTok's views, no reach
    }
    # Per KIM and per region, the same sums.
    for reach in (
        selectors.social_reach(owner_kind="kim", owner_id=str(kim.pk)),
        selectors.social_reach(region_code="64.02"),
    ):
        assert reach.impressions == 1500 + 1200 + 2300
        assert reach.by_platform_impressions == {
            "facebook": 1500,
            "x": 1200,
            "tiktok": 2300,
        }
    client.force_login(admin)
    dashboard = client.get("/kabar/staf/jangkauan/", {"wilayah": "64.02"})
    rows = dashboard.content.decode().split('id="reach-social-platforms"')[1]
    assert "<td>X</td>" in rows and "<td>TikTok</td>" in rows
    month = f"{timezone.localdate():%Y-%m}"
    xlsx = client.get(f"/kabar/staf/laporan/64.02/{month}.xlsx")
    assert xlsx.status_code == 200
    table = list(
        load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    )
    first = [r[0] for r in table]
    at = first.index("Media sosial per platform")
    assert table[at + 2][:6] == ("Facebook", 1, 1500, 1200, 85, 12)
    assert table[at + 3][:6] == ("X", 1, 1200, 0, 40, 8)
    assert table[at + 4][:6] == ("TikTok", 1, 2300, 0, 150, 14)
    owners = first.index("Media sosial per KIM dan kantor")
    assert table[owners + 2][:3] == (kim.name, 3, 5000)
