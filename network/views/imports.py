"""Staff pages to import KIMs and members from a spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.permissions import permitted_user
from network.forms import (
    ImportForm,
)
from network.importing import (
    FORMATS,
    TEMPLATE_COLUMNS,
    SheetError,
    export_response,
    kim_import,
    template_rows,
)
from network.uploads import MAX_UPLOAD_BYTES


@login_required
def kim_import_view(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "import", "network.kim")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                result = kim_import(
                    actor=actor, data=upload.read(), filename=upload.name
                )
            except SheetError as exc:
                form.add_error("file", str(exc))
    return render(
        request,
        "network/import.html",
        {"form": form, "result": result, "columns": TEMPLATE_COLUMNS},
    )


@login_required
def kim_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return export_response(
        filename="templat-impor-kim",
        headers=[c[0] for c in TEMPLATE_COLUMNS],
        rows=template_rows(),
        fmt=fmt,
    )
