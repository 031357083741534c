from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.decorators import ratelimit

from accounts.models import User
from accounts.permissions import can
from core import exports
from core.forms import add_validation_errors
from core.inputs import parse_year
from datahub import dcat, selectors, services, tables
from datahub.forms import (
    AnswerForm,
    DatasetForm,
    ExtendForm,
    InfoRequestForm,
    ObjectionForm,
    ObjectionResponseForm,
    OfficeForm,
    RefuseForm,
    UploadForm,
)
from datahub.jsonld import dataset_jsonld
from datahub.messages import describe_errors, describe_personal, type_label
from datahub.models import (
    Dataset,
    InfoRequest,
    Objection,
    ResourceVersion,
)
from regions.models import Region

PREVIEW_ROWS = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- public catalogue -------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    """Published datasets, searchable and filtered by topic, office, region, kind."""
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "topic": request.GET.get("topik", "")[:100],
        "office": request.GET.get("kantor", "")[:100],
        "region": request.GET.get("wilayah", "")[:13],
        "kind": request.GET.get("jenis", "")[:20],
        "fmt": request.GET.get("format", "")[:10],
    }
    datasets = selectors.dataset_search(**filters)
    page = Paginator(datasets, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "topics": selectors.topic_list(),
        "offices": selectors.office_list(),
        "regions": Region.objects.filter(
            level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
        ).order_by("kode"),
        "kinds": Dataset.Kind.choices,
    }
    template = "datahub/_results.html" if request.htmx else "datahub/catalogue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _version_context(version: ResourceVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {
        "columns": [
            {"name": c["name"], "type": c["type"], "label": type_label(c["type"])}
            for c in version.columns
        ],
        "errors": describe_errors(version.errors),
        "personal": describe_personal(version.personal_data),
    }


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = selectors.dataset_get_public(slug_or_id=slug)
    if dataset is None:
        raise Http404(_("No published dataset has this name."))
    tables_ = []
    for resource in dataset.resources.all():
        version = selectors.resource_version_get(resource=resource)
        if version is None:
            continue
        tables_.append(
            {
                "resource": resource,
                "version": version,
                "preview": version.rows[:PREVIEW_ROWS],
                "versions": selectors.resource_versions(resource=resource).filter(
                    status=ResourceVersion.Status.VALID
                ),
                **_version_context(version),
            }
        )
    return render(
        request,
        "datahub/dataset.html",
        {
            "dataset": dataset,
            "jsonld": dataset_jsonld(request, dataset),
            "tables": tables_,
            "can_edit": request.user.is_authenticated
            and can(
                request.user,
                "change",
                "datahub.dataset",
                region_code=dataset.office.region_id,
            ),
        },
    )


def _downloadable(request: HttpRequest, slug: str) -> Dataset:
    dataset = selectors.dataset_get_public(slug_or_id=slug)
    if dataset is None and request.user.is_authenticated:
        dataset = selectors.dataset_get_for_staff(actor=_user(request), slug=slug)
    if dataset is None:
        raise Http404
    return dataset


def download(request: HttpRequest, slug: str, resource: str, fmt: str) -> HttpResponse:
    """A table as CSV, Excel or JSON (``?versi=N`` for an earlier version)."""
    dataset = _downloadable(request, slug)
    found = dataset.resources.filter(pk=resource).first()
    if found is None:
        raise Http404
    number = request.GET.get("versi")
    version = selectors.resource_version_get(
        resource=found, number=int(number) if number and number.isdigit() else None
    )
    if version is None or version.status != ResourceVersion.Status.VALID:
        raise Http404
    columns = [tables.Column(c["name"], c["type"]) for c in version.columns]
    name = f"{dataset.slug}-{found.name}-v{version.number}"
    name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)[:120]
    if fmt == "csv":
        body: bytes = exports.csv_text(
            [c.name for c in columns], version.rows, bom=True
        ).encode()
        content_type = exports.CSV_TYPE
    elif fmt == "xlsx":
        body = exports.xlsx_bytes(
            [c.name for c in columns],
            tables.typed_rows(columns, version.rows),
            title=found.name,
        )
        content_type = exports.XLSX_TYPE
    elif fmt == "json":
        body = tables.to_json(columns, version.rows).encode()
        content_type = "application/json"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Offered by content negotiation, in this order of preference when the client
# accepts several equally; plain JSON clients get JSON-LD.
_DCAT_TYPES = {
    "application/ld+json": "jsonld",
    "text/turtle": "ttl",
    "application/rdf+xml": "rdf",
    "application/json": "jsonld",
}


@cache_control(max_age=300, public=True)
@vary_on_headers("Accept")
def dcat_catalogue(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The catalogue as DCAT: Turtle, RDF/XML or JSON-LD by extension or by the
    Accept header (``?page=`` for the next hundred)."""
    if fmt is not None and fmt not in dcat.SERIALISATIONS:
        raise Http404
    if fmt is None:
        preferred = request.get_preferred_type(list(_DCAT_TYPES))
        if preferred is None:
            return HttpResponse(
                "Tersedia: " + ", ".join(sorted(set(_DCAT_TYPES))),
                status=406,
                content_type="text/plain; charset=utf-8",
            )
        fmt = _DCAT_TYPES[preferred]
    page = request.GET.get("page", "1")
    graph = dcat.catalogue_graph(
        request,
        selectors.published_datasets()
        .prefetch_related(selectors._resources_prefetch())
        .order_by("-updated_at", "id"),
        int(page) if page.isdigit() else 1,
    )
    _, content_type = dcat.SERIALISATIONS[fmt]
    response = HttpResponse(
        dcat.serialise(graph, fmt), content_type=f"{content_type}; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- region page section and dashboard panel ------------------------------------------


# Chart geometry in SVG units.  The chart is drawn 400 wide so that on a phone
# (about 340 px for the figure) its 12-unit labels stay about 10 px high.
CHART_WIDTH = 400
LABEL_SPACE = 150  # names of the regions, left
BAR_SPACE = 200  # the bars; their values are written after them
# Parts of stacked bars, in the order of the indicator's segments (Tableau 10).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "#").replace(".", ",").replace("#", ".")


def _segments(
    chart: selectors.IndicatorChart, code: str, y: int
) -> list[dict[str, Any]]:
    """The parts of one stacked bar, left to right."""
    result = []
    x = float(LABEL_SPACE)
    for i, value in enumerate(chart.parts.get(code, [])):
        if value <= 0:
            continue
        width = value / chart.maximum * BAR_SPACE
        result.append(
            {
                "x": round(x, 1),
                "y": y,
                "width": round(width, 1),
                "fill": PALETTE[i % len(PALETTE)],
                "title": f"{chart.segments[i][1]}: {_number(value)}",
            }
        )
        x += width
    return result


def _chart(chart: selectors.IndicatorChart) -> dict[str, Any]:
    rows = []
    for i, (code, name, value) in enumerate(chart.bars):
        width = round(value / chart.maximum * BAR_SPACE, 1) if chart.maximum else 0
        label = name.removeprefix("Kabupaten ").removeprefix("Kecamatan ")
        y = i * 22 + 4
        rows.append(
            {
                "y": y,
                "label": label if len(label) <= 22 else label[:21] + "…",
                "width": max(width, 1),
                "end": LABEL_SPACE + max(width, 1) + 4,
                "value_text": _number(value),
                "highlight": code == chart.highlight,
                "segments": _segments(chart, code, y) if chart.segments else [],
            }
        )
    height = len(rows) * 22 + 8
    # The legend of a stacked chart: the parts that occur, two per line.
    legend = []
    used = [
        i
        for i in range(len(chart.segments))
        if any(len(p) > i and p[i] > 0 for p in chart.parts.values())
    ]
    for k, i in enumerate(used):
        legend.append(
            {
                "x": (k % 2) * (CHART_WIDTH // 2),
                "y": height + 4 + (k // 2) * 18,
                "fill": PALETTE[i % len(PALETTE)],
                "label": chart.segments[i][1],
            }
        )
    if legend:
        height += 8 + ((len(legend) + 1) // 2) * 18
    return {
        "dataset": chart.dataset,
        "title": chart.title,
        "unit": chart.unit,
        "rows": rows,
        "legend": legend,
        "height": height,
        "width": CHART_WIDTH,
        "label_space": LABEL_SPACE,
    }


def region_indicators_section(request: HttpRequest, region: Region) -> str:
    """Charts of the built-in indicators on a region's page."""
    charts = selectors.indicator_charts(region=region)
    if not charts:
        return ""
    return render_to_string(
        "datahub/_region_section.html",
        {"charts": [_chart(c) for c in charts], "region": region},
        request=request,
    )


def dashboard_panel(request: HttpRequest) -> str:
    user = request.user
    if not isinstance(user, User) or not can(user, "view", "datahub.dataset"):
        return ""
    datasets = selectors.datasets_for_staff(actor=user).filter(
        kind=Dataset.Kind.UPLOADED
    )
    open_requests = list(
        selectors.info_requests_for_staff(actor=user, status="open")[:5]
    )
    for item in open_requests:
        item.days_left = selectors.working_days_left(due=item.due_on)  # type: ignore[attr-defined]
        item.overdue = -item.days_left  # type: ignore[attr-defined]
    return render_to_string(
        "datahub/_panel.html",
        {
            "drafts": datasets.filter(status=Dataset.Status.DRAFT).count(),
            "published": datasets.filter(status=Dataset.Status.PUBLISHED).count(),
            "open_requests": open_requests,
            "open_count": selectors.info_requests_for_staff(
                actor=user, status="open"
            ).count(),
        },
        request=request,
    )


# --- staff: datasets --------------------------------------------------------------


def _staff_dataset(request: HttpRequest, slug: str) -> Dataset:
    dataset = selectors.dataset_get_for_staff(actor=_user(request), slug=slug)
    if dataset is None:
        raise Http404(_("Dataset not found."))
    return dataset


@login_required
def staff_datasets(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "view", "datahub.dataset"):
        raise PermissionDenied
    datasets = selectors.datasets_for_staff(actor=actor)
    kind = request.GET.get("jenis", Dataset.Kind.UPLOADED)
    if kind in Dataset.Kind.values:
        datasets = datasets.filter(kind=kind)
    page = Paginator(datasets.order_by("-updated_at"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "datahub/staff_datasets.html",
        {
            "page": page,
            "kind": kind,
            "offices": selectors.offices_for_staff(actor=actor),
            "can_refresh": can(actor, "refresh", "datahub.dataset"),
        },
    )


@login_required
def staff_dataset_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "create", "datahub.dataset"):
        raise PermissionDenied
    form = DatasetForm(request.POST or None, actor=actor)
    if not selectors.offices_for_staff(actor=actor).exists():
        messages.info(request, _("First add the office that publishes the data."))
        return redirect("datahub:staff_office_create")
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(
                request, _("Draft saved. Now upload its table (CSV or Excel).")
            )
            return redirect("datahub:staff_dataset", slug=dataset.slug)
    return render(
        request, "datahub/staff_dataset_form.html", {"form": form, "dataset": None}
    )


@login_required
def staff_dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _user(request)
    dataset = _staff_dataset(request, slug)
    initial = {
        "office": dataset.office,
        "title": dataset.title,
        "description": dataset.description,
        "topic": dataset.topic,
        "keywords": ", ".join(dataset.keywords),
        "period_start": dataset.period_start,
        "period_end": dataset.period_end,
        "frequency": dataset.frequency,
        "licence": dataset.licence,
        "unit": dataset.unit,
    }
    form = DatasetForm(request.POST or None, actor=actor, initial=initial)
    form.fields["office"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("office")
        try:
            services.dataset_update(actor=actor, dataset=dataset, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("datahub:staff_dataset", slug=dataset.slug)
    return render(
        request, "datahub/staff_dataset_form.html", {"form": form, "dataset": dataset}
    )


@login_required
def staff_dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """A dataset's tables with their latest upload: errors row by row, preview,
    versions; and the upload and publish buttons."""
    actor = _user(request)
    dataset = _staff_dataset(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None, dataset=dataset)
    if request.method == "POST" and form.is_valid():
        resource = None
        if form.cleaned_data["resource"]:
            resource = dataset.resources.filter(
                pk=form.cleaned_data["resource"]
            ).first()
        try:
            version = services.resource_upload(
                actor=actor,
                dataset=dataset,
                upload=form.cleaned_data["file"],
                resource=resource,
                name=form.cleaned_data["name"],
                columns_text=form.cleaned_data["columns"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            if version.status == ResourceVersion.Status.VALID:
                messages.success(
                    request,
                    _("Version %(n)s checked: %(rows)s rows, no errors.")
                    % {"n": version.number, "rows": version.row_count},
                )
            else:
                messages.error(
                    request,
                    _(
                        "Version %(n)s was not accepted: fix the rows listed "
                        "below and upload the file again."
                    )
                    % {"n": version.number},
                )
            return redirect(
                reverse("datahub:staff_dataset", kwargs={"slug": dataset.slug})
                + f"#tabel-{version.resource_id}"
            )
    tables_ = []
    for resource in dataset.resources.all():
        latest = selectors.latest_version(resource=resource)
        current = selectors.resource_version_get(resource=resource)
        tables_.append(
            {
                "resource": resource,
                "latest": latest,
                "current": current,
                "preview": current.rows[:PREVIEW_ROWS] if current else [],
                "versions": selectors.resource_versions(resource=resource),
                "latest_info": _version_context(latest),
                **_version_context(current),
            }
        )
    return render(
        request,
        "datahub/staff_dataset.html",
        {
            "dataset": dataset,
            "tables": tables_,
            "form": form,
            "can_publish": can(
                actor,
                "publish",
                "datahub.dataset",
                region_code=dataset.office.region_id,
            ),
            "ready": bool(tables_) and all(t["current"] for t in tables_),
        },
    )


@login_required
@require_POST
def staff_dataset_publish(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _user(request)
    dataset = _staff_dataset(request, slug)
    try:
        if request.POST.get("action") == "withdraw":
            services.dataset_withdraw(actor=actor, dataset=dataset)
            messages.success(
                request, _("The dataset was withdrawn from the catalogue.")
            )
        else:
            services.dataset_publish(actor=actor, dataset=dataset)
            messages.success(request, _("Published: the dataset is in the catalogue."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("datahub:staff_dataset", slug=dataset.slug)


@login_required
@require_POST
def staff_indicators_refresh(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "refresh", "datahub.dataset"):
        raise PermissionDenied
    from datahub.tasks import indicators_refresh_task

    transaction.on_commit(lambda: indicators_refresh_task.enqueue())
    messages.success(request, _("The indicators will be recomputed in a moment."))
    return redirect("datahub:staff_datasets")


@login_required
def staff_office_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not can(actor, "create", "datahub.office"):
        raise PermissionDenied
    initial = {"region": actor.region_id} if actor.region_id else {}
    form = OfficeForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Office added."))
            return redirect("datahub:staff_dataset_create")
    return render(request, "datahub/staff_office_form.html", {"form": form})


# --- information requests: public -------------------------------------------------


def ppid_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "datahub/ppid_home.html",
        {"offices": selectors.office_list()},
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def request_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if office_slug := request.GET.get("kantor"):
        office = selectors.office_get(slug_or_id=office_slug)
        if office is not None:
            initial["office"] = office
    form = InfoRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.info_request_file(**form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect(filed.get_absolute_url() + "?baru=1")
    return render(request, "datahub/ppid_form.html", {"form": form})


def request_track(request: HttpRequest) -> HttpResponse:
    """Status by tracking number alone (no answer, no personal data)."""
    number = request.GET.get("nomor", "").strip()[:40]
    found = selectors.info_request_get_public(number=number) if number else None
    days_left = (
        selectors.working_days_left(due=found.due_on)
        if found and found.is_open
        else None
    )
    return render(
        request,
        "datahub/ppid_track.html",
        {
            "number": number,
            "found": found,
            "days_left": days_left,
            "overdue": -(days_left or 0),
        },
    )


def _tracked(number: str, key: str) -> InfoRequest:
    found = selectors.info_request_get_public(number=number, key=key)
    if found is None:
        raise Http404(_("No request has this tracking number and key."))
    return found


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def request_track_detail(request: HttpRequest, number: str, key: str) -> HttpResponse:
    """The requester's page (link in the receipt): answer, documents, objections."""
    found = _tracked(number, key)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(request=found, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your objection was received."))
            return redirect(found.get_absolute_url())
    days_left = selectors.working_days_left(due=found.due_on) if found.is_open else None
    return render(
        request,
        "datahub/ppid_detail.html",
        {
            "req": found,
            "new": request.GET.get("baru") == "1",
            "days_left": days_left,
            "overdue": -(days_left or 0),
            "form": form,
            "can_object": not found.objections.filter(
                status=Objection.Status.RECEIVED
            ).exists(),
        },
    )


def request_document(
    request: HttpRequest, number: str, key: str, document: int
) -> FileResponse:
    found = _tracked(number, key)
    doc = found.documents.filter(pk=document).first()
    if doc is None:
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


# --- information requests: staff --------------------------------------------------


@login_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    """The queue: open requests first, by due date, with working days left."""
    actor = _user(request)
    if not can(actor, "view", "datahub.request"):
        raise PermissionDenied
    status = request.GET.get("status", "open")
    requests = selectors.info_requests_for_staff(actor=actor, status=status)
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.days_left = (  # type: ignore[attr-defined]
            selectors.working_days_left(due=item.due_on) if item.is_open else None
        )
        item.overdue = -(item.days_left or 0)  # type: ignore[attr-defined]
        item.show_contact = selectors.can_see_contact(actor, item)  # type: ignore[attr-defined]
    return render(
        request,
        "datahub/staff_requests.html",
        {"page": page, "status": status, "statuses": InfoRequest.Status.choices},
    )


@login_required
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    found = selectors.info_request_get_for_staff(actor=actor, pk=pk)
    if found is None:
        raise Http404(_("Request not found."))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    forms: dict[str, Any] = {
        "answer": AnswerForm(
            bound if action == "answer" else None,
            request.FILES if action == "answer" else None,
            actor=actor,
        ),
        "extend": ExtendForm(bound if action == "extend" else None),
        "refuse": RefuseForm(bound if action == "refuse" else None),
        "respond": ObjectionResponseForm(bound if action == "respond" else None),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "answer":
                services.info_request_answer(
                    actor=actor,
                    request=found,
                    answer=data["answer"],
                    documents=data["documents"],
                    dataset=data["dataset"],
                )
                messages.success(request, _("The answer was recorded."))
            elif action == "extend":
                services.info_request_extend(
                    actor=actor, request=found, reason=data["reason"]
                )
                messages.success(request, _("The deadline was extended."))
            elif action == "refuse":
                services.info_request_refuse(
                    actor=actor,
                    request=found,
                    reason=data["refusal_reason"],
                    explanation=data["explanation"],
                )
                messages.success(request, _("The refusal was recorded."))
            elif action == "respond":
                objection = found.objections.filter(
                    pk=request.POST.get("objection") or 0
                ).first()
                if objection is None:
                    raise Http404
                services.objection_respond(
                    actor=actor, objection=objection, response=data["response"]
                )
                messages.success(request, _("The response was recorded."))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            return redirect("datahub:staff_request", pk=found.pk)
    days_left = selectors.working_days_left(due=found.due_on) if found.is_open else None
    return render(
        request,
        "datahub/staff_request.html",
        {
            "req": found,
            "forms": forms,
            "show_contact": selectors.can_see_contact(actor, found),
            "days_left": days_left,
            "overdue": -(days_left or 0),
            "can_answer": can(
                actor, "answer", "datahub.request", region_code=found.office.region_id
            ),
        },
    )


@login_required
def staff_report(request: HttpRequest) -> HttpResponse:
    """The yearly PPID report per office (``?format=csv`` to download)."""
    actor = _user(request)
    if not can(actor, "report", "datahub.request"):
        raise PermissionDenied
    this_year = timezone.localdate().year
    status = 200
    try:
        year = parse_year(request.GET.get("tahun"), default=this_year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        year, status = this_year, 400
    reports = selectors.ppid_report(actor=actor, year=year)
    if request.GET.get("format") == "csv" and status == 200:
        return exports.table_response(
            filename=f"laporan-ppid-{year}",
            headers=[
                "kantor",
                "kode_wilayah",
                "diterima",
                "dijawab",
                "ditolak",
                "dalam_proses",
                "diperpanjang",
                "terlambat",
                "keberatan",
                "rata_rata_hari_kerja",
            ],
            rows=(
                [
                    r.office.name,
                    r.office.region_id,
                    r.received,
                    r.answered,
                    r.refused,
                    r.open,
                    r.extended,
                    r.late,
                    r.objections,
                    r.average_days,
                ]
                for r in reports
            ),
        )
    refusal_labels = dict(InfoRequest.Refusal.choices)
    return render(
        request,
        "datahub/staff_report.html",
        {
            "year": year,
            "years": range(
                timezone.localdate().year, timezone.localdate().year - 5, -1
            ),
            "reports": reports,
            "refusal_labels": refusal_labels,
        },
        status=status,
    )
