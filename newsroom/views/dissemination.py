"""Staff pages of dissemination and reach: sending an article, a
dissemination's figures, the reach dashboard and monthly reports."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can, in_scope, permitted_user
from accounts.services import audit_record
from channels.social import selectors as social_selectors
from core.viewtools import cleaned_except, form_write, or_404
from network import selectors as network
from newsroom import reports, selectors, services
from newsroom.forms import (
    AudienceForm,
)
from newsroom.views.common import PROVINCE, _user
from newsroom.views.staff import _article_or_404, _channel_choices
from regions import provinces
from regions.models import Region
from regions.selectors import region_get, subtree_q


@login_required
def disseminate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    article = _article_or_404(user, pk)
    if not services.user_can_disseminate(user, article):
        raise PermissionDenied
    form = AudienceForm(
        request.POST or None,
        initial={"region_codes": article.region_id[:5], "subscribers": True},
    )
    channel_field = form.fields["channels"]
    channel_field.choices = _channel_choices()  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if dissemination := form_write(
            request,
            form,
            lambda: services.article_disseminate(
                actor=user,
                article=article,
                audience=cleaned_except(form, "channels", "urgent"),
                channels=data["channels"],
                urgent=data["urgent"],
            ),
            _("Sending has started."),
            refused=True,
        ):
            return redirect("newsroom:dissemination", pk=dissemination.pk)
    return render(
        request, "newsroom/disseminate.html", {"form": form, "article": article}
    )


@login_required
def dissemination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    dissemination = or_404(
        selectors.disseminations_for_actor(actor=user).filter(pk=pk).first()
    )
    counts = selectors.delivery_counts(dissemination=dissemination)
    statuses = ["queued", "sent", "delivered", "read", "failed", "held"]
    rows = [(c, [row.get(s, 0) for s in statuses]) for c, row in counts.items()]
    template = (
        "newsroom/_dissemination_counts.html"
        if request.htmx  # type: ignore[attr-defined]
        else "newsroom/dissemination.html"
    )
    return render(
        request,
        template,
        {
            "dissemination": dissemination,
            "regions": selectors.audience_region_names([dissemination])[0].regions,
            "rows": rows,
            "reach": selectors.reach_by_item(dissemination_id=dissemination.pk),
            "statuses": statuses,
        },
    )


def _reach_region(user: User, code: str) -> Region:
    region = region_get(kode=code) if provinces.is_served(code) else None
    if region is None or not in_scope(user, region.kode):
        raise Http404(_("Region not found."))
    return region


@login_required
def reach(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "view", "newsroom.reach")
    # Serving several provinces, someone with no region of their own (a
    # platform admin) chooses the province: there is no "the province".
    default = user.region_id or ("" if provinces.is_national() else PROVINCE)
    code = request.GET.get("wilayah", "").strip()[:13] or default
    if not code:
        return render(request, "newsroom/reach.html", {"region": None})
    region = _reach_region(user, code)
    kim_id = request.GET.get("kim")
    kim = None
    if kim_id and kim_id.isdigit():
        kim = network.kim_get(pk=int(kim_id))
        if kim is None or not region.contains_code(kim.region_id):
            raise Http404
    figures = selectors.reach_figures(
        region_code=region.kode, kim_id=kim.pk if kim else None
    )
    top = (
        selectors.article_list_public(region_code=region.kode).filter(kim_id=kim.pk)
        if kim
        else selectors.article_list_public(region_code=region.kode)
    )[:10]
    views = [v for _d, v, _c in figures.daily]
    clicks = [c for _d, _v, c in figures.daily]
    return render(
        request,
        "newsroom/reach.html",
        {
            "region": region,
            "kim": kim,
            "figures": figures,
            # Posts on the region's (or the KIM's) connected social accounts.
            "social": social_selectors.social_reach(
                # Every post only where the region is all the deployment serves.
                region_code="" if provinces.covers_all(region.kode) else region.kode,
                owner_kind="kim" if kim else "",
                owner_id=str(kim.pk) if kim else "",
            ),
            "view_bars": selectors.chart_bars(views),
            "click_bars": selectors.chart_bars(clicks),
            "first_day": figures.daily[0][0] if figures.daily else None,
            "last_day": figures.daily[-1][0] if figures.daily else None,
            "top": top,
            "children": region.children.order_by("kode")
            if region.level != Region.Level.DISTRICT
            else [],
            "months": reports.recent_months(),
            "regencies": [
                r
                # The regencies of the region's province (not of every province
                # a national list holds).
                for r in Region.objects.filter(
                    subtree_q(region.kode.split(".")[0], "kode"),
                    level=Region.Level.REGENCY,
                ).order_by("kode")
                if in_scope(user, r.kode)
            ],
            "can_export": can(user, "export", "newsroom.reach"),
        },
    )


@login_required
def report(request: HttpRequest, kode: str, month: str, fmt: str) -> HttpResponse:
    """The monthly report of a regency, as PDF or Excel."""
    user = _user(request)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    region = _reach_region(user, kode)
    if not can(user, "export", "newsroom.reach", region_code=region.kode):
        raise PermissionDenied
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    rows = selectors.monthly_report(region=region, month=first)
    start, end = selectors.month_bounds(first)
    social = social_selectors.social_report(
        region_code=region.kode, start=start, end=end
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="newsroom.report",
        object_repr=f"Laporan {region.name} {month} ({fmt})",
        region_code=region.kode,
    )
    filename = f"laporan-kabar-{region.kode}-{month}.{fmt}"
    if fmt == "pdf":
        data = reports.report_pdf(region=region, month=first, rows=rows, social=social)
        content_type = "application/pdf"
    else:
        data = reports.report_xlsx(region=region, month=first, rows=rows, social=social)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
