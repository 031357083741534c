"""The CKAN actions served, one function each, and their table ``ACTIONS``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from datahub import selectors
from datahub.ckan.dicts import (
    DEFAULT_SORT,
    FORMATS,
    LICENCES,
    ROWS_DEFAULT,
    ROWS_MAX,
    Invalid,
    NotFound,
    SearchQueryError,
    _packages,
    ckan_time,
    group_dict,
    organization_dict,
    package_dict,
    resource_dicts,
    tag_dict,
)
from datahub.ckan.query import parse_query, parse_sort
from datahub.models import Dataset, Office, ResourceVersion, Topic

# --- actions ---------------------------------------------------------------------


# Offsets and limits past this bound are clamped: no catalogue holds 2³¹ rows, so the
# answer is the same (nothing left), and SQLite and PostgreSQL refuse larger OFFSETs.
INT_MAX = 2**31 - 1


def _int(params: dict[str, Any], name: str, default: int) -> int:
    raw = params.get(name, default)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Invalid({name: ["Invalid integer"]}) from None
    if value < 0:
        raise Invalid({name: ["Must be a natural number"]})
    return min(value, INT_MAX)


def _required(params: dict[str, Any], *names: str) -> str:
    """The first of ``names`` given: the object a ``*_show`` action names, which it
    cannot do without (CKAN's "Missing value", on the last name)."""
    key = str(next((params[n] for n in names if params.get(n)), "")).strip()
    if not key:
        raise Invalid({names[-1]: ["Missing value"]})
    return key


def _bool(params: dict[str, Any], name: str, default: bool = False) -> bool:
    raw = params.get(name, default)
    if isinstance(raw, bool):
        return raw
    return str(raw).lower() in ("true", "1", "yes", "on")


def _list(params: dict[str, Any], name: str) -> list[str]:
    raw = params.get(name)
    if raw in (None, ""):
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    try:
        value = json.loads(str(raw))
    except ValueError:
        return [str(raw)]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def package_list(request: HttpRequest, params: dict[str, Any]) -> list[str]:
    """Names of the published datasets (``limit``, ``offset``)."""
    limit = _int(params, "limit", 0)
    offset = _int(params, "offset", 0)
    names = (
        selectors.published_datasets().order_by("slug").values_list("slug", flat=True)
    )
    if limit:
        return list(names[offset : offset + limit])
    return list(names[offset:])


def package_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """A published dataset by name or id (``id``)."""
    key = _required(params, "id", "name_or_id")
    dataset = selectors.dataset_get_public(slug_or_id=key)
    if dataset is None:
        raise NotFound()
    return package_dict(request, dataset)


def resource_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    key = _required(params, "id")
    for dataset in _packages(
        selectors.published_datasets().filter(resources__isnull=False).distinct()
    ):
        for position, resource in enumerate(dataset.resources.all()):
            for item in resource_dicts(request, dataset, resource, position):
                if item["id"] == key:
                    return item
    raise NotFound("Resource was not found.")


FACETS = ("organization", "groups", "tags", "license_id", "res_format")
# The facets counted on a dataset column: (the item's name, its display name).
COLUMN_FACETS = {
    "organization": ("office__slug", "office__name"),
    "groups": ("topic__slug", "topic__title"),
    "license_id": ("licence", "licence"),
}


def _facets(
    datasets: QuerySet[Dataset], fields: list[str], limit: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    ids = datasets.values("pk")
    for field in fields:
        counts: dict[str, tuple[str, int]] = {}
        if field in COLUMN_FACETS:
            name, label = COLUMN_FACETS[field]
            for row in (
                Dataset.objects.filter(pk__in=ids)
                .values(*dict.fromkeys((name, label)))
                .annotate(n=Count("pk"))
            ):
                counts[row[name]] = (row[label], row["n"])
        elif field == "tags":
            tally: dict[str, int] = {}
            for words in Dataset.objects.filter(pk__in=ids).values_list(
                "keywords", flat=True
            ):
                for word in words or []:
                    tally[word] = tally.get(word, 0) + 1
            counts = {w: (w, n) for w, n in tally.items()}
        elif field == "res_format":
            n = (
                Dataset.objects.filter(pk__in=ids, resources__current__isnull=False)
                .distinct()
                .count()
            )
            if n:
                counts = {fmt: (fmt, n) for fmt, _, _ in FORMATS}
        else:
            continue
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))[:limit]
        facets[field] = {name: n for name, (_, n) in ordered}
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": label, "count": n}
                for name, (label, n) in ordered
            ],
        }
    return facets, search_facets


def package_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Search published datasets: ``q``, ``fq`` (organization:, groups:, tags:,
    res_format:, license_id:, metadata_modified:[a TO b], -negation, OR), ``rows``
    (≤ 1000), ``start``, ``sort`` (id, name, title_string, metadata_modified,
    metadata_created; asc/desc), ``facet.field``, ``facet.limit``."""
    rows = min(_int(params, "rows", ROWS_DEFAULT), ROWS_MAX)
    start = _int(params, "start", 0)
    sort = str(params.get("sort") or DEFAULT_SORT)
    order = parse_sort(sort)
    try:
        query = parse_query(str(params.get("q") or ""))
        for fq in _list(params, "fq_list") or [str(params.get("fq") or "")]:
            query &= parse_query(fq)
    except SearchQueryError as exc:
        raise SearchQueryError(f"Search Query is invalid: {exc}") from None
    datasets = selectors.published_datasets().filter(query).distinct()
    count = datasets.count()
    page = list(_packages(datasets.order_by(*order))[start : start + rows])
    facet_fields = [f for f in _list(params, "facet.field") if f in FACETS]
    facets, search_facets = _facets(
        datasets, facet_fields, _int(params, "facet.limit", 50) or 50
    )
    return {
        "count": count,
        "sort": sort,
        "facets": facets,
        "results": [package_dict(request, d) for d in page],
        "search_facets": search_facets,
    }


def _counts(field: str) -> dict[Any, int]:
    return dict(
        selectors.published_datasets()
        .values_list(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )


def _list_action(
    params: dict[str, Any],
    items: list[Any],
    counts: dict[Any, int],
    to_dict: Callable[..., dict[str, Any]],
    filter_name: str,
) -> list[Any]:
    wanted = _list(params, filter_name)
    if wanted:
        items = [i for i in items if i.slug in wanted or str(i.id) in wanted]
    sort = str(params.get("sort") or "title asc").split()
    key, reverse_ = sort[0], len(sort) > 1 and sort[1].lower() == "desc"
    if key == "name":
        items.sort(key=lambda i: i.slug, reverse=reverse_)
    elif key == "package_count":
        items.sort(key=lambda i: (counts.get(i.id, 0), i.slug), reverse=reverse_)
    elif key in ("title", "display_name"):
        items.sort(key=lambda i: str(i).lower(), reverse=reverse_)
    else:
        raise Invalid({"sort": [f"Cannot sort by field `{key}`"]})
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", 0)
    items = items[offset : offset + limit] if limit else items[offset:]
    if _bool(params, "all_fields"):
        include_count = _bool(params, "include_dataset_count", True)
        return [
            to_dict(i, package_count=counts.get(i.id, 0) if include_count else None)
            for i in items
        ]
    return [i.slug for i in items]


def organization_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """Offices (``all_fields``, ``sort``, ``limit``, ``offset``, ``organizations``)."""
    return _list_action(
        params,
        list(Office.objects.all()),
        _counts("office"),
        organization_dict,
        "organizations",
    )


def group_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """Topics (``all_fields``, ``sort``, ``limit``, ``offset``, ``groups``)."""
    return _list_action(
        params, list(Topic.objects.all()), _counts("topic"), group_dict, "groups"
    )


def _show(
    request: HttpRequest,
    params: dict[str, Any],
    found: Office | Topic | None,
    to_dict: Callable[..., dict[str, Any]],
    field: str,
) -> dict[str, Any]:
    if found is None:
        raise NotFound()
    datasets = selectors.published_datasets().filter(**{field: found})
    data = to_dict(found, package_count=datasets.count())
    if _bool(params, "include_datasets"):
        data["packages"] = [
            package_dict(request, d)
            for d in _packages(datasets.order_by("slug"))[:1000]
        ]
    data["users"] = []
    data["extras"] = []
    data["tags"] = []
    data["groups"] = []
    return data


def organization_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    key = _required(params, "id")
    office = selectors.office_get(slug_or_id=key)
    return _show(request, params, office, organization_dict, "office")


def group_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    key = _required(params, "id")
    topic = selectors.topic_get(slug_or_id=key)
    return _show(request, params, topic, group_dict, "topic")


def tag_list(request: HttpRequest, params: dict[str, Any]) -> list[str]:
    words: set[str] = set()
    for keywords in selectors.published_datasets().values_list("keywords", flat=True):
        words.update(keywords or [])
    return sorted(words)


def license_list(request: HttpRequest, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"id": key, "title": title, "url": url, "status": "active"}
        for key, (title, url) in LICENCES.items()
    ]


def status_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "site_title": "Simpul",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "site_description": "Katalog data kecamatan dan Diskominfo Kalimantan Timur",
        "ckan_version": "2.10.0",
        "api_version": 3,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": [],
    }


def help_show(request: HttpRequest, params: dict[str, Any]) -> str:
    name = str(params.get("name") or "")
    function = ACTIONS.get(name)
    if function is None:
        raise NotFound(f"Action function not found: {name}")
    return (function.__doc__ or name).strip()


def _words() -> dict[str, list[str]]:
    """Each keyword (lower-cased) with the spellings used for it."""
    words: dict[str, list[str]] = {}
    for keywords in selectors.published_datasets().values_list("keywords", flat=True):
        for word in keywords or []:
            spellings = words.setdefault(word.lower(), [])
            if word not in spellings:
                spellings.append(word)
    return words


def tag_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """A keyword by name or id (``id``, ``include_datasets``)."""
    key = _required(params, "id")
    found = None
    for spellings in _words().values():
        for word in spellings:
            if key in (word, tag_dict(word)["id"]):
                found = word
    if found is None:
        raise NotFound(f'Could not find tag "{key}"')
    data = tag_dict(found)
    if _bool(params, "include_datasets"):
        datasets = _packages(selectors.published_datasets().order_by("slug"))
        data["packages"] = [
            package_dict(request, d) for d in datasets if found in d.keywords
        ][:ROWS_MAX]
    return data


def current_package_list_with_resources(
    request: HttpRequest, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Published datasets with their resources, most recently modified first
    (``limit``, ``offset``, ``page``)."""
    limit = min(_int(params, "limit", ROWS_MAX) or ROWS_MAX, ROWS_MAX)
    offset = _int(params, "offset", 0)
    if params.get("page") not in (None, ""):
        page = _int(params, "page", 1)
        if page < 1:
            raise Invalid({"page": ["Must be larger than 0"]})
        offset = min((page - 1) * limit, INT_MAX)
    datasets = _packages(selectors.published_datasets().order_by("-updated_at", "id"))[
        offset : offset + limit
    ]
    return [package_dict(request, d) for d in datasets]


def package_autocomplete(
    request: HttpRequest, params: dict[str, Any]
) -> list[dict[str, str]]:
    """Datasets whose name or title contains ``q`` (``limit``, default 10)."""
    q = str(params.get("q") or "").strip()
    limit = min(_int(params, "limit", 10) or 10, ROWS_MAX)
    if not q:
        return []
    found = (
        selectors.published_datasets()
        .filter(Q(slug__icontains=q) | Q(title__icontains=q))
        .order_by("slug")[:limit]
    )
    results = []
    for dataset in found:
        # CKAN's own rule: a name starting with q is a name match, else a title one.
        if dataset.slug.startswith(q):
            field, displayed = "name", dataset.slug
        else:
            field, displayed = "title", f"{dataset.title} ({dataset.slug})"
        results.append(
            {
                "name": dataset.slug,
                "title": dataset.title,
                "match_field": field,
                "match_displayed": displayed,
            }
        )
    return results


RESOURCE_FIELDS = (
    "id",
    "package_id",
    "name",
    "description",
    "format",
    "mimetype",
    "url",
    "hash",
    "created",
    "last_modified",
)


def _resource_match(item: dict[str, Any], field: str, term: str) -> bool:
    value = str(item.get(field) or "").lower()
    # CKAN matches a hash by prefix, every other field anywhere in the value.
    return value.startswith(term) if field == "hash" else term in value


def resource_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Resources matching every ``field:term`` of ``query`` (a string or a list;
    case-insensitive substring, ``hash`` by prefix, as CKAN matches them),
    ``order_by``, ``offset``,
    ``limit``."""
    raw = params.get("query")
    terms = raw if isinstance(raw, list) else ([raw] if raw else [])
    wanted: list[tuple[str, str]] = []
    for term in terms:
        field, sep, value = str(term).partition(":")
        if not sep:
            raise Invalid({"query": ["Unable to parse query"]})
        if field not in RESOURCE_FIELDS:
            raise Invalid(
                {"query": [f'Field "{field}" not recognised in resource_search.']}
            )
        wanted.append((field, value.lower()))
    order_by = str(params.get("order_by") or "")
    if order_by and order_by not in RESOURCE_FIELDS:
        raise Invalid({"order_by": [f'Cannot sort by field "{order_by}"']})
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", 0)
    found = []
    for dataset in _packages(
        selectors.published_datasets().order_by("slug").distinct()
    ):
        for position, resource in enumerate(dataset.resources.all()):
            for item in resource_dicts(request, dataset, resource, position):
                if all(_resource_match(item, f, v) for f, v in wanted):
                    found.append(item)
    if order_by:
        found.sort(key=lambda item: str(item.get(order_by) or ""))
    page = found[offset : offset + limit] if limit else found[offset:]
    return {"count": len(found), "results": page}


def group_package_show(
    request: HttpRequest, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Published datasets of a topic, most recently modified first (``id``,
    ``limit``)."""
    key = _required(params, "id")
    topic = selectors.topic_get(slug_or_id=key)
    if topic is None:
        raise NotFound("Group was not found")
    limit = min(_int(params, "limit", ROWS_MAX) or ROWS_MAX, ROWS_MAX)
    datasets = _packages(
        selectors.published_datasets().filter(topic=topic).order_by("-updated_at")
    )[:limit]
    return [package_dict(request, d) for d in datasets]


def package_activity_list(
    request: HttpRequest, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """A dataset's history, newest first (``id``, ``offset``, ``limit``, default
    31): its publication (``new package``) and each accepted table upload after it
    (``changed package``). ``data.package`` holds the dataset's id, name and title;
    earlier metadata is not kept, so it is not offered."""
    key = _required(params, "id")
    dataset = selectors.dataset_get_public(slug_or_id=key)
    if dataset is None:
        raise NotFound()
    offset = _int(params, "offset", 0)
    limit = min(_int(params, "limit", 31) or 31, 100)
    summary = {"id": str(dataset.id), "name": dataset.slug, "title": dataset.title}
    published = dataset.published_at or dataset.created_at
    events: list[tuple[datetime, str, str]] = [
        (published, "new package", f"{dataset.id}:published")
    ]
    versions = ResourceVersion.objects.filter(
        resource__dataset=dataset,
        status=ResourceVersion.Status.VALID,
        created_at__gt=published,
    ).values_list("id", "created_at")
    for version_id, created in versions:
        events.append((created, "changed package", f"{dataset.id}:{version_id}"))
    events.sort(key=lambda event: event[0], reverse=True)
    return [
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"simpul:activity:{name}")),
            "timestamp": ckan_time(when),
            "user_id": None,
            "object_id": str(dataset.id),
            "activity_type": kind,
            "data": {"package": summary},
        }
        for when, kind, name in events[offset : offset + limit]
    ]


ACTIONS: dict[str, Callable[[HttpRequest, dict[str, Any]], Any]] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "license_list": license_list,
    "status_show": status_show,
    "help_show": help_show,
    "tag_show": tag_show,
    "current_package_list_with_resources": current_package_list_with_resources,
    "package_autocomplete": package_autocomplete,
    "resource_search": resource_search,
    "group_package_show": group_package_show,
    "package_activity_list": package_activity_list,
}
