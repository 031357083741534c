from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.models import AuditEntry, User
from accounts.permissions import can, permitted_user
from accounts.phones import phone_text
from accounts.services import audit_record
from channels.social import views as social_views
from channels.social.services import Publication
from core.exports import table_response
from core.idempotency import idempotent
from core.links import site_url
from core.viewtools import choice_param, form_write, or_404
from factcheck import image_matching, imaging, selectors, services
from factcheck import messages as texts
from factcheck.address import tipline_address
from factcheck.forms import (
    FactCheckForm,
    FeedForm,
    NetworkSendForm,
    NoteForm,
    TipForm,
    VerdictForm,
    WithdrawForm,
)
from factcheck.jsonld import claimreview
from factcheck.models import (
    Channel,
    Claim,
    FactCheck,
    FeedSource,
    Tip,
    Tipster,
    Topic,
    Verdict,
)
from regions import provinces

log = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- Public ---------------------------------------------------------------------


@ratelimit(key="ip", rate=settings.TIPLINE_RATE, method="POST", block=True)
@idempotent
def tip_form(request: HttpRequest) -> HttpResponse:
    """The "Cek dulu sebelum sebar" form: paste a message, learn if it was checked."""
    form = TipForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.tip_submit(
                    channel=Channel.WEB,
                    text=data["text"],
                    region=data["region"],
                    contact_channel=Channel.WHATSAPP if data["whatsapp"] else "",
                    contact=data["whatsapp"],
                    image=_upload_read(data.get("image")),
                )
            except ValidationError as exc:
                errors = getattr(exc, "error_dict", None) or {"text": exc.error_list}
                for field, messages in errors.items():
                    form.add_error(
                        field if field in form.fields else "text",
                        [m for e in messages for m in e.messages],
                    )
        if not form.is_valid() or outcome is None:
            status = 400
    context: dict[str, object] = {"form": form, "outcome": outcome}
    if outcome is not None and outcome.tip is not None and outcome.tip.link_url:
        context["link_watch"] = link_watch_token(outcome.tip)
    return _tip_page(request, context, status)


LINK_WATCH = "factcheck.tip-link"
LINK_WATCH_SECONDS = 120
"""How long the web form waits for a tip's linked page to be read (the task
has 5 s per try); after that the page says the answer will come later."""


def link_watch_token(tip: Tip) -> str:
    """What the result box polls with: the tip's id, signed, so nobody reads
    another person's tip by counting."""
    return signing.dumps(tip.pk, salt=LINK_WATCH)


@ratelimit(key="ip", rate=settings.TIPLINE_RATE, block=True)
def tip_link_result(request: HttpRequest, token: str) -> HttpResponse:
    """The result of a web tip whose link is read in the background: the box
    polls this until the page is read, then shows the better answer (or says
    none came)."""
    try:
        pk = signing.loads(token, salt=LINK_WATCH, max_age=3600)
    except signing.BadSignature as exc:
        raise Http404 from exc
    tip = or_404(Tip.objects.select_related("matched").filter(pk=pk).first())
    age = (timezone.now() - tip.received_at).total_seconds()
    context = {
        "tip": tip,
        "token": token,
        "waiting": tip.link_fetched_at is None and age < LINK_WATCH_SECONDS,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "factcheck/_tip_link_result.html", context)
    return _tip_page(request, {"form": TipForm(), "link": context})


def _upload_read(upload: Any) -> image_matching.ImageRead | None:
    """An uploaded picture, checked and read (OCR) before the tip's
    transaction; one past the limit is refused unread."""
    if not upload:
        return None
    if upload.size > imaging.MAX_BYTES:
        raise ValidationError({"image": image_matching.refusal("too_large")})
    upload.seek(0)
    return image_matching.image_read(bytes(upload.read()))


def _tip_page(
    request: HttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """The tip page, or only its result box for htmx."""
    template = "factcheck/tip_form.html"
    if request.htmx:  # type: ignore[attr-defined]
        template = "factcheck/_tip_result.html"
    else:
        context = {**context, "latest": _latest(), "tipline": tipline_address()}
    return render(request, template, context, status=status)


@require_POST
@ratelimit(key="ip", rate=settings.TIPLINE_RATE, method="POST", block=True)
def tip_confirm(request: HttpRequest) -> HttpResponse:
    """The sender's answer to "is it one of these?" on the web form."""
    token = request.POST.get("token", "")[:40]
    choice = request.POST.get("choice", "")
    if not token or not choice.isdigit() or len(choice) > 1:
        return _tip_page(request, {"form": TipForm(), "answer": None}, status=400)
    answer = services.confirmation_answer(
        token=token, choice=int(choice), channel=Channel.WEB
    )
    status = 200 if answer.state != "unknown" else 400
    return _tip_page(request, {"form": TipForm(), "answer": answer}, status)


def _latest() -> list[FactCheck]:
    return list(selectors.factcheck_public_list()[:5])


def factcheck_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    verdict = choice_param(request, "verdict", Verdict.values)
    topic = choice_param(request, "topik", Topic.values)
    province = provinces.province_param(request.GET.get("provinsi")) or ""
    items = selectors.factcheck_public_list(
        q=q, verdict=verdict, topic=topic, province=province
    )
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    filters = {
        k: v
        for k, v in (
            ("q", q),
            ("verdict", verdict),
            ("topik", topic),
            ("provinsi", province),
        )
        if v
    }
    return render(
        request,
        "factcheck/list.html",
        {
            "page": page,
            "q": q,
            "verdict": verdict,
            "verdicts": Verdict.choices,
            "topic": topic,
            "topics": Topic.choices,
            "province": province,
            "query": urlencode(filters),
        },
    )


def factcheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A fact-check's public page. The desk also sees drafts; a withdrawn one
    keeps its page (people may have shared the link), which says it was
    withdrawn and why, and shows its text to the desk only."""
    factcheck = selectors.factcheck_public_get(pk=pk)
    desk_preview = False
    if factcheck is None:
        factcheck = selectors.factcheck_get(actor=request.user, pk=pk)  # type: ignore[arg-type]
        desk_preview = factcheck is not None
        if factcheck is None:
            factcheck = selectors.factcheck_withdrawn_get(pk=pk)
        if factcheck is None:
            raise Http404(_("No published fact-check has this number."))
    page_url = request.build_absolute_uri(factcheck.get_absolute_url())
    return render(
        request,
        "factcheck/detail.html",
        {
            "factcheck": factcheck,
            "show_text": factcheck.is_published or desk_preview,
            "jsonld": claimreview(factcheck, page_url=page_url)
            if factcheck.is_published
            else None,
            "share_text": texts.share_text(factcheck),
            "page_url": page_url,
            "card_url": request.build_absolute_uri(
                f"{factcheck.get_absolute_url()}kartu.png"
            ),
            "claims": factcheck.claims.count() if factcheck.is_published else 0,
            "can_edit": selectors.factcheck_allowed(
                actor=request.user, action="change", factcheck=factcheck
            ),
        },
    )


@login_required
@cache_control(max_age=300, private=True)
def tip_image(request: HttpRequest, pk: int) -> FileResponse:
    """The picture of a tip, for the desk only (private storage, never under
    MEDIA_URL)."""
    user = _desk_view(request)
    tip = or_404(Tip.objects.select_related("image", "claim").filter(pk=pk).first())
    _claim(user, tip.claim_id)  # the same rule as the claim's page
    image = or_404(getattr(tip, "image", None))
    response = FileResponse(image.file.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@cache_control(max_age=3600, public=True)
def factcheck_card(request: HttpRequest, pk: int) -> FileResponse:
    factcheck = or_404(selectors.factcheck_public_get(pk=pk))
    factcheck = services.factcheck_card_ensure(factcheck=factcheck)
    return FileResponse(factcheck.card.open("rb"), content_type="image/png")


# --- The desk -------------------------------------------------------------------


def _desk_view(request: HttpRequest) -> User:
    user = permitted_user(request, "view", "factcheck.claim")
    return user


def _claim(user: User, pk: int) -> Claim:
    return or_404(selectors.claim_get(actor=user, pk=pk), _("Claim not found."))


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = _desk_view(request)
    status = choice_param(
        request, "status", ("open", "all", *Claim.Status.values), "open"
    )
    assigned = request.GET.get("assigned", "")
    q = request.GET.get("q", "").strip()[:100]
    topic = choice_param(request, "topik", Topic.values)
    claims = selectors.claim_list(
        actor=user, status=status, assigned=assigned, q=q, topic=topic
    )
    page = Paginator(claims.select_related("assigned_to"), 25).get_page(
        request.GET.get("page")
    )
    template = "factcheck/desk.html"
    if request.htmx:  # type: ignore[attr-defined]
        template = "factcheck/_claim_rows.html"
    return render(
        request,
        template,
        {
            "page": page,
            "status": status,
            "assigned": assigned,
            "q": q,
            "topic": topic,
            "topics": Topic.choices,
            "query": urlencode(
                {
                    k: v
                    for k, v in (
                        ("q", q),
                        ("status", status),
                        ("assigned", assigned),
                        ("topik", topic),
                    )
                    if v
                }
            ),
            "statuses": Claim.Status.choices,
            "counts": selectors.desk_counts(actor=user),
            "can_feeds": selectors.feed_allowed(actor=user, action="view"),
            "withdrawn": selectors.factcheck_withdrawn_list(actor=user),
        },
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _desk_view(request)
    claim = _claim(user, pk)
    return _render_claim(request, user, claim)


def _render_claim(
    request: HttpRequest,
    user: User,
    claim: Claim,
    *,
    verdict_form: VerdictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tips = list(
        claim.tips.select_related("tipster", "region", "image").order_by(
            "-received_at"
        )[:100]
    )
    return render(
        request,
        "factcheck/claim.html",
        {
            "claim": claim,
            "tips": tips,
            "opted_out": selectors.tipsters_opted_out(
                tipsters={t.tipster for t in tips if t.tipster is not None}
            ),
            "regions": selectors.claim_regions(claim=claim),
            "suggestions": selectors.claim_suggestions(claim=claim),
            "notes": claim.notes.select_related("author"),
            "verdict_form": verdict_form
            or VerdictForm(initial=VerdictForm.initial_for(claim)),
            "note_form": NoteForm(),
            "can_work": can(user, "change", "factcheck.claim"),
            "can_publish": can(user, "publish", "factcheck.factcheck"),
            # The drafter waits for a second person (unless a one-person desk).
            "own_draft": claim.drafted_by_id == user.pk
            and not settings.FACTCHECK_SINGLE_PERSON_DESK,
            "can_edit_factcheck": claim.factcheck is not None
            and selectors.factcheck_allowed(
                actor=user, action="change", factcheck=claim.factcheck
            ),
            "desk_users": selectors.desk_users(),
            "topics": Topic.choices,
            "next_statuses": [
                (value, label)
                for value, label in Claim.Status.choices
                if value in services._NEXT.get(claim.status, set())
            ],
        },
        status=status,
    )


@login_required
@require_POST
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every change made at the desk: status, assignment, note, confirming a
    suggested match, drafting, reviewing and publishing the verdict."""
    user = _desk_view(request)
    claim = _claim(user, pk)
    post = request.POST
    try:
        if action == "status":
            services.claim_set_status(actor=user, claim=claim, status=post["status"])
            messages.success(request, _("Status changed."))
        elif action == "assign":
            assignee = None
            if post.get("user"):
                assignee = selectors.desk_users().filter(pk=post["user"]).first()
                if assignee is None:
                    raise ValidationError(_("Choose someone who works the desk."))
            services.claim_assign(actor=user, claim=claim, assignee=assignee)
            messages.success(request, _("Assignment saved."))
        elif action == "topic":
            services.claim_set_topic(
                actor=user, claim=claim, topic=post.get("topic", "")
            )
            messages.success(request, _("Topic changed."))
        elif action == "note":
            note = NoteForm(post)
            if note.is_valid():
                services.claim_note_add(
                    actor=user, claim=claim, text=note.cleaned_data["text"]
                )
        elif action == "confirm":
            factcheck = FactCheck.objects.filter(
                pk=post.get("factcheck") or 0, status=FactCheck.Status.PUBLISHED
            ).first()
            if factcheck is None:
                raise ValidationError(_("That fact-check is not published."))
            services.claim_confirm_match(actor=user, claim=claim, factcheck=factcheck)
            messages.success(
                request, _("Match confirmed; everyone who asked is being told.")
            )
        elif action == "draft":
            form = VerdictForm(post)
            if not form.is_valid():
                return _render_claim(
                    request, user, claim, verdict_form=form, status=400
                )
            services.claim_draft_verdict(actor=user, claim=claim, **form.cleaned_data)
            messages.success(request, _("Verdict drafted."))
        elif action == "review":
            services.claim_review(actor=user, claim=claim)
            messages.success(request, _("Draft reviewed; it can be published."))
        elif action == "publish":
            factcheck = services.claim_publish(
                actor=user, claim=claim, to_network=post.get("to_network") == "1"
            )
            messages.success(
                request,
                _("Published. The verdict is on its way to everyone who asked."),
            )
            if factcheck.network_requested_at:
                return redirect("factcheck:network_contacts", pk=factcheck.pk)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("factcheck:claim", pk=claim.pk)


@login_required
@require_POST
def tipster_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = permitted_user(request, "delete", "factcheck.tipster")
    tipster = or_404(Tipster.objects.filter(pk=pk).first())
    back = request.POST.get("claim", "")
    services.tipster_delete(actor=user, tipster=tipster)
    messages.success(request, _("The sender's contact has been deleted."))
    if back.isdigit():
        return redirect("factcheck:claim", pk=int(back))
    return redirect("factcheck:desk")


@login_required
def trend(request: HttpRequest) -> HttpResponse:
    user = _desk_view(request)
    try:
        days = min(max(int(request.GET.get("hari", 14)), 1), 60)
    except ValueError:
        days = 14
    return render(
        request,
        "factcheck/trend.html",
        {"trend": selectors.trend(actor=user, days=days), "days": days},
    )


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """Verdicts sent to the KIM network, each with where it went and how far
    the sending got (the newsroom's dissemination)."""
    user = permitted_user(request, "export", "factcheck.network")
    factchecks = list(selectors.network_queue()[:100])
    sendings = _sendings(user, factchecks)
    return render(
        request,
        "factcheck/network.html",
        {"rows": [(fc, sendings.get(f"factcheck:{fc.pk}", [])) for fc in factchecks]},
    )


def _sendings(user: User, factchecks: list[FactCheck]) -> dict[str, list[Any]]:
    if not django_apps.is_installed("newsroom"):
        return {}
    from newsroom.selectors import sendings_of_items

    return sendings_of_items(
        actor=user, item_refs=[f"factcheck:{fc.pk}" for fc in factchecks]
    )


CONTACT_HEADERS = [
    "nama",
    "peran",
    "kim",
    "wilayah",
    "kode_wilayah",
    "telepon",
    "email",
]


@login_required
def network_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a verdict to the KIM network of chosen regions (through the
    newsroom's dissemination, like any other message); the coordinators of
    those regions for reference (list, or CSV to download)."""
    user = permitted_user(request, "export", "factcheck.network")
    factcheck = or_404(selectors.factcheck_public_get(pk=pk))
    default = selectors.network_region_codes(factcheck=factcheck)
    form = NetworkSendForm(
        request.POST or None, actor=user, initial={"region_codes": default}
    )
    if form_write(
        request,
        form,
        lambda: services.factcheck_share_to_network(
            actor=user,
            factcheck=factcheck,
            region_codes=form.cleaned_data["region_codes"],
        ),
        _("Sending to the KIM network has started."),
        refused=_("This region is outside your area."),
    ):
        return redirect("factcheck:network_contacts", pk=pk)
    contacts = selectors.network_contacts(factcheck=factcheck, actor=user)
    if request.GET.get("format") == "csv":
        audit_record(
            actor=user,
            action=AuditEntry.Action.EXPORT,
            obj=factcheck,
            changes={"contacts": len(contacts)},
        )
        return table_response(
            filename=f"kontak-kim-cekfakta-{factcheck.pk}",
            headers=CONTACT_HEADERS,
            rows=(
                [
                    c.name,
                    c.role,
                    c.kim,
                    c.region,
                    c.region_code,
                    phone_text(c.phone),
                    c.email,
                ]
                for c in contacts
            ),
        )
    return render(
        request,
        "factcheck/network_contacts.html",
        {
            "factcheck": factcheck,
            "form": form,
            "sendings": _sendings(user, [factcheck]).get(
                f"factcheck:{factcheck.pk}", []
            ),
            "contacts": contacts,
            "share_text": texts.share_text(factcheck),
        },
    )


# --- Editing and withdrawing a fact-check ------------------------------------------


def _factcheck_for_edit(request: HttpRequest, pk: int) -> tuple[User, FactCheck]:
    """Desk roles that may change fact-checks; one outside their area is 404."""
    user = permitted_user(request, "change", "factcheck.factcheck")
    factcheck = or_404(
        selectors.factcheck_get_for_edit(actor=user, pk=pk), _("Fact-check not found.")
    )
    return user, factcheck


def _verdict_publication(factcheck: FactCheck) -> Publication:
    factcheck = services.factcheck_card_ensure(factcheck=factcheck)
    return Publication(
        source_key=f"factcheck.factcheck:{factcheck.pk}",
        title=f"{factcheck.verdict_label}: {factcheck.title}",
        summary=factcheck.summary,
        link=site_url(factcheck.get_absolute_url()),
        author=factcheck.publisher,
        image_name=(factcheck.card.name or "") if factcheck.card else "",
        image_fit="pad",
        tag_names=[
            "Cek Fakta",
            *(r.name for r in factcheck.regions.all()),
            "Simpul",
        ],
    )


@login_required
def factcheck_social(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a published verdict (its card, the verdict and the link) to the
    social media accounts the person may post to."""
    user, factcheck = _factcheck_for_edit(request, pk)
    if not can(user, "create", "newsroom.dissemination"):
        raise PermissionDenied
    return social_views.publish_page(
        request,
        source_key=f"factcheck.factcheck:{factcheck.pk}",
        publication=lambda: _verdict_publication(factcheck),
        ready=factcheck.is_published,
        template="factcheck/social.html",
        context={"factcheck": factcheck},
    )


def _render_edit(
    request: HttpRequest,
    user: User,
    factcheck: FactCheck,
    *,
    form: FactCheckForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "factcheck/edit.html",
        {
            "factcheck": factcheck,
            "form": form or FactCheckForm(factcheck=factcheck),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "can_publish": selectors.factcheck_allowed(
                actor=user, action="publish", factcheck=factcheck
            ),
        },
        status=status,
    )


def _edit_post(
    request: HttpRequest,
    user: User,
    factcheck: FactCheck,
    form: FactCheckForm | WithdrawForm,
    write: Callable[[], FactCheck],
    success: str,
) -> HttpResponse:
    """A form of the edit page written through ``write``: on to the fact-check's
    page, or the edit page again with the form's errors. A service that refused
    a change had already set the refused values on its copy of the fact-check:
    the page shows the stored one."""
    if form_write(request, form, write, success):
        return redirect(factcheck.get_absolute_url())
    stored = selectors.factcheck_get_for_edit(actor=user, pk=factcheck.pk) or factcheck
    if isinstance(form, WithdrawForm):
        return _render_edit(request, user, stored, withdraw_form=form, status=400)
    return _render_edit(request, user, stored, form=form, status=400)


@login_required
def factcheck_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, factcheck = _factcheck_for_edit(request, pk)
    if request.method != "POST":
        return _render_edit(request, user, factcheck)
    form = FactCheckForm(request.POST, request.FILES, factcheck=factcheck)

    def write() -> FactCheck:
        data = dict(form.cleaned_data)
        regions = list(data.pop("regions"))
        image = data.pop("image")
        remove_image = bool(data.pop("remove_image", False))
        return services.factcheck_update(
            actor=user,
            factcheck=factcheck,
            regions=regions,
            image=image,
            remove_image=remove_image,
            **data,
        )

    return _edit_post(request, user, factcheck, form, write, _("Fact-check saved."))


@login_required
@require_POST
def factcheck_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user, factcheck = _factcheck_for_edit(request, pk)
    form = WithdrawForm(request.POST)

    def write() -> FactCheck:
        reason = form.cleaned_data["withdrawal_reason"]
        return services.factcheck_withdraw(
            actor=user, factcheck=factcheck, reason=reason
        )

    withdrawn = _("Withdrawn. Its page now says so; it no longer answers tips.")
    return _edit_post(request, user, factcheck, form, write, withdrawn)


@login_required
@require_POST
def factcheck_republish(request: HttpRequest, pk: int) -> HttpResponse:
    user, factcheck = _factcheck_for_edit(request, pk)
    try:
        services.factcheck_republish(actor=user, factcheck=factcheck)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("factcheck:edit", pk=pk)
    messages.success(request, _("Published again."))
    return redirect(factcheck.get_absolute_url())


# --- Feeds ------------------------------------------------------------------------


def _feeds_user(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.feed_allowed(actor=user, action="view"):
        raise PermissionDenied
    return user


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    """The ClaimReview and RSS feeds imported on a schedule; add one here."""
    user = _feeds_user(request)
    form = FeedForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form_write(
            request,
            form,
            lambda: services.feed_create(actor=user, **form.cleaned_data),
            _("Feed added."),
        ):
            return redirect("factcheck:feeds")
        status = 400
    return render(
        request,
        "factcheck/feeds.html",
        {
            "feeds": selectors.feed_list(actor=user),
            "form": form,
            "every": settings.FACTCHECK_FEED_EVERY_MINUTES,
        },
        status=status,
    )


@login_required
@require_POST
def feed_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Turn a feed on or off, delete it, or import it now."""
    user = _feeds_user(request)
    feed: FeedSource | None = selectors.feed_get(actor=user, pk=pk)
    if feed is None:
        raise Http404(_("Feed not found."))
    try:
        if action == "aktif":
            active = request.POST.get("active") == "1"
            services.feed_set_active(actor=user, feed=feed, active=active)
            messages.success(
                request, _("Feed turned on.") if active else _("Feed turned off.")
            )
        elif action == "hapus":
            services.feed_delete(actor=user, feed=feed)
            messages.success(request, _("Feed deleted."))
        elif action == "impor":
            services.feed_import_now(actor=user, feed=feed)
            messages.success(
                request,
                _("Import requested; the result shows here when it is done."),
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("factcheck:feeds")
