import io

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
