"""Staff pages for datasets (and the offices that publish them)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can, permitted_user
from core.viewtools import cleaned_except, form_write, or_404
from datahub import selectors, services
from datahub.forms import (
    DatasetForm,
    OfficeForm,
    UploadForm,
)
from datahub.models import (
    Dataset,
    ResourceVersion,
)
from datahub.views._common import PREVIEW_ROWS, _user
from datahub.views.catalogue import _version_context


def _staff_dataset(request: HttpRequest, slug: str) -> Dataset:
    return or_404(
        selectors.dataset_get_for_staff(actor=_user(request), slug=slug),
        _("Dataset not found."),
    )


@login_required
def staff_datasets(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "view", "datahub.dataset")
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
    actor = permitted_user(request, "create", "datahub.dataset")
    form = DatasetForm(request.POST or None, actor=actor)
    if not selectors.offices_for_staff(actor=actor).exists():
        messages.info(request, _("First add the office that publishes the data."))
        return redirect("datahub:staff_office_create")
    return _dataset_form_page(
        request,
        form,
        lambda: services.dataset_create(actor=actor, **form.cleaned_data),
        _("Draft saved. Now upload its table (CSV or Excel)."),
        dataset=None,
    )


def _dataset_form_page(
    request: HttpRequest,
    form: DatasetForm,
    write: Callable[[], Dataset],
    success: str,
    *,
    dataset: Dataset | None,
) -> HttpResponse:
    """The dataset form, new or to edit: once written, on to the dataset's page."""
    if saved := form_write(request, form, write, success, refused=True):
        return redirect("datahub:staff_dataset", slug=saved.slug)
    return render(
        request, "datahub/staff_dataset_form.html", {"form": form, "dataset": dataset}
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
    return _dataset_form_page(
        request,
        form,
        lambda: services.dataset_update(
            actor=actor, dataset=dataset, **cleaned_except(form, "office")
        ),
        _("Changes saved."),
        dataset=dataset,
    )


@login_required
def staff_dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """A dataset's tables with their latest upload: errors row by row, preview,
    versions; and the upload and publish buttons."""
    actor = _user(request)
    dataset = _staff_dataset(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None, dataset=dataset)

    def upload() -> ResourceVersion:
        data = form.cleaned_data
        return services.resource_upload(
            actor=actor,
            dataset=dataset,
            upload=data["file"],
            resource=(
                dataset.resources.filter(pk=data["resource"]).first()
                if data["resource"]
                else None
            ),
            name=data["name"],
            columns_text=data["columns"],
        )

    if version := form_write(request, form, upload, refused=True):
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
def staff_office_create(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "create", "datahub.office")
    initial = {"region": actor.region_id} if actor.region_id else {}
    form = OfficeForm(request.POST or None, actor=actor, initial=initial)
    if form_write(
        request,
        form,
        lambda: services.office_create(actor=actor, **form.cleaned_data),
        _("Office added."),
        refused=True,
    ):
        return redirect("datahub:staff_dataset_create")
    return render(request, "datahub/staff_office_form.html", {"form": form})
