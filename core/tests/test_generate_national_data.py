"""``manage.py generate_national_data`` at a tiny scale on the test database
(Kaltim's regions; some tests keep only a few villages)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from channels.models import OutboxMessage
from core.loadgen import NATIONAL, generators
from factcheck.models import FactCheck
from network.models import Activity, Kim, Membership, Person
from newsroom.models import Article
from regions.models import Region

SCALE = 0.0002  # 17 KIMs, 200 members, 1,000 activities, 2,000 deliveries…
COUNTED = {
    "kims": Kim,
    "members": Membership,
    "activities": Activity,
    "factchecks": FactCheck,
    "articles": Article,
    "deliveries": OutboxMessage,
}

pytestmark = pytest.mark.django_db


def generate(*args: str, scale: float = SCALE) -> str:
    out = StringIO()
    call_command("generate_national_data", "--scale", str(scale), *args, stdout=out)
    return out.getvalue()


def expected(key: str, scale: float = SCALE) -> int:
    return max(1, round(NATIONAL[key] * scale))


def test_every_app_contributes_its_generator_in_order() -> None:
    names = [g.name for g in generators()]
    assert names == ["network", "factcheck", "newsroom", "channels"]


def test_counts_follow_the_scale() -> None:
    output = generate()
    for key, model in COUNTED.items():
        assert model.objects.count() == expected(key), key
    assert Person.objects.count() == expected("members")
    assert "rows at scale" in output


def test_rows_are_consistent_and_point_at_existing_rows() -> None:
    generate()
    # Every foreign key points at a row (SQLite checks them on demand).
    connection.check_constraints()
    villages = set(
        Region.objects.filter(level=Region.Level.VILLAGE).values_list("kode", flat=True)
    )
    for kim in Kim.objects.all():
        assert kim.region_id in villages
        assert kim.district_code == kim.region_id[:8]
        assert kim.regency_code == kim.region_id[:5]
        assert kim.name.startswith("KIM ")
        assert kim.lat is None and kim.description  # default and generated
    # One active chair per KIM (there are more members than KIMs).
    chairs = Kim.objects.annotate(
        n=Count("memberships", filter=Q(memberships__role="ketua"))
    ).values_list("n", flat=True)
    assert set(chairs) == {1}
    assert (
        not Membership.objects.values("person").annotate(n=Count("pk")).filter(n__gt=1)
    )
    for activity in Activity.objects.select_related("kim")[:200]:
        assert activity.district_code == activity.kim.region_id[:8]
        assert activity.links == []
    for article in Article.objects.select_related("kim"):
        if article.kim_id:
            assert article.office_id is None
            assert article.region_id == article.kim.region_id
        else:
            assert article.region_id == article.office_id
        assert article.title.lower() in article.search_document
        if article.status == Article.Status.PUBLISHED:
            assert article.published_at is not None
    keys = OutboxMessage.objects.values_list("dedupe_key", flat=True)
    assert len(set(keys)) == len(keys)


def test_generated_pages_show_the_generated_rows(client) -> None:  # type: ignore[no-untyped-def]
    generate()
    kim = Kim.objects.first()
    assert kim is not None
    page = client.get(kim.get_absolute_url())
    assert page.status_code == 200
    assert kim.name in page.content.decode()
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    assert article is not None
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200


def test_refuses_a_second_run_and_replace_starts_again() -> None:
    generate()
    first = sorted(Kim.objects.values_list("name", flat=True))
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert Kim.objects.count() == expected("kims")
    output = generate("--replace")
    assert "Emptying" in output
    for key, model in COUNTED.items():
        assert model.objects.count() == expected(key), key
    # The same seed gives the same data set.
    assert sorted(Kim.objects.values_list("name", flat=True)) == first


def test_a_few_villages_take_turns() -> None:
    keep = list(
        Region.objects.filter(level=Region.Level.VILLAGE)
        .order_by("kode")
        .values_list("kode", flat=True)[:3]
    )
    Region.objects.filter(level=Region.Level.VILLAGE).exclude(kode__in=keep).update(
        retired_at=timezone.now()
    )
    generate("--only", "network")
    assert Kim.objects.count() == expected("kims")
    assert set(Kim.objects.values_list("region_id", flat=True)) == set(keep)
    assert not Article.objects.exists()  # only the network's generator ran


def test_without_villages_it_says_to_import_the_regions() -> None:
    Region.objects.filter(level=Region.Level.VILLAGE).delete()
    with pytest.raises(CommandError, match="import_regions"):
        generate()
    assert not Kim.objects.exists()


def test_unknown_generator_and_bad_scale_are_refused() -> None:
    with pytest.raises(CommandError, match="Unknown generator"):
        generate("--only", "nothing")
    with pytest.raises(CommandError, match="--scale"):
        generate(scale=0)
