"""Connecting social accounts: "Connect Facebook" → the platform's dialog →
the callback lists the person's Pages and their Instagram accounts → they pick
which to connect. Disconnecting, and opening an account to the region's
editors, from the owner's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from channels.models import Platform
from channels.social import owners, selectors, services
from core.links import site_url
from core.viewtools import or_404

SESSION_NONCE = "social_oauth_nonce"
SESSION_PAGES = "social_oauth_pages"


def _callback_uri() -> str:
    return site_url(reverse("channels:social_callback"))


def _owner_or_404(kind: str, owner_id: str) -> owners.Owner:
    return or_404(owners.owner_get(kind, owner_id), _("Owner not found."))


def _to_consent(
    request: HttpRequest,
    kind: str,
    owner_id: str,
    session_key: str,
    start: Callable[[], tuple[str, Any]],
) -> HttpResponse:
    """To the platform's consent page (``start`` gives its URL and what the way
    back needs, kept in the session), or back to the owner with the reason
    the connection may not start."""
    owner = _owner_or_404(kind, owner_id)
    try:
        url, pending = start()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(owner.url)
    request.session[session_key] = pending
    return redirect(url)


@login_required
def connect_start(request: HttpRequest, kind: str, owner_id: str) -> HttpResponse:
    return _to_consent(
        request,
        kind,
        owner_id,
        SESSION_NONCE,
        lambda: services.oauth_start(
            actor=request.user,
            owner_kind=kind,
            owner_id=owner_id,
            redirect_uri=_callback_uri(),
        ),
    )


def _oauth2_callback_uri(platform: str) -> str:
    return site_url(reverse("channels:social_oauth2_callback", args=[platform]))


def _oauth2_platform(platform: str) -> str:
    if platform not in services.OAUTH2:
        raise Http404
    return platform


@login_required
def connect_start_oauth2(
    request: HttpRequest, kind: str, owner_id: str, platform: str
) -> HttpResponse:
    """ "Connect X" / "Connect TikTok": to the platform's consent page."""
    platform = _oauth2_platform(platform)
    return _to_consent(
        request,
        kind,
        owner_id,
        f"{SESSION_NONCE}_{platform}",
        lambda: services.oauth2_start(
            actor=request.user,
            platform=platform,
            owner_kind=kind,
            owner_id=owner_id,
            redirect_uri=_oauth2_callback_uri(platform),
        ),
    )


def _returned_owner(
    request: HttpRequest, *, nonce: str, platform: str
) -> tuple[str, str, owners.Owner] | HttpResponse:
    """(kind, id, owner) named by the state a platform sent the person back
    with, or where to send them instead: a state that is not theirs or has
    expired, or a consent they cancelled (``error``, no ``code``)."""
    try:
        kind, owner_id = services.oauth_state_check(
            actor=request.user,
            state=request.GET.get("state", ""),
            nonce=nonce,
            platform=platform,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("channels:social_failed")
    owner = _owner_or_404(kind, owner_id)
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("The connection was cancelled."))
        return redirect(owner.url)
    return kind, owner_id, owner


@login_required
def connect_callback_oauth2(request: HttpRequest, platform: str) -> HttpResponse:
    """Back from X or TikTok with ``code`` and ``state`` (or ``error``): the
    account is connected at once (one account per login)."""
    platform = _oauth2_platform(platform)
    pending = request.session.pop(f"{SESSION_NONCE}_{platform}", None) or {}
    returned = _returned_owner(
        request, nonce=str(pending.get("nonce", "")), platform=platform
    )
    if isinstance(returned, HttpResponse):
        return returned
    _kind, _owner_id, owner = returned
    try:
        account = services.oauth2_connect(
            actor=request.user,
            platform=platform,
            state=request.GET.get("state", ""),
            pending=pending,
            code=request.GET["code"],
            redirect_uri=_oauth2_callback_uri(platform),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(owner.url)
    messages.success(request, _("Connected: %(names)s.") % {"names": str(account)})
    return redirect(owner.url)


@login_required
def connect_callback(request: HttpRequest) -> HttpResponse:
    """The platform sends the person back here with ``code`` and ``state``
    (or ``error`` when they cancelled)."""
    returned = _returned_owner(
        request,
        nonce=request.session.pop(SESSION_NONCE, ""),
        platform=Platform.FACEBOOK,
    )
    if isinstance(returned, HttpResponse):
        return returned
    kind, owner_id, owner = returned
    try:
        pages, lifetime = services.oauth_pages(
            code=request.GET["code"], redirect_uri=_callback_uri()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(owner.url)
    if not pages:
        messages.error(request, _("This Facebook account manages no Page."))
        return redirect(owner.url)
    request.session[SESSION_PAGES] = {
        "kind": kind,
        "owner": owner_id,
        "pages": services.pages_seal(pages),
        "lifetime": lifetime,
    }
    return redirect("channels:social_choose")


@login_required
def connect_choose(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_PAGES)
    if not pending:
        return redirect("channels:social_failed")
    kind, owner_id = pending["kind"], pending["owner"]
    if not owners.may_manage(request.user, kind, owner_id):
        raise PermissionDenied
    owner = _owner_or_404(kind, owner_id)
    pages = services.pages_unseal(pending["pages"])
    errors: list[str] = []
    if request.method == "POST":
        try:
            connected = services.accounts_connect(
                actor=request.user,
                owner_kind=kind,
                owner_id=owner_id,
                pages=pages,
                facebook_ids=request.POST.getlist("facebook"),
                instagram_ids=request.POST.getlist("instagram"),
                lifetime=pending.get("lifetime"),
                shared=request.POST.get("shared") == "1",
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            request.session.pop(SESSION_PAGES, None)
            messages.success(
                request,
                _("Connected: %(names)s.")
                % {"names": ", ".join(a.name for a in connected)},
            )
            return redirect(owner.url)
    return render(
        request,
        "channels/social/choose.html",
        {"owner": owner, "pages": pages, "errors": errors},
    )


@login_required
def connect_failed(request: HttpRequest) -> HttpResponse:
    return render(request, "channels/social/failed.html")


@login_required
@require_POST
def account_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    account = or_404(selectors.account_get_for_manager(actor=request.user, pk=pk))
    services.account_revoke(actor=request.user, account=account)
    messages.success(request, _("%(name)s is disconnected.") % {"name": account.name})
    owner = _owner_or_404(account.owner_kind, account.owner_id)
    return redirect(owner.url)


@login_required
@require_POST
def account_share(request: HttpRequest, pk: int) -> HttpResponse:
    account = or_404(selectors.account_get_for_manager(actor=request.user, pk=pk))
    services.account_share_set(
        actor=request.user, account=account, shared=request.POST.get("shared") == "1"
    )
    owner = _owner_or_404(account.owner_kind, account.owner_id)
    return redirect(owner.url)


@login_required
def office_accounts(request: HttpRequest, kode: str) -> HttpResponse:
    """A Diskominfo office's social accounts."""
    owner = _owner_or_404("office", kode)
    if not owners.may_manage(request.user, "office", kode):
        raise PermissionDenied
    return render(
        request,
        "channels/social/office.html",
        {
            "owner": owner,
            "social_accounts": selectors.accounts_of_owner(
                owner_kind="office", owner_id=kode
            ),
        },
    )


def publish_page(
    request: HttpRequest,
    *,
    source_key: str,
    publication: Callable[[], services.Publication],
    ready: bool,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The "post to social media" page of an app's item (an article, a
    verdict): the accounts this editor may post to (filtered by region), the
    item's posts with their status, links and reach. The app has checked that
    the person may send the item out."""
    region_code = request.GET.get("wilayah", "").strip()[:20]
    accounts = selectors.accounts_for_publisher(
        actor=request.user, region_code=region_code
    )
    errors: list[str] = []
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("account") if v.isdigit()}
        picked = [a for a in accounts if a.pk in chosen]
        if not ready:
            errors.append(_("Publish or schedule it first: posts link to it."))
        else:
            try:
                queued = services.publish(
                    actor=request.user, publication=publication(), accounts=picked
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("%(n)d posts queued.") % {"n": len(queued)})
                return redirect(request.get_full_path())
    posts = selectors.posts_of_source(source_key=source_key)
    return render(
        request,
        template,
        {
            **context,
            "accounts": accounts,
            "posted": {p.account_id for p in posts},
            "posts": posts,
            "errors": errors,
            "ready": ready,
            "region_code": region_code,
        },
    )
