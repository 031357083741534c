"""The public catalogue: dataset pages, downloads and the DCAT catalogue."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import can
from core import exports
from core.viewtools import or_404
from datahub import dcat, selectors, tables
from datahub.jsonld import dataset_jsonld
from datahub.messages import describe_errors, describe_personal, type_label
from datahub.models import (
    Dataset,
    ResourceVersion,
)
from datahub.views._common import PREVIEW_ROWS, _user
from regions.models import Region


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
    dataset = or_404(
        selectors.dataset_get_public(slug_or_id=slug),
        _("No published dataset has this name."),
    )
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
    found = or_404(dataset.resources.filter(pk=resource).first())
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
