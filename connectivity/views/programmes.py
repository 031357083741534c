"""Programmes (BAKTI and others): the public list and page, and the staff forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permitted_user
from connectivity import selectors, services
from connectivity.forms import (
    ProgrammeForm,
)
from connectivity.models import Programme, SitingPlan
from connectivity.views._common import (
    _editable_region,
    _editor,
    _may,
)
from core.viewtools import form_write, or_404
from regions.models import Region


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = [
        (p, selectors.programme_progress(programme=p))
        for p in selectors.programmes_list()
    ]
    return render(
        request,
        "connectivity/programme_list.html",
        {
            "programmes": programmes,
            "may_add": _may(request, "change", "connectivity.programme", None),
        },
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = or_404(
        Programme.objects.select_related("region").filter(slug=slug).first(),
        _("No such programme."),
    )
    codes = list(programme.villages.values_list("kode", flat=True))
    statuses = selectors.village_statuses(region=programme.region).filter(
        region_id__in=codes
    )
    return render(
        request,
        "connectivity/programme_detail.html",
        {
            "programme": programme,
            "progress": selectors.programme_progress(programme=programme),
            "statuses": statuses,
            "towers": programme.towers.select_related("region"),
            "may_edit": _may(
                request, "change", "connectivity.programme", programme.region_id
            ),
        },
    )


# --- staff: programme forms -----------------------------------------------------


def _programme_write(
    request: HttpRequest,
    user: User,
    programme: Programme | None,
    *,
    plan: SitingPlan | None = None,
) -> HttpResponse:
    """The programme form: create (``programme`` None) or edit, by the service.
    A new programme from a siting plan starts with the plan's region and the
    villages its proposed sites are nearest to (issue 15: plan, then save)."""
    initial: dict[str, Any] = {}
    if plan is not None and plan.result:
        codes = sorted(
            {s.village.kode for s in selectors.plan_sites(plan=plan) if s.village}
        )
        initial = {
            "name": _("Tower sites of %(region)s (plan #%(n)s)")
            % {"region": plan.region.name, "n": plan.pk},
            "region": plan.region_id,
            "year": timezone.localdate().year,
            "target_villages": len(codes),
            "villages": codes,
            "source": _("Siting plan #%(n)s") % {"n": plan.pk},
        }
    if programme is not None:
        initial = {f: getattr(programme, f) for f in ProgrammeForm.base_fields}
        initial["region"] = programme.region_id
        initial["villages"] = list(
            programme.villages.order_by("kode").values_list("kode", flat=True)
        )
    form = ProgrammeForm(request.POST or None, initial=initial)
    if programme is not None:
        form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = _editable_region(user, data.pop("region"))
        codes = data.pop("villages")
        villages = list(Region.objects.filter(kode__in=codes))
        unknown = sorted(set(codes) - {v.kode for v in villages})
        if region is None:
            form.add_error("region", _("Unknown region or outside your area."))
        elif unknown:
            form.add_error(
                "villages",
                _("Unknown codes: %(codes)s") % {"codes": ", ".join(unknown)},
            )
        elif programme is None and Programme.objects.filter(slug=data["slug"]).exists():
            form.add_error("slug", _("Another programme already has this short name."))
        elif saved := form_write(
            request,
            form,
            lambda: services.programme_save(
                actor=user, region=region, villages=villages, **data
            ),
            _("Programme saved."),
        ):
            return redirect(saved)
    return render(
        request,
        "connectivity/programme_form.html",
        {"form": form, "programme": programme},
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "change", "connectivity.programme")
    plan_id = request.GET.get("rencana", "")
    plan = (
        selectors.plan_get(actor=user, pk=int(plan_id)) if plan_id.isdigit() else None
    )
    return _programme_write(request, user, None, plan=plan)


@login_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = Programme.objects.filter(slug=slug).first()
    user = _editor(
        request,
        programme.region_id if programme else None,
        "change",
        "connectivity.programme",
    )
    assert programme is not None
    return _programme_write(request, user, programme)
