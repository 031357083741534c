"""schema.org Dataset for a dataset's public page (Google Dataset Search and
other crawlers; the DCAT catalogue is separate, for harvesters)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from datahub.dcat import LICENCE_URIS
from datahub.models import Dataset

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset_jsonld(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    url = request.build_absolute_uri(dataset.get_absolute_url())
    publisher = {"@type": "GovernmentOrganization", "name": dataset.office.name}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.description,
        "url": url,
        "identifier": str(dataset.pk),
        "inLanguage": "id",
        "isAccessibleForFree": True,
        "creator": publisher,
        "publisher": publisher,
        "dateModified": dataset.updated_at.isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": "Simpul Data",
            "url": request.build_absolute_uri(reverse("datahub:catalogue")),
        },
    }
    if dataset.region is not None:
        data["spatialCoverage"] = {
            "@type": "Place",
            "name": dataset.region.name,
            "identifier": dataset.region.kode,
        }
    if dataset.published_at:
        data["datePublished"] = dataset.published_at.isoformat()
    if dataset.keywords:
        data["keywords"] = list(dataset.keywords)
    if licence := LICENCE_URIS.get(dataset.licence):
        data["license"] = licence
    if dataset.period_start or dataset.period_end:
        start = dataset.period_start.isoformat() if dataset.period_start else ".."
        end = dataset.period_end.isoformat() if dataset.period_end else ".."
        data["temporalCoverage"] = f"{start}/{end}"
    distribution = []
    for resource in dataset.resources.all():
        if resource.current_id is None:
            continue
        for fmt, mime in FORMATS.items():
            path = reverse(
                "datahub:download",
                kwargs={"slug": dataset.slug, "resource": resource.pk, "fmt": fmt},
            )
            distribution.append(
                {
                    "@type": "DataDownload",
                    "name": resource.name,
                    "encodingFormat": mime,
                    "contentUrl": request.build_absolute_uri(path),
                }
            )
    if distribution:
        data["distribution"] = distribution
    return data
