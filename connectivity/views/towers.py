"""Towers: the public list and page, and the staff forms (create, edit, status,
dossier)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import permitted_user
from connectivity import selectors, services
from connectivity.forms import (
    DossierForm,
    StatusForm,
    TowerForm,
)
from connectivity.models import Tower
from connectivity.views._common import (
    _editable_region,
    _editor,
    _may,
    _region_or_404,
    _wilayah,
)
from core.viewtools import choice_param, cleaned_except, form_write, or_404


def tower_list(request: HttpRequest) -> HttpResponse:
    kode = _wilayah(request)
    if kode is None:
        return render(request, "connectivity/tower_list.html", {"region": None})
    region = _region_or_404(kode)
    status = choice_param(request, "status", Tower.Status.values)
    towers = selectors.towers_list(region=region, status=status or None)
    page = Paginator(towers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "connectivity/tower_list.html",
        {
            "region": region,
            "page": page,
            "status": status,
            "statuses": Tower.Status.choices,
            "may_add": _may(request, "change", "connectivity.tower", None),
        },
    )


def tower_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tower = or_404(selectors.tower_get(pk=pk), _("No such tower."))
    may_edit = _may(request, "change", "connectivity.tower", tower.region_id)
    return render(
        request,
        "connectivity/tower_detail.html",
        {
            "tower": tower,
            "dossier": tower.dossier,
            "history": tower.status_changes.select_related("by"),
            "may_edit": may_edit,
            "status_form": StatusForm(initial={"status": tower.status}),
            "dossier_form": DossierForm(instance=tower.dossier) if may_edit else None,
        },
    )


@login_required
def tower_create(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "change", "connectivity.tower")
    form = TowerForm(
        request.POST or None, initial={"region": request.GET.get("wilayah", "")}
    )
    region = None
    if request.method == "POST" and form.is_valid():
        region = _editable_region(user, form.cleaned_data["region"])
        if region is None:
            form.add_error("region", _("Unknown region or outside your area."))

    def create() -> Tower:
        assert region is not None  # form_write writes only a valid form
        return services.tower_create(
            actor=user, region=region, **cleaned_except(form, "region")
        )

    return _tower_form_page(request, form, create, tower=None)


def _tower_form_page(
    request: HttpRequest,
    form: TowerForm,
    write: Callable[[], Tower],
    *,
    tower: Tower | None,
) -> HttpResponse:
    """The tower form, new or to edit: once written, on to the tower's page."""
    if saved := form_write(request, form, write, _("Tower saved.")):
        return redirect(saved)
    return render(
        request, "connectivity/tower_form.html", {"form": form, "tower": tower}
    )


def _tower_for_edit(request: HttpRequest, pk: int) -> tuple[User, Tower]:
    tower = selectors.tower_get(pk=pk)
    user = _editor(
        request, tower.region_id if tower else None, "change", "connectivity.tower"
    )
    assert tower is not None
    return user, tower


@login_required
def tower_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, tower = _tower_for_edit(request, pk)
    initial = {f: getattr(tower, f, None) for f in TowerForm.base_fields}
    initial["region"] = tower.region_id
    form = TowerForm(request.POST or None, initial=initial)
    return _tower_form_page(
        request,
        form,
        lambda: services.tower_update(
            actor=user, tower=tower, **cleaned_except(form, "region")
        ),
        tower=tower,
    )


@login_required
@require_POST
def tower_status(request: HttpRequest, pk: int) -> HttpResponse:
    user, tower = _tower_for_edit(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.tower_status_set(actor=user, tower=tower, **form.cleaned_data)
        messages.success(request, _("Status changed."))
    return redirect(tower)


@login_required
@require_POST
def tower_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    user, tower = _tower_for_edit(request, pk)
    form = DossierForm(request.POST, instance=tower.dossier)
    if form.is_valid():
        services.tower_dossier_update(
            actor=user,
            tower=tower,
            **{k: form.cleaned_data[k] for k in services.DOSSIER_FIELDS},
        )
        messages.success(request, _("Dossier saved."))
    else:
        messages.error(request, _("The dossier has errors; nothing was saved."))
    return redirect(tower)
