from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry
from newsroom import services
from newsroom.models import Article, ArticleImage, ArticleRevision, ReviewNote
from newsroom.tests.conftest import photo

pytestmark = pytest.mark.django_db
S = Article.Status


def _draft(member, kim, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "kind": "wisata",
        "title": "Pulau Kumala di Akhir Pekan",
        "lead": "Taman rekreasi di tengah Sungai Mahakam.",
        "body": "<p>Ramai pengunjung.</p>",
        **extra,
    }
    return services.article_create(actor=member, kim=kim, **fields)


def test_member_drafts_within_own_kim_only(member, kim, make_user) -> None:  # type: ignore[no-untyped-def]
    from network.models import Kim

    article = _draft(member, kim)
    assert article.status == S.DRAFT
    assert article.region_id == kim.region_id
    assert article.slug == "pulau-kumala-di-akhir-pekan"
    assert list(article.regions.values_list("kode", flat=True)) == [kim.region_id]
    other = Kim.objects.create(name="KIM Lain", region_id="64.02.06.1002")
    with pytest.raises(PermissionDenied):
        _draft(member, other)
    # A member cannot write for a Diskominfo office.
    from regions.models import Region

    with pytest.raises(PermissionDenied):
        services.article_create(
            actor=member,
            office=Region.objects.get(kode="64.02"),
            kind="pengumuman",
            title="x",
            lead="y",
            body="<p>z</p>",
        )


def test_workflow_with_changes_requested_then_approved_and_scheduled(
    member, kim, editor
) -> None:  # type: ignore[no-untyped-def]
    article = _draft(member, kim)
    services.article_submit(actor=member, article=article)
    with pytest.raises(ValidationError):
        services.article_request_changes(actor=editor, article=article, note=" ")
    services.article_request_changes(
        actor=editor, article=article, note="Tambahkan jam buka."
    )
    assert article.status == S.CHANGES_REQUESTED
    services.article_update(
        actor=member, article=article, body="<p>Buka pukul 08.00-17.00.</p>"
    )
    services.article_submit(actor=member, article=article)
    # The member cannot approve or edit once submitted.
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=member, article=article)
    with pytest.raises(PermissionDenied):
        services.article_update(actor=member, article=article, title="Lain")
    services.article_approve(actor=editor, article=article)
    with pytest.raises(ValidationError):
        services.article_schedule(
            actor=editor,
            article=article,
            publish_at=timezone.now() - timedelta(hours=1),
        )
    when = timezone.now() + timedelta(hours=2)
    services.article_schedule(actor=editor, article=article, publish_at=when)
    article.refresh_from_db()
    assert article.status == S.SCHEDULED and article.publish_at == when
    assert ArticleRevision.objects.filter(article=article).count() == 2
    actions = list(
        ReviewNote.objects.filter(article=article)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "request_changes", "submit", "approve", "schedule"]
    assert (
        ReviewNote.objects.get(action="request_changes").note == "Tambahkan jam buka."
    )
    # Not yet due: nothing happens; once due, it is published exactly once.
    assert services.articles_publish_due() == 0
    assert services.articles_publish_due(now=when + timedelta(seconds=1)) == 1
    assert services.articles_publish_due(now=when + timedelta(seconds=2)) == 0
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.published_at == when
    assert (
        AuditEntry.objects.filter(action="publish", object_id=str(article.pk)).count()
        == 1
    )


def test_editor_of_berau_cannot_review_or_publish_in_kukar(
    member, kim, editor, berau_editor
) -> None:  # type: ignore[no-untyped-def]
    article = _draft(member, kim)
    services.article_submit(actor=member, article=article)
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=berau_editor, article=article)
    services.article_approve(actor=editor, article=article)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=berau_editor, article=article)
    services.article_publish(actor=editor, article=article)
    with pytest.raises(PermissionDenied):
        services.article_unpublish(actor=berau_editor, article=article)
    services.article_unpublish(actor=editor, article=article)
    assert article.status == S.UNPUBLISHED
    assert AuditEntry.objects.filter(
        object_type="newsroom.article", changes__status=["published", "unpublished"]
    ).exists()


def test_bodies_are_sanitised(member, kim) -> None:  # type: ignore[no-untyped-def]
    article = _draft(
        member,
        kim,
        body=(
            '<p onclick="steal()">Halo <a href="javascript:alert(1)">klik</a>'
            '<a href="https://kukarkab.go.id">situs</a></p><script>alert(1)</script>'
            '<img src=x onerror="alert(1)"><iframe src="https://evil"></iframe>'
        ),
    )
    body = article.body
    for bad in ("script", "onclick", "onerror", "javascript:", "iframe", "<img"):
        assert bad not in body
    assert 'href="https://kukarkab.go.id"' in body
    assert 'rel="noopener noreferrer nofollow"' in body
    assert "halo" in article.search_document


def test_hoax_clarification_must_link_a_factcheck(member, kim) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        _draft(member, kim, kind="klarifikasi_hoaks")
    article = _draft(
        member,
        kim,
        kind="klarifikasi_hoaks",
        factcheck_url="https://simpul.example/cek-fakta/12/",
        factcheck_ref="factcheck:12",
    )
    assert article.factcheck_ref == "factcheck:12"


def test_photos_are_resized_to_responsive_webp(member, kim) -> None:  # type: ignore[no-untyped-def]
    article = _draft(member, kim)
    upload = SimpleUploadedFile("foto.jpg", photo().read(), content_type="image/jpeg")
    image = services.article_image_add(
        actor=member, article=article, image=upload, caption="Amplang", credit="KIM"
    )
    assert sorted(int(w) for w in image.renditions) == [480, 960, 1440]
    for name in image.renditions.values():
        assert name.endswith(".webp") and default_storage.exists(name)
    assert "480w" in image.srcset and "1440w" in image.srcset
    small = SimpleUploadedFile("kecil.png", photo(300, 200, "PNG").read())
    image2 = services.article_image_add(actor=member, article=article, image=small)
    assert list(image2.renditions) == ["300"]


def test_bad_uploads_are_refused(member, kim, settings) -> None:  # type: ignore[no-untyped-def]
    article = _draft(member, kim)
    fake = SimpleUploadedFile("foto.jpg", b"<?php echo 'hi'; ?>" * 10)
    with pytest.raises(ValidationError):
        services.article_image_add(actor=member, article=article, image=fake)
    gif = photo(50, 50, "GIF")
    with pytest.raises(ValidationError):
        services.article_image_add(
            actor=member, article=article, image=SimpleUploadedFile("a.gif", gif.read())
        )
    settings.NEWSROOM_MAX_IMAGE_BYTES = 1000
    with pytest.raises(ValidationError):
        services.article_image_add(
            actor=member,
            article=article,
            image=SimpleUploadedFile("b.jpg", photo().read()),
        )
    assert not ArticleImage.objects.exists()


def test_comments_spam_protection_and_moderation(
    published, editor, berau_editor
) -> None:  # type: ignore[no-untyped-def]
    ok = services.comment_create(
        article=published,
        name="Budi",
        body="Mantap, <b>semoga</b> laris!",
        fill_seconds=10,
    )
    assert ok.status == "pending"
    assert (
        services.comment_create(
            article=published,
            name="Bot",
            body="Murah",
            honeypot="http://spam",
            fill_seconds=10,
        ).status
        == "spam"
    )
    assert (
        services.comment_create(
            article=published, name="Bot", body="Cepat", fill_seconds=0.5
        ).status
        == "spam"
    )
    links = "https://a.example https://b.example https://c.example"
    assert (
        services.comment_create(
            article=published, name="Bot", body=links, fill_seconds=10
        ).status
        == "spam"
    )
    xss = services.comment_create(
        article=published,
        name="<script>x</script>Eve",
        body='<a href="javascript:alert(1)" onclick="x()">hai</a><script>1</script>',
        fill_seconds=10,
    )
    assert "script" not in xss.body and "javascript" not in xss.body
    assert "onclick" not in xss.body and "<" not in xss.name
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=berau_editor, comment=ok, status="approved")
    services.comment_moderate(actor=editor, comment=ok, status="approved")
    assert ok.status == "approved"


def test_slugs_stay_unique(member, kim) -> None:  # type: ignore[no-untyped-def]
    a = _draft(member, kim)
    b = _draft(member, kim)
    assert (a.slug, b.slug) == (
        "pulau-kumala-di-akhir-pekan",
        "pulau-kumala-di-akhir-pekan-2",
    )


def test_demo_data_is_idempotent(kaltim) -> None:  # type: ignore[no-untyped-def]
    from accounts.services import demo_accounts_ensure
    from network.demo import load_demo as network_demo
    from newsroom.demo import FGD_TITLE, POTENTIALS, load_demo
    from newsroom.models import Subscriber

    demo_accounts_ensure()
    network_demo()
    load_demo()
    load_demo()
    # Four articles and the local-potential stories (newsroom.demo.POTENTIALS).
    assert Article.objects.filter(status=S.PUBLISHED).count() == 4 + len(POTENTIALS)
    fgd = Article.objects.get(title=FGD_TITLE)
    assert fgd.published_at.date().isoformat() == "2022-07-12"
    assert Article.objects.filter(kim__name="KIM Jahab Informatif").exists()
    assert Subscriber.objects.count() == 4


def _scheduled(member, kim, editor, when, title, **plan):  # type: ignore[no-untyped-def]
    article = _draft(member, kim, title=title)
    services.article_submit(actor=member, article=article)
    services.article_approve(actor=editor, article=article)
    return services.article_schedule(
        actor=editor, article=article, publish_at=when, **plan
    )


def test_article_of_a_deactivated_scheduler_is_held_and_the_run_goes_on(
    member, kim, editor, make_user, channel_settings, client
) -> None:  # type: ignore[no-untyped-def]
    from channels.models import OutboxMessage

    colleague = make_user("editor", "64.02", full_name="Editor Kedua")
    soon = timezone.now() + timedelta(hours=1)
    # Scheduled by ``editor`` (one with a send plan), then a colleague's, due later.
    planned = _scheduled(
        member,
        kim,
        editor,
        soon,
        "Festival Erau",
        send_to={"region_codes": ["64.02"], "subscribers": True},
        send_channels=["email"],
    )
    plain = _scheduled(member, kim, editor, soon, "Pasar Malam Tenggarong")
    other = _scheduled(
        member, kim, colleague, soon + timedelta(minutes=5), "Lomba Perahu Naga"
    )
    editor.is_active = False
    editor.save()

    assert services.articles_publish_due(now=soon + timedelta(minutes=6)) == 1
    other.refresh_from_db()
    assert other.status == S.PUBLISHED
    for article in (planned, plain):
        article.refresh_from_db()
        assert article.status == S.SCHEDULED
        assert "Editor Kukar" in article.held_reason
        assert ReviewNote.objects.filter(article=article, action="hold").exists()
    # The scheduler and the colleague who may publish it are e-mailed, once.
    told = set(
        OutboxMessage.objects.filter(
            channel="email", reference=f"article:{plain.pk}"
        ).values_list("to", flat=True)
    )
    assert told == {editor.email, colleague.email}
    # A held article is left alone by the next runs.
    assert services.articles_publish_due(now=soon + timedelta(minutes=7)) == 0
    assert OutboxMessage.objects.filter(reference=f"article:{plain.pk}").count() == 2

    # The desk shows why.
    client.force_login(colleague)
    page = client.get("/kabar/staf/?status=scheduled").content.decode()
    assert "Editor Kukar" in page and plain.title in page

    # The colleague schedules it again: it is published on their behalf.
    later = timezone.now() + timedelta(minutes=10)
    services.article_schedule(actor=colleague, article=plain, publish_at=later)
    plain.refresh_from_db()
    assert plain.held_reason == "" and plain.scheduled_by == colleague
    assert services.articles_publish_due(now=later) == 1
    plain.refresh_from_db()
    assert plain.status == S.PUBLISHED
