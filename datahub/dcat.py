"""The catalogue as DCAT (W3C Data Catalog Vocabulary) in JSON-LD, with DCAT-AP
frequency and file-type vocabularies, paged as a Hydra collection like
ckanext-dcat's ``/catalog.jsonld``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from datahub.ckan import FORMATS, ckan_time
from datahub.models import Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "adms": "http://www.w3.org/ns/adms#",
}
_EU = "http://publications.europa.eu/resource/authority/"
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "continuous": "UPDATE_CONT",
}
LICENCE_URIS = {
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
}
PAGE_SIZE = 100


def _time(value: Any) -> dict[str, str] | None:
    text = ckan_time(value)
    return {"@value": text, "@type": "xsd:dateTime"} if text else None


def dataset_node(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    page = request.build_absolute_uri(dataset.get_absolute_url())
    office = dataset.office
    office_uri = request.build_absolute_uri(
        reverse("datahub:catalogue") + f"?kantor={office.slug}"
    )
    licence = LICENCE_URIS.get(dataset.licence)
    distributions = []
    for resource in dataset.resources.all():
        if resource.current is None:
            continue
        for fmt, ext, mimetype in FORMATS:
            url = request.build_absolute_uri(
                reverse(
                    "datahub:download",
                    kwargs={"slug": dataset.slug, "resource": resource.id, "fmt": ext},
                )
            )
            distribution: dict[str, Any] = {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:identifier": f"{resource.id}/{ext}",
                "dct:title": f"{resource.name} ({fmt})",
                "dct:description": resource.description,
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": mimetype,
                "dct:format": {"@id": f"{_EU}file-type/{fmt}"},
                "dct:modified": _time(resource.current.created_at),
            }
            if licence:
                distribution["dct:license"] = {"@id": licence}
            distributions.append(distribution)
    node: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": str(dataset.id),
        "dct:title": dataset.title,
        "dct:description": dataset.description,
        "dcat:keyword": dataset.keywords,
        "dcat:theme": {
            "@id": request.build_absolute_uri(
                reverse("datahub:catalogue") + f"?topik={dataset.topic.slug}"
            ),
            "dct:title": dataset.topic.title,
        },
        "dct:publisher": {
            "@id": office_uri,
            "@type": "foaf:Organization",
            "foaf:name": office.name,
        },
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": office.name,
            **({"vcard:hasEmail": f"mailto:{office.email}"} if office.email else {}),
        },
        "dct:issued": _time(dataset.published_at),
        "dct:modified": _time(dataset.updated_at),
        "dct:accrualPeriodicity": {
            "@id": f"{_EU}frequency/{FREQUENCIES.get(dataset.frequency, 'UNKNOWN')}"
        },
        "dct:spatial": {
            "@id": request.build_absolute_uri(dataset.region.get_absolute_url()),
            "dct:identifier": dataset.region_id,
            "foaf:name": dataset.region.name,
        },
        "dct:language": {"@id": f"{_EU}language/IND"},
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": distributions,
    }
    if dataset.period_start or dataset.period_end:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": dataset.period_start.isoformat()
            if dataset.period_start
            else None,
            "dcat:endDate": dataset.period_end.isoformat()
            if dataset.period_end
            else None,
        }
    if licence:
        node["dct:license"] = {"@id": licence}
    if dataset.unit:
        node["adms:versionNotes"] = f"Satuan: {dataset.unit}"
    return node


def catalogue(request: HttpRequest, datasets: Any, page: int) -> dict[str, Any]:
    total = datasets.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    items = datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    base = request.build_absolute_uri(reverse("datahub:dcat"))
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(reverse("datahub:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": "Simpul: katalog data Kalimantan Timur",
        "dct:description": (
            "Data terbuka kecamatan, kabupaten/kota dan provinsi Kalimantan Timur, "
            "termasuk indikator bawaan yang dihitung oleh Simpul."
        ),
        "dct:language": {"@id": f"{_EU}language/IND"},
        "foaf:homepage": {"@id": request.build_absolute_uri("/")},
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": "Diskominfo Provinsi Kalimantan Timur",
        },
        "dcat:dataset": [dataset_node(request, d) for d in items],
        "hydra:view": {
            "@id": f"{base}?page={page}",
            "@type": "hydra:PartialCollectionView",
            "hydra:totalItems": total,
            "hydra:itemsPerPage": PAGE_SIZE,
            "hydra:first": f"{base}?page=1",
            "hydra:last": f"{base}?page={pages}",
        },
    }
    if page < pages:
        data["hydra:view"]["hydra:next"] = f"{base}?page={page + 1}"
    if page > 1:
        data["hydra:view"]["hydra:previous"] = f"{base}?page={page - 1}"
    return data
