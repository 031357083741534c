"""KIM pages: the public directory, map, KIM page and dashboard; the staff
lists, forms, member pages and exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.permissions import can, permitted_user
from accounts.services import audit_record
from channels.social import selectors as social_selectors
from core.viewtools import form_write, or_404
from network import selectors, services
from network.forms import (
    DirectoryFilterForm,
    KimForm,
    MemberForm,
)
from network.importing import (
    KIM_HEADERS,
    MEMBER_HEADERS,
    export_response,
    kim_rows,
    member_rows,
)
from network.models import (
    Activity,
    Kim,
    Membership,
)
from network.views._common import PER_PAGE, _fmt, _user
from regions import provinces
from regions.models import Region
from regions.selectors import region_ancestors, region_get


def kim_directory(request: HttpRequest) -> HttpResponse:
    """Public directory and map of KIMs, filtered by regency, district, status and
    level; ``?format=csv|xlsx`` downloads the list (public fields only)."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    kims = selectors.kim_list(**filters)
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="kim", headers=KIM_HEADERS, rows=kim_rows(kims), fmt=fmt
        )
    page = Paginator(kims, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    map_query = query.copy()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "map_src": reverse("network:kim_map_data") + "?" + map_query.urlencode(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "network/_kim_results.html", context)
    return render(request, "network/directory.html", context)


def kim_map_data(request: HttpRequest) -> JsonResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    points = selectors.kim_map_points(**filters)
    for point in points:
        point["url"] = reverse("network:kim_detail", kwargs={"pk": point["id"]})
    return JsonResponse({"kims": points})


def kim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A KIM's public page. Members are listed only for staff in scope and the
    KIM's coordinator; the public sees the chair's contact if they agreed."""
    kim = or_404(selectors.kim_get(pk=pk), _("KIM not found."))
    user = request.user
    can_manage = user.is_authenticated and can(
        user,
        "change",
        "network.kim",
        region_code=kim.region_id,
        is_own=selectors.is_kim_coordinator(user, kim),
    )
    activities = selectors.activity_list(kim_id=kim.pk).prefetch_related("photos")[:10]
    return render(
        request,
        "network/kim_detail.html",
        {
            "kim": kim,
            "ancestors": [*region_ancestors(region=kim.region), kim.region],
            "contacts": selectors.kim_public_contacts(kim=kim),
            "member_count": selectors.kim_member_count(kim=kim),
            "activities": activities,
            "forums": kim.forums.all(),
            "can_manage": can_manage,
        },
    )


def dashboard(request: HttpRequest, kode: str = "") -> HttpResponse:
    """Figures of the KIM network of a region (public: aggregates only); without
    a region, the home province's, or where the deployment serves several
    provinces, each province's KIMs and members to choose from."""
    if not kode and provinces.is_national():
        return _national_dashboard(request)
    kode = kode or settings.HOME_REGION
    region = region_get(kode=kode) if provinces.is_served(kode) else None
    if region is None or region.level == Region.Level.VILLAGE:
        raise Http404(_("No region has the code %(kode)s.") % {"kode": kode})
    data = selectors.region_dashboard(region=region)
    max_month = max((n for _m, n in data.activities_by_month), default=0) or 1
    max_child = max((c["kims"] for c in data.by_child), default=0) or 1
    return render(
        request,
        "network/dashboard.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "data": data,
            "max_month": max_month,
            "max_child": max_child,
            "kinds": [
                (label, data.activities_by_kind.get(value, 0))
                for value, label in Activity.Kind.choices
            ],
            "levels": [
                (label, data.by_level.get(value, 0))
                for value, label in Kim.Level.choices
            ],
            "statuses": [
                (label, data.by_status.get(value, 0))
                for value, label in Kim.Status.choices
            ],
            "literacy_region": data.literacy[0] if data.literacy else None,
            "literacy_children": [f for f in data.literacy[1:] if f.trainings],
        },
    )


def _national_dashboard(request: HttpRequest) -> HttpResponse:
    served = list(provinces.served_provinces())
    codes = [p.kode for p in served]
    kims = selectors.kims_by_province(codes)
    members = selectors.members_by_province(codes)
    rows = [(p, kims.get(p.kode, 0), members.get(p.kode, 0)) for p in served]
    return render(
        request,
        "network/dashboard_provinces.html",
        {
            "rows": rows,
            "total_kims": sum(kims.values()),
            "total_members": sum(members.values()),
        },
    )


@login_required
def staff_kim_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    q = request.GET.get("q", "").strip()[:100]
    kims = selectors.kim_list_for_actor(actor=actor, q=q)
    if not kims.exists() and not can(actor, "view", "network.kim"):
        raise PermissionDenied
    fmt = _fmt(request)
    if fmt:
        return export_response(
            filename="kim", headers=KIM_HEADERS, rows=kim_rows(kims), fmt=fmt
        )
    page = Paginator(kims, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/staff_kim_list.html",
        {
            "page": page,
            "q": q,
            "can_create": can(actor, "create", "network.kim"),
            "can_import": can(actor, "import", "network.kim"),
            "can_export_members": can(actor, "export", "network.member"),
        },
    )


@login_required
def staff_member_export(request: HttpRequest) -> HttpResponse:
    """All members of the KIMs the actor manages (personal data: logged)."""
    actor = _user(request)
    fmt = _fmt(request) or "csv"
    kims = selectors.kim_list_for_actor(actor=actor)
    if not can(actor, "export", "network.member") and not kims.exists():
        raise PermissionDenied
    members = (
        Membership.objects.filter(kim__in=kims.values("pk"))
        .select_related("kim", "person")
        .order_by("kim__regency_code", "kim__name", "role", "person__full_name")
    )
    return _member_export(actor, members, fmt, "anggota-kim", actor.region_id or "")


def _member_export(
    actor: User, members: QuerySet[Membership], fmt: str, name: str, region: str
) -> HttpResponse:
    rows = list(member_rows(members))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="network.membership",
        object_repr=f"{name}.{fmt}",
        region_code=region,
        changes={"rows": len(rows), "format": fmt},
    )
    return export_response(filename=name, headers=MEMBER_HEADERS, rows=rows, fmt=fmt)


@login_required
def kim_create(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "create", "network.kim")
    # ?wilayah= fills the region in (a KIM formation task links here).
    form = KimForm(
        request.POST or None,
        request.FILES or None,
        actor=actor,
        initial={"region": request.GET.get("wilayah", "")[:13]},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kim := form_write(
            request,
            form,
            lambda: services.kim_create(actor=actor, **data),
            _("KIM registered."),
            refused=True,
        ):
            return redirect("network:kim_manage", pk=kim.pk)
    return render(request, "network/kim_form.html", {"form": form, "kim": None})


def _managed_kim(actor: User, pk: int) -> Kim:
    return or_404(selectors.kim_get_for_actor(actor=actor, pk=pk), _("KIM not found."))


@login_required
def kim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    kim = _managed_kim(actor, pk)
    initial = {
        name: getattr(kim, name)
        for name in KimForm.base_fields
        if name not in ("decree_file", "region")
    }
    initial["region"] = kim.region_id
    form = KimForm(
        request.POST or None, request.FILES or None, actor=actor, initial=initial
    )
    if actor.role == Role.KIM_COORDINATOR and not actor.is_superuser:
        # A coordinator keeps their KIM where it is.
        form.fields["region"].disabled = True
        form.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            kode=kim.region_id
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("decree_file"):
            data.pop("decree_file", None)
        if form_write(
            request,
            form,
            lambda: services.kim_update(actor=actor, kim=kim, **data),
            _("Changes saved."),
            refused=True,
        ):
            return redirect("network:kim_manage", pk=kim.pk)
    return render(request, "network/kim_form.html", {"form": form, "kim": kim})


@login_required
def kim_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff/coordinator page of a KIM: members with personal data, activities."""
    actor = _user(request)
    kim = _managed_kim(actor, pk)
    fmt = _fmt(request)
    members = selectors.kim_members(actor=actor, kim=kim, include_former=True)
    if fmt:
        return _member_export(
            actor,
            members.select_related("kim"),
            fmt,
            f"anggota-kim-{kim.pk}",
            kim.region_id,
        )
    form = MemberForm(request.POST or None, prefix="m")
    if form_write(
        request,
        form,
        lambda: services.member_add(actor=actor, kim=kim, **form.cleaned_data),
        _("Member added."),
        refused=True,
    ):
        return redirect("network:kim_manage", pk=kim.pk)
    return render(
        request,
        "network/kim_manage.html",
        {
            "kim": kim,
            "members": members,
            "form": form,
            "activities": selectors.activity_list_for_actor(
                actor=actor, kim_id=kim.pk
            ).prefetch_related("photos")[:20],
            "scores": kim.scores.order_by("-month")[:6],
            "social_accounts": social_selectors.accounts_of_owner(
                owner_kind="kim", owner_id=str(kim.pk)
            ),
        },
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    membership = (
        Membership.objects.select_related("kim", "person").filter(pk=pk).first()
    )
    if (
        membership is None
        or not selectors.kim_list_for_actor(actor=actor)
        .filter(pk=membership.kim_id)
        .exists()
    ):
        raise Http404(_("Member not found."))
    person = membership.person
    initial = {
        "full_name": person.full_name,
        "phone": person.phone or "",
        "email": person.email,
        "role": membership.role,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        "is_coordinator": membership.is_coordinator,
        "public_contact": person.public_contact,
    }
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    if form_write(
        request,
        form,
        lambda: services.member_update(
            actor=actor, membership=membership, **form.cleaned_data
        ),
        _("Changes saved."),
        refused=True,
    ):
        return redirect("network:kim_manage", pk=membership.kim_id)
    return render(
        request, "network/member_form.html", {"form": form, "membership": membership}
    )
