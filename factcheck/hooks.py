"""What the fact-check app plugs into the house (``register`` is called by
``core.hooks``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

from accounts.models import Role
from regions.models import Region

# The link in templates/base.html's menu, translated in this app's catalogue.
NAV_LABEL = gettext_noop("Check facts")
DESK = {Role.FACT_CHECKER, Role.PROVINCE_ADMIN}
DESK_VIEW = DESK | {Role.EDITOR}


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from accounts.dashboard import register_panel
    from accounts.permissions import register_rules
    from core.demo import register_demo
    from core.health import register_check
    from core.schedule import register_beat, register_periodic
    from factcheck import matching_service, tipline
    from factcheck.selectors import factchecks_by_province
    from factcheck.tasks import (
        confirmations_expire_task,
        feeds_import_due_task,
        private_files_sweep_task,
        tip_links_retry_due_task,
    )
    from regions.pages import register_section, register_tally

    register_rules("factcheck.claim", {"view": DESK_VIEW, "change": DESK})
    register_rules(
        "factcheck.factcheck",
        {"view": DESK_VIEW, "change": DESK, "publish": DESK},
    )
    register_rules("factcheck.tipster", {"delete": DESK})
    # Feeds publish into the whole archive: the desk's roles, province-wide
    # (``selectors.feed_manage_allowed``).
    register_rules("factcheck.feed", {"view": DESK, "change": DESK})
    register_rules("factcheck.network", {"export": DESK})
    register_panel("factcheck", dashboard_panel, order=30)
    register_section("factcheck.home", home_section, order=20, page="home")
    register_tally(
        "factcheck.factchecks", _("Fact-checks"), factchecks_by_province, order=30
    )
    register_check("matching", health_check)
    register_check("image_text", image_text_check)
    register_demo("factcheck", _demo, order=30)
    # The tipline's bots: routes of the one webhook per provider (channels).
    tipline.register()
    # Each machine's copy of the matching index, kept current by its workers.
    register_beat("factcheck.matching_index", matching_service.save_if_behind)
    register_periodic(
        "factcheck.feeds",
        feeds_import_due_task,
        every=timedelta(minutes=settings.FACTCHECK_FEED_EVERY_MINUTES),
    )
    register_periodic(
        "factcheck.confirmations", confirmations_expire_task, every=timedelta(hours=1)
    )
    register_periodic(
        "factcheck.links", tip_links_retry_due_task, every=timedelta(minutes=15)
    )
    register_periodic(
        "factcheck.private_files", private_files_sweep_task, every=timedelta(hours=6)
    )
    _register_loadgen()


def _register_loadgen() -> None:
    from core.loadgen import register_generator
    from factcheck import loadgen

    register_generator("factcheck", loadgen.generate, models=loadgen.MODELS, order=20)


def health_check() -> dict[str, object]:
    from factcheck import matching_service

    return matching_service.status(load=False)


def image_text_check() -> dict[str, object]:
    """Whether text in image tips is read (Tesseract with Indonesian data);
    without it pictures are still matched by their perceptual hash."""
    from factcheck import ocr

    ok, reason = ocr.available()
    if ok:
        return {"status": "ok", "mode": "image text is read (tesseract ind+eng)"}
    return {"status": "degraded", "mode": "image text is not read", "reason": reason}


def dashboard_panel(request: HttpRequest) -> str:
    from accounts.permissions import can
    from factcheck import matching_service
    from factcheck.selectors import decision_quality, desk_counts

    user = request.user
    if not can(user, "view", "factcheck.claim"):
        return ""
    return render_to_string(
        "factcheck/_dashboard_panel.html",
        {
            "counts": desk_counts(actor=user),  # type: ignore[arg-type]
            "engine": matching_service.status(),
            "quality": decision_quality(actor=user),  # type: ignore[arg-type]
            "image_text": image_text_check(),
        },
        request=request,
    )


def home_section(request: HttpRequest, region: Region) -> str:
    """The latest verdicts on the home page: those about the person's region
    first, then the province's."""
    from factcheck.selectors import factcheck_public_list
    from regions.selectors import subtree_q

    latest = factcheck_public_list()
    near = list(latest.filter(subtree_q(region.kode, "regions__kode")).distinct()[:3])
    if len(near) < 3:
        near += list(latest.exclude(pk__in=[f.pk for f in near])[: 3 - len(near)])
    return render_to_string(
        "factcheck/_home_section.html", {"items": near, "region": region}, request
    )


def _demo() -> list[str]:
    from factcheck.demo import demo_ensure

    return demo_ensure()
