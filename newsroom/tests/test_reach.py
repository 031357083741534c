import io
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEntry
from newsroom import services
from newsroom.models import DailyStat, ShortLink

pytestmark = pytest.mark.django_db


def test_short_links_and_counters_are_anonymous(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    link = ShortLink.objects.create(
        target_url="http://testserver" + published.get_absolute_url(),
        article=published,
        channel="whatsapp",
    )
    response = client.get(f"/s/{link.code}")
    assert response.status_code == 302 and response["Location"].endswith(
        published.slug + "/"
    )
    client.get(f"/s/{link.code}")
    link.refresh_from_db()
    assert link.clicks == 2
    assert client.get("/s/tidakada").status_code == 404
    assert (
        client.post("/kabar/hitung/", {"a": published.pk, "m": "view"}).status_code
        == 204
    )
    client.post("/kabar/hitung/", {"a": published.pk, "m": "share_whatsapp"})
    assert (
        client.post("/kabar/hitung/", {"a": published.pk, "m": "click"}).status_code
        == 400
    )
    assert client.post("/kabar/hitung/", {"a": 999, "m": "view"}).status_code == 400
    counts = dict(DailyStat.objects.values_list("metric", "count"))
    assert counts == {"click": 2, "view": 1, "share_whatsapp": 1}
    # Nothing about the person is stored: the counters have no such column.
    assert {f.name for f in DailyStat._meta.fields} == {
        "id",
        "article",
        "day",
        "metric",
        "count",
    }


def test_reach_dashboard_and_monthly_reports(
    client: Client, published, editor, berau_editor
) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    services.stat_increment(article_id=published.pk, metric="view")
    services.stat_increment(article_id=published.pk, metric="view")
    services.stat_increment(article_id=published.pk, metric="share_facebook")
    client.force_login(editor)
    page = client.get("/kabar/staf/jangkauan/").content.decode()
    assert 'id="reach-figures"' in page and "<svg" in page
    assert "<strong>2</strong>" in page  # views
    assert client.get("/kabar/staf/jangkauan/?wilayah=64.03").status_code == 404
    month = f"{timezone.localdate():%Y-%m}"
    pdf = client.get(f"/kabar/staf/laporan/64.02/{month}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/kabar/staf/laporan/64.02/{month}.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][2] == "Judul" and rows[4][2] == "Amplang Udang Khas Tenggarong"
    assert rows[4][5] == 2 and rows[4][6] == 1
    assert (
        AuditEntry.objects.filter(
            action="export", object_type="newsroom.report"
        ).count()
        == 2
    )
    assert client.get(f"/kabar/staf/laporan/64.02/{month}.exe").status_code == 404
    client.force_login(berau_editor)
    assert client.get(f"/kabar/staf/laporan/64.02/{month}.pdf").status_code == 404


def test_monthly_report_xlsx_writes_titles_as_text(
    client: Client, published, editor
) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone
    from openpyxl import load_workbook

    published.title = '=HYPERLINK("http://x","klik")'
    published.save()
    client.force_login(editor)
    month = f"{timezone.localdate():%Y-%m}"
    xlsx = client.get(f"/kabar/staf/laporan/64.02/{month}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = sheet["C5"]
    assert cell.value == '=HYPERLINK("http://x","klik")' and cell.data_type == "s"


def test_monthly_report_has_the_social_reach_per_platform_district_and_kim(
    client: Client, published, editor, kim
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone
    from openpyxl import load_workbook

    from channels.models import SocialAccount, SocialInsight, SocialPost

    def account(platform: str, owner: tuple[str, str, str], region: str) -> Any:
        return SocialAccount.objects.create(
            platform=platform,
            owner_kind=owner[0],
            owner_id=owner[1],
            owner_name=owner[2],
            region_id=region,
            external_id=f"{platform}-{owner[1]}",
            name=owner[2],
            token_encrypted="sealed",
        )

    def post(acc: Any, key: str, when: Any, figures: tuple[int, ...] | None) -> None:
        row = SocialPost.objects.create(
            account=acc,
            source_key=key,
            source_title="Amplang",
            link="http://testserver/kabar/amplang/",
            caption="Amplang",
            platform_post_id=f"{acc.pk}-{key}",
            posted_at=when,
        )
        if figures:
            impressions, reach, reactions, shares, comments = figures
            SocialInsight.objects.create(
                post=row,
                impressions=impressions,
                reach=reach,
                reactions=reactions,
                shares=shares,
                comments=comments,
            )

    kim_owner = ("kim", str(kim.pk), kim.name)
    office = ("office", "64.02", "Diskominfo Kutai Kartanegara")
    now = timezone.now()
    fb = account("facebook", kim_owner, kim.region_id)
    x = account("x", kim_owner, kim.region_id)
    office_fb = account("facebook", office, "64.02")
    berau = account("facebook", ("office", "64.03", "Diskominfo Berau"), "64.03")
    post(fb, "a:1", now, (1500, 1200, 85, 12, 7))
    post(x, "a:1", now, (900, 0, 40, 8, 5))
    post(office_fb, "a:1", now, (300, 250, 10, 1, 0))
    post(office_fb, "a:2", now, None)  # no figures read yet: counted as a post
    post(berau, "a:1", now, (5000, 4000, 1, 1, 1))  # another regency
    post(fb, "old", now - timedelta(days=40), (7, 7, 7, 7, 7))  # another month
    client.force_login(editor)
    month = f"{timezone.localdate():%Y-%m}"
    xlsx = client.get(f"/kabar/staf/laporan/64.02/{month}.xlsx")
    rows = list(
        load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    )
    first = [r[0] for r in rows]
    at = first.index("Media sosial per platform")
    assert rows[at + 1][:7] == (
        "Platform", "Unggahan", "Tayangan", "Jangkauan", "Reaksi", "Dibagikan",
        "Komentar",
    )  # fmt: skip
    assert rows[at + 2][:7] == ("Facebook", 3, 1800, 1450, 95, 13, 7)
    assert rows[at + 3][:7] == ("X", 1, 900, 0, 40, 8, 5)
    assert rows[at + 4][:7] == ("Jumlah", 4, 2700, 1450, 135, 21, 12)
    owners = first.index("Media sosial per KIM dan kantor")
    assert rows[owners + 2][:3] == (kim.name, 2, 2400)
    assert rows[owners + 3][:3] == ("Diskominfo Kutai Kartanegara", 2, 300)
    districts = first.index("Media sosial per kecamatan")
    # The KIM's district, and the regency itself for the office's account.
    assert {rows[districts + 2][0], rows[districts + 3][0]} == {
        "Tenggarong",
        "Kabupaten Kutai Kartanegara",
    }
    pdf = client.get(f"/kabar/staf/laporan/64.02/{month}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
