from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.models import User
from accounts.permissions import can, in_scope, permitted_user
from connectivity import conf, exports, selectors, services
from connectivity.forms import (
    DemForm,
    DossierForm,
    ImportForm,
    ObservationForm,
    PlaceForm,
    PlanForm,
    ProgrammeForm,
    ReportForm,
    StatusForm,
    TowerForm,
)
from connectivity.models import Observation, Programme, SitingPlan, Tower
from core.forms import add_validation_errors
from core.viewtools import choice_param, cleaned_except, form_write, or_404
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors, subtree_q, village_from_text


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _region_or_404(kode: str) -> Region:
    """The region ``kode`` names; a 404 for an unknown code and for a region of a
    province the deployment does not serve (as the other apps' pages)."""
    found = (
        Region.objects.select_related("parent").filter(kode=kode).first()
        if provinces.is_served(kode)
        else None
    )
    return or_404(found, _("No region has the code %(kode)s.") % {"kode": kode})


def _editable_region(user: User, kode: str) -> Region | None:
    """The region a form names, when it exists, lies in a province served and in
    the ``user``'s area; None otherwise (the form says so)."""
    kode = kode.strip()
    if not provinces.is_served(kode) or not in_scope(user, kode):
        return None
    return Region.objects.filter(kode=kode).first()


def _wilayah(request: HttpRequest, *, own_first: bool = False) -> str | None:
    """The region code a list page (``?wilayah=``) is about. Without one: the
    home region where one province is served (the signed-in user's region
    before it when ``own_first``); serving several, the user's region, else
    None: the page then offers the provinces served to choose from."""
    kode = request.GET.get("wilayah", "").strip()[:13]
    if kode:
        return kode
    user = _user(request)
    own = user.region_id if user is not None else None
    if (own_first or provinces.is_national()) and provinces.is_served(own):
        return own
    return None if provinces.is_national() else settings.HOME_REGION


def _may(request: HttpRequest, action: str, resource: str, kode: str | None) -> bool:
    user = _user(request)
    return user is not None and can(user, action, resource, region_code=kode)


def _editor(request: HttpRequest, kode: str | None, action: str, resource: str) -> User:
    """The signed-in user, who may ``action`` the ``resource`` of region ``kode``:
    outside their area it does not exist for them (404), inside it may be refused."""
    user = _user(request)
    if kode is None or user is None or not in_scope(user, kode):
        raise Http404
    if not can(user, action, resource, region_code=kode):
        raise PermissionDenied
    return user


# --- public pages -------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The home province's connectivity; where the deployment serves several
    provinces, a chooser of them with each one's blankspot count."""
    if not provinces.is_national():
        return region_page(request, settings.HOME_REGION)
    rows = [selectors.progress(region=p) for p in provinces.served_provinces()]
    return render(request, "connectivity/provinces.html", {"rows": rows})


def region_page(request: HttpRequest, kode: str) -> HttpResponse:
    """A region's blankspots, towers and progress, with the map and charts."""
    region = _region_or_404(kode)
    if region.level == Region.Level.VILLAGE:
        return redirect("connectivity:village", kode=kode)
    progress = selectors.progress(region=region)
    children = selectors.progress_children(region=region)
    history = selectors.progress_history(region=region)
    blankspots = selectors.village_statuses(region=region, status="blankspot")
    return render(
        request,
        "connectivity/region.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "progress": progress,
            "children": children,
            "history": history,
            "chart": _history_chart(history),
            "blankspots": blankspots[:200],
            "programmes": selectors.programmes_list(region=region),
            "may_plan": _may(request, "add", "connectivity.plan", region.kode),
        },
    )


def _history_chart(history: list[Any]) -> dict[str, str] | None:
    """Polylines (SVG points) of the shares with signal over the snapshots."""
    if len(history) < 2:
        return None
    n = len(history) - 1

    def line(part: str, whole: str) -> str:
        pts = []
        for i, s in enumerate(history):
            share = getattr(s, part) / getattr(s, whole) if getattr(s, whole) else 0
            pts.append(f"{20 + 295 * i / n:.1f},{110 - 100 * share:.1f}")
        return " ".join(pts)

    return {
        "villages": line("villages_signal", "villages_known"),
        "offices": line("offices_signal", "offices_known"),
        "first": history[0].day.isoformat(),
        "last": history[-1].day.isoformat(),
    }


def village_page(request: HttpRequest, kode: str) -> HttpResponse:
    region = _region_or_404(kode)
    if region.level != Region.Level.VILLAGE:
        return redirect("connectivity:region", kode=kode)
    status = selectors.village_status_get(region=region)
    if status is None:
        status = services.village_status_refresh(region=region)
    user = _user(request)
    may_add_place = _may(request, "add", "connectivity.place", kode)
    may_observe = _may(request, "add", "connectivity.observation", kode)
    may_confirm = _may(request, "confirm", "connectivity.observation", kode)
    observations = selectors.observations_list(
        region=region, include_unconfirmed=may_confirm
    )
    return render(
        request,
        "connectivity/village.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "status": status,
            "places": selectors.places_list(region=region),
            "observations": observations[:50],
            "towers": selectors.towers_list(region=region),
            "place_form": PlaceForm(
                initial={"lat": region.rep_lat, "lng": region.rep_lng}
            )
            if may_add_place
            else None,
            "observation_form": ObservationForm(region=region) if may_observe else None,
            "may_confirm": may_confirm,
            "programmes": Programme.objects.filter(villages=region),
            "signed_in": user is not None,
        },
    )


@cache_control(max_age=60)
def map_data(request: HttpRequest, kode: str) -> JsonResponse:
    region = _region_or_404(kode)
    # The province map shows villages and towers; places from a regency down.
    places = region.level != Region.Level.PROVINCE
    return JsonResponse(selectors.map_layers(region=region, places=places))


def export_villages_csv(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.villages_csv_response(region=_region_or_404(kode))


def export_places_csv(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.places_csv_response(region=_region_or_404(kode))


def export_geojson(request: HttpRequest, kode: str) -> HttpResponse:
    return exports.geojson_response(region=_region_or_404(kode))


def export_pdf(request: HttpRequest, kode: str) -> HttpResponse:
    region = _region_or_404(kode)
    response = HttpResponse(
        exports.pdf_report(region=region), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sinyal-{region.kode}.pdf"'
    return response


def _report_rate(group: str, request: HttpRequest) -> str:
    return conf.report_rate()


@ratelimit(key="ip", rate=_report_rate, method="POST", block=True)
def report(request: HttpRequest) -> HttpResponse:
    """The phone page for "no signal here". With JavaScript the report goes to the
    API (and waits in the phone while offline); without, it posts here."""
    form = ReportForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = None
        if data["region"]:
            try:
                region = village_from_text(text=data["region"])
            except ValidationError as exc:
                add_validation_errors(form, exc)
        if not form.errors:
            try:
                done, _created = services.report_submit(
                    actor=_user(request),
                    idempotency_key=data["idempotency_key"],
                    region=region,
                    lat=data.get("lat"),
                    lng=data.get("lng"),
                    technology=data["technology"],
                    operator=data.get("operator") or "",
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
    return render(
        request,
        "connectivity/report.html",
        {"form": form, "done": done, "villages": _village_suggestions(request)},
    )


def _village_suggestions(request: HttpRequest) -> QuerySet[Region]:
    """The villages the report form suggests, kept with the page for offline use:
    those of the provinces served (about a thousand for Kaltim). A deployment
    serving every province suggests those of the signed-in person's province
    only (the country's 83,000 would weigh megabytes); typed names still
    resolve on the server."""
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if provinces.serves_all():
        own = getattr(request.user, "region_id", None)
        if not own:
            return villages.none()
        villages = villages.filter(subtree_q(own.split(".")[0], "kode"))
    return villages.filter(provinces.served_q("kode")).select_related("parent")


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


# --- staff and KIM ------------------------------------------------------------


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


def _village_for_edit(
    request: HttpRequest, kode: str, action: str, resource: str
) -> Region:
    region = _region_or_404(kode)
    _editor(request, region.kode, action, resource)
    return region


@login_required
@require_POST
def place_add(request: HttpRequest, kode: str) -> HttpResponse:
    region = _village_for_edit(request, kode, "add", "connectivity.place")
    form = PlaceForm(request.POST)
    if form_write(
        request,
        form,
        lambda: services.place_create(
            actor=_user(request), region=region, **form.cleaned_data
        ),
        _("Place added."),
    ):
        return redirect("connectivity:village", kode=kode)
    return render(
        request,
        "connectivity/place_form.html",
        {"form": form, "region": region, "place": None},
        status=400,
    )


@login_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get(pk=pk)
    user = _editor(
        request, place.region_id if place else None, "change", "connectivity.place"
    )
    assert place is not None
    initial = {f: getattr(place, f) for f in PlaceForm.base_fields}
    if not place.weight_is_custom:
        initial["weight"] = None
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("delete") and can(
            user, "delete", "connectivity.place", region_code=place.region_id
        ):
            services.place_delete(actor=user, place=place)
            messages.success(request, _("Place deleted."))
            return redirect("connectivity:village", kode=place.region_id)
        if form_write(
            request,
            form,
            lambda: services.place_update(actor=user, place=place, **data),
            _("Place saved."),
        ):
            return redirect("connectivity:village", kode=place.region_id)
    return render(
        request,
        "connectivity/place_form.html",
        {"form": form, "region": place.region, "place": place},
    )


@login_required
@require_POST
def observation_add(request: HttpRequest, kode: str) -> HttpResponse:
    region = _village_for_edit(request, kode, "add", "connectivity.observation")
    form = ObservationForm(request.POST, region=region)
    if form.is_valid():
        data = form.cleaned_data
        try:
            obs = services.observation_create(
                actor=_user(request),
                region=region,
                place=data["place"],
                technology=data["technology"],
                operator=data["operator"] or "",
                service=data["service"],
                method=data["method"],
                observed_at=data["observed_at"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("Observation recorded.")
                if obs.status == Observation.Status.CONFIRMED
                else _("Report recorded; staff will confirm it."),
            )
            return redirect("connectivity:village", kode=kode)
    messages.error(
        request,
        "; ".join(
            f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()
        ),
    )
    return redirect("connectivity:village", kode=kode)


@login_required
def report_queue(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "confirm", "connectivity.observation")
    reports = selectors.reports_pending(actor=user)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(request, "connectivity/report_queue.html", {"page": page})


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    obs = selectors.observation_get(pk=pk)
    user = _user(request)
    if obs is None or user is None or not in_scope(user, obs.region_id):
        raise Http404
    services.observation_review(
        actor=user, observation=obs, confirm=request.POST.get("decision") == "confirm"
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "connectivity/_report_row.html", {"obs": obs})
    return redirect("connectivity:report_queue")


@login_required
def places_import(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "add", "connectivity.place")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = exports.parse_places(upload.read(), upload.name)
        except exports.ImportFormatError as exc:
            form.add_error("file", str(exc))
        else:
            result = services.places_import(
                actor=user, rows=rows, source=upload.name[:100]
            )
    return render(
        request, "connectivity/places_import.html", {"form": form, "result": result}
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


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "add", "connectivity.plan")
    default = _wilayah(request, own_first=True)
    map_region = _region_or_404(default) if default else None
    form = PlanForm(request.POST or None, initial={"region": default or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = _editable_region(user, data["region"])
        if region is None:
            form.add_error("region", _("Unknown region or outside your area."))
        elif plan := form_write(
            request,
            form,
            lambda: services.plan_create(
                actor=user,
                region=region,
                budget=data["budget"],
                objective=data["objective"],
                radius_km=data["radius_km"],
                grid_km=data["grid_km"],
                time_limit=data["time_limit"],
                extra_points=data["points"],
                site_cost=_money(data["site_cost"]),
                money_budget=_money(data["money_budget"]),
            ),
        ):
            return redirect(plan)
    plans = selectors.plans_list(actor=user)[:30]
    return render(
        request,
        "connectivity/plan_list.html",
        {
            "form": form,
            "plans": plans,
            "map_region": map_region,
        },
    )


def _plan_verdict(result: dict[str, Any]) -> str:
    """How good the plan is, in words: never the solver's method or status."""
    if not result.get("sites") and not result.get("n_selected"):
        return ""
    if result.get("status") == "optimal":
        return _("The best possible plan.")
    gap = result.get("gap")
    if isinstance(gap, int | float) and 0 < gap < 1:
        return _(
            "A good plan, not necessarily the best: at most %(gap)s%% from the best."
        ) % {"gap": number_format(max(100 * gap, 0.1), 1)}
    return _("A good plan, not necessarily the best.")


def _plan(request: HttpRequest, pk: int) -> tuple[User, SitingPlan]:
    user = _user(request)
    assert user is not None
    plan = or_404(selectors.plan_get(actor=user, pk=pk))
    return user, plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _plan(request, pk)
    template = "connectivity/plan_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        if plan.status not in ("pending", "running"):
            # Finished while the page was polling: reload it whole, with the map.
            return HttpResponse(headers={"HX-Refresh": "true"})
        template = "connectivity/_plan_result.html"
    return render(
        request,
        template,
        {
            "plan": plan,
            "result": plan.result or {},
            "verdict": _plan_verdict(plan.result or {}),
            "sites": selectors.plan_sites(plan=plan) if plan.result else [],
            "site_cost": plan.instance.get("site_cost"),
            "money_budget": plan.instance.get("money_budget"),
            "may_adopt": can(
                user, "change", "connectivity.tower", region_code=plan.region_id
            ),
            "may_programme": can(
                user, "change", "connectivity.programme", region_code=plan.region_id
            ),
        },
    )


@login_required
def plan_map(request: HttpRequest, pk: int) -> JsonResponse:
    plan = _plan(request, pk)[1]
    result = plan.result or {}
    uncovered = set(result.get("uncovered", []))
    unreachable = set(result.get("unreachable", []))
    demand = [
        {
            "id": d["id"],
            "lat": d["lat"],
            "lng": d["lng"],
            "weight": d["weight"],
            "covered": d["id"] not in uncovered and d["id"] not in unreachable,
        }
        for d in plan.instance.get("demand", [])
    ]
    return JsonResponse(
        {
            "sites": selectors.plan_features(plan=plan),
            "existing": plan.instance.get("existing", []),
            "demand": demand,
        }
    )


@login_required
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _plan(request, pk)
    try:
        towers = services.plan_adopt(actor=user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(n)s proposed towers created.") % {"n": len(towers)}
        )
    return redirect(plan)


@login_required
def dem_upload(request: HttpRequest) -> HttpResponse:
    user = permitted_user(request, "change", "connectivity.dem")
    form = DemForm(request.POST or None, request.FILES or None)
    if form_write(
        request,
        form,
        lambda: services.dem_import(
            actor=user,
            name=form.cleaned_data["name"],
            upload=form.cleaned_data["file"],
        ),
        _("Elevation model imported and in use."),
    ):
        return redirect("connectivity:dem")
    from connectivity.models import Dem

    return render(
        request,
        "connectivity/dem.html",
        {"form": form, "dems": Dem.objects.all()[:20]},
    )
