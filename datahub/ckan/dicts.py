"""CKAN's dictionaries of offices, topics, tags, resources and packages."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from datahub import selectors
from datahub.models import Dataset, Office, Resource, Topic

ROWS_DEFAULT = 10
ROWS_MAX = 1000
DEFAULT_SORT = "score desc, metadata_modified desc"

LICENCES: dict[str, tuple[str, str]] = {
    # CKAN's licence ids, titles and URLs (ckan/model/license.py).
    "cc-by": (
        "Creative Commons Attribution",
        "http://www.opendefinition.org/licenses/cc-by",
    ),
    "cc-by-sa": (
        "Creative Commons Attribution Share-Alike",
        "http://www.opendefinition.org/licenses/cc-by-sa",
    ),
    "cc-zero": (
        "Creative Commons CCZero",
        "http://www.opendefinition.org/licenses/cc-zero",
    ),
    "odc-by": (
        "Open Data Commons Attribution License",
        "http://www.opendefinition.org/licenses/odc-by",
    ),
    "other-open": ("Other (Open)", ""),
}
FORMATS: list[tuple[str, str, str]] = [
    # (CKAN format, file extension, mimetype)
    ("CSV", "csv", "text/csv"),
    (
        "XLSX",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("JSON", "json", "application/json"),
]


class NotFound(Exception):
    pass


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class SearchQueryError(Exception):
    pass


class BadRequest(Exception):
    pass


# --- dictionaries ------------------------------------------------------------------


def ckan_time(value: datetime | None) -> str | None:
    """CKAN writes UTC times without a zone: ``2026-01-31T08:00:00.123456``."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def _group_like(
    owner: Office | Topic,
    title: str,
    *,
    kind: str,
    package_count: int | None,
) -> dict[str, Any]:
    """CKAN's dict of a group: an organization (an office) and a group (a topic)
    differ only in ``type`` and ``is_organization``."""
    data: dict[str, Any] = {
        "id": str(owner.id),
        "name": owner.slug,
        "title": title,
        "display_name": title,
        "description": owner.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(owner.created_at),
        "is_organization": kind == "organization",
        "approval_status": "approved",
        "state": "active",
        "type": kind,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def organization_dict(
    office: Office, *, package_count: int | None = None
) -> dict[str, Any]:
    return _group_like(
        office, office.name, kind="organization", package_count=package_count
    )


def group_dict(topic: Topic, *, package_count: int | None = None) -> dict[str, Any]:
    return _group_like(topic, topic.title, kind="group", package_count=package_count)


def tag_dict(word: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"simpul:tag:{word}")),
        "name": word,
        "display_name": word,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_id(resource: Resource, fmt: str) -> str:
    if fmt == "CSV":
        return str(resource.id)
    return str(uuid.uuid5(resource.id, fmt))


def resource_dicts(
    request: HttpRequest, dataset: Dataset, resource: Resource, position: int
) -> list[dict[str, Any]]:
    current = resource.current
    if current is None:
        return []
    items = []
    for i, (fmt, ext, mimetype) in enumerate(FORMATS):
        url = request.build_absolute_uri(
            reverse(
                "datahub:download",
                kwargs={"slug": dataset.slug, "resource": resource.id, "fmt": ext},
            )
        )
        items.append(
            {
                "id": resource_id(resource, fmt),
                "package_id": str(dataset.id),
                "name": f"{resource.name} ({fmt})",
                "description": resource.description,
                "format": fmt,
                "mimetype": mimetype,
                "url": url,
                "url_type": None,
                "created": ckan_time(resource.created_at),
                "last_modified": ckan_time(current.created_at),
                "metadata_modified": ckan_time(resource.updated_at),
                "position": position * len(FORMATS) + i,
                "state": "active",
                "size": None,
                "hash": current.sha256 if fmt == "CSV" and current.sha256 else "",
                "datastore_active": False,
                "version": str(current.number),
                "rows": current.row_count,
            }
        )
    return items


def package_dict(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    licence_title, licence_url = LICENCES.get(dataset.licence, (dataset.licence, ""))
    resources: list[dict[str, Any]] = []
    for position, resource in enumerate(dataset.resources.all()):
        resources += resource_dicts(request, dataset, resource, position)
    tags = [tag_dict(word) for word in dataset.keywords]
    extras = {
        "frekuensi": dataset.get_frequency_display(),
        "frequency": dataset.frequency,
        "kode_wilayah": dataset.region_id,
        "nama_wilayah": dataset.region.name,
        "produsen_data": dataset.office.name,
        "satuan": dataset.unit,
        "periode_awal": dataset.period_start.isoformat()
        if dataset.period_start
        else "",
        "periode_akhir": dataset.period_end.isoformat() if dataset.period_end else "",
        "jenis": dataset.kind,
        "indikator": dataset.indicator,
        "issued": ckan_time(dataset.published_at) or "",
    }
    page = request.build_absolute_uri(dataset.get_absolute_url())
    return {
        "id": str(dataset.id),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": dataset.licence in LICENCES,
        "license_id": dataset.licence,
        "license_title": licence_title,
        "license_url": licence_url,
        "url": page,
        "version": "",
        "author": dataset.office.name,
        "author_email": dataset.office.email or None,
        "maintainer": dataset.office.name,
        "maintainer_email": dataset.office.email or None,
        "creator_user_id": None,
        "owner_org": str(dataset.office.id),
        "organization": organization_dict(dataset.office),
        "groups": [group_dict(dataset.topic)],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v)}
            for k, v in extras.items()
            if v
        ],
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def _packages(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.prefetch_related(selectors._resources_prefetch())
