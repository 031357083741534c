"""The read side of the CKAN action API (v3), so that CKAN harvesters of national
and provincial portals harvest Simpul as they harvest any CKAN portal.

Routed at ``/api/3/action/<name>`` (GET, or POST with a JSON body). Responses use
CKAN's envelope: ``{"help": url, "success": true, "result": …}``; errors are
``{"success": false, "error": {"__type": "Not Found Error", "message": …}}`` with
404, validation errors 409, unknown actions 400, as CKAN answers them.

Organisations are offices, groups are topics, packages are published datasets.
Each table (resource) is offered as three CKAN resources: CSV, XLSX and JSON.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from datahub import selectors
from datahub.models import Dataset, Office, Resource, ResourceVersion, Topic
from regions.selectors import subtree_q

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


def organization_dict(
    office: Office, *, package_count: int | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(office.id),
        "name": office.slug,
        "title": office.name,
        "display_name": office.name,
        "description": office.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(office.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(topic: Topic, *, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(topic.id),
        "name": topic.slug,
        "title": topic.title,
        "display_name": topic.title,
        "description": topic.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(topic.created_at),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


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


# --- Solr-style query subset ---------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>OR|AND|\|\||&&)(?=[\s(]|$)
      | (?P<paren>[()])
      | (?P<term>[+-]?(?:[A-Za-z_][\w.]*:)?
            (?:"[^"]*"|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|[^\s()"]+))
    )""",
    re.VERBOSE,
)
_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")


def _parse_time(text: str) -> datetime | None:
    if text == "*":
        return None
    now = timezone.now()
    if text.startswith("NOW"):
        match = re.fullmatch(r"NOW(?:([+-])(\d+)(DAY|DAYS|HOUR|HOURS))?(?:/DAY)?", text)
        if not match:
            raise SearchQueryError(text)
        if match.group(1):
            n = int(match.group(2))
            delta = timedelta(days=n) if "DAY" in match.group(3) else timedelta(hours=n)
            now = now + delta if match.group(1) == "+" else now - delta
        return now
    text = text.rstrip("Z")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise SearchQueryError(text) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text_q(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(keywords__icontains=word)
        | Q(office__name__icontains=word)
        | Q(region__name__icontains=word)
        | Q(slug__icontains=word)
    )


_NOTHING = Q(pk__in=[])
_TIME_COLUMNS = {"metadata_modified": "updated_at", "metadata_created": "created_at"}


def _only(accepted: str) -> Callable[[str], Q]:
    """A field with one value that every published dataset has (``state:active``)."""
    return lambda value: Q() if value == accepted else _NOTHING


def _format_q(value: str) -> Q:
    if value.upper() in {f for f, _, _ in FORMATS}:
        return Q(resources__current__isnull=False)
    return _NOTHING


# Solr fields that harvesters query → the filter on published datasets.
_FIELDS: dict[str, Callable[[str], Q]] = {
    "organization": lambda v: Q(office__slug=v) | _id_q("office__id", v),
    "groups": lambda v: Q(topic__slug=v) | _id_q("topic__id", v),
    "tags": lambda v: Q(keywords__icontains=f'"{v.lower()}"'),
    "name": lambda v: Q(slug=v),
    "id": lambda v: _id_q("id", v),
    "title": _text_q,
    "license_id": lambda v: Q(licence=v),
    "res_format": _format_q,
    "dataset_type": _only("dataset"),
    "state": _only("active"),
    "capacity": _only("public"),
    "private": _only("false"),
    "kode_wilayah": subtree_q,
    "frequency": lambda v: Q(frequency=v),
    "jenis": lambda v: Q(kind=v),
}
_ALIASES = {
    "owner_org": "organization",
    "group": "groups",
    "tag": "tags",
    "text": "title",
    "notes": "title",
    "type": "dataset_type",
    "region": "kode_wilayah",
    "frekuensi": "frequency",
    "kind": "jenis",
}


def _alternatives_q(field: str, value: str) -> Q:
    """``field:(a OR b)`` or ``field:(a b)``: any of them."""
    combined = _NOTHING
    for alternative in re.split(r"\s+(?:OR|\|\|)\s+|\s+", value[1:-1].strip()):
        if alternative:
            combined |= _field_q(field, alternative)
    return combined


def _time_q(column: str, value: str) -> Q:
    """A time or a range ``[low TO high]`` / ``{low TO high}`` (``*`` open)."""
    match = _RANGE.match(value)
    if not match:
        when = _parse_time(value)
        return Q(**{column: when}) if when else Q()
    low, high = _parse_time(match.group(2)), _parse_time(match.group(3))
    q = Q()
    if low is not None:
        q &= Q(**{f"{column}__{'gte' if match.group(1) == '[' else 'gt'}": low})
    if high is not None:
        q &= Q(**{f"{column}__{'lte' if match.group(4) == ']' else 'lt'}": high})
    return q


def _field_q(field: str, value: str) -> Q:
    """One ``field:value`` term as a filter on published datasets."""
    if value.startswith("(") and value.endswith(")"):
        return _alternatives_q(field, value)
    value = value.strip('"')
    if field in _TIME_COLUMNS:
        return _time_q(_TIME_COLUMNS[field], value)
    if _RANGE.match(value):
        raise SearchQueryError(value)
    if value == "*":
        return Q()
    build = _FIELDS.get(_ALIASES.get(field, field))
    # A field we do not index matches nothing, as in Solr.
    return build(value) if build else _NOTHING


def _id_q(lookup: str, value: str) -> Q:
    try:
        return Q(**{lookup: uuid.UUID(value)})
    except ValueError:
        return Q(pk__in=[])


def parse_query(text: str) -> Q:
    """A subset of Solr syntax: ``field:value``, ``-field:value``, ``"phrases"``,
    ranges ``[a TO b]``, ``a OR b`` (binding adjacent terms), ``field:(a OR b)``;
    other terms are ANDed. Bare words search the text."""
    text = text.strip()
    if not text or text in ("*:*", "*"):
        return Q()
    position = 0
    clauses: list[Q] = []
    pending_or = False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip():
                raise SearchQueryError(text[position:])
            break
        position = match.end()
        if match.group("op"):
            pending_or = match.group("op") in ("OR", "||")
            continue
        if match.group("paren"):
            continue
        term = match.group("term")
        negate = term.startswith("-")
        term = term.lstrip("+-")
        field, sep, value = term.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][\w.]*", field):
            q = Q() if field == "*" and value == "*" else _field_q(field, value)
        else:
            words = term.strip('"').split()
            q = Q()
            for word in words:
                q &= _text_q(word)
        if negate:
            q = ~q
        if pending_or and clauses:
            clauses[-1] = clauses[-1] | q
        else:
            clauses.append(q)
        pending_or = False
    combined = Q()
    for clause in clauses:
        combined &= clause
    return combined


_SORTS = {
    "id": "id",
    "name": "slug",
    "title": "title",
    "title_string": "title",
    "metadata_modified": "updated_at",
    "metadata_created": "created_at",
}


def parse_sort(text: str) -> list[str]:
    order: list[str] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        field = words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if field == "score":
            continue
        if field not in _SORTS or direction not in ("asc", "desc"):
            raise Invalid({"sort": [f"Invalid sort: {part.strip()}"]})
        order.append(("-" if direction == "desc" else "") + _SORTS[field])
    if not order:
        order = ["-updated_at"]
    return [*order, "id"]


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
    key = str(params.get("id") or params.get("name_or_id") or "").strip()
    if not key:
        raise Invalid({"name_or_id": ["Missing value"]})
    dataset = selectors.dataset_get_public(slug_or_id=key)
    if dataset is None:
        raise NotFound()
    return package_dict(request, dataset)


def resource_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
    for dataset in _packages(
        selectors.published_datasets().filter(resources__isnull=False).distinct()
    ):
        for position, resource in enumerate(dataset.resources.all()):
            for item in resource_dicts(request, dataset, resource, position):
                if item["id"] == key:
                    return item
    raise NotFound("Resource was not found.")


FACETS = ("organization", "groups", "tags", "license_id", "res_format")


def _facets(
    datasets: QuerySet[Dataset], fields: list[str], limit: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    ids = datasets.values("pk")
    for field in fields:
        counts: dict[str, tuple[str, int]] = {}
        if field == "organization":
            for row in (
                Dataset.objects.filter(pk__in=ids)
                .values("office__slug", "office__name")
                .annotate(n=Count("pk"))
            ):
                counts[row["office__slug"]] = (row["office__name"], row["n"])
        elif field == "groups":
            for group in (
                Dataset.objects.filter(pk__in=ids)
                .values("topic__slug", "topic__title")
                .annotate(n=Count("pk"))
            ):
                counts[group["topic__slug"]] = (group["topic__title"], group["n"])
        elif field == "license_id":
            for licence in (
                Dataset.objects.filter(pk__in=ids)
                .values("licence")
                .annotate(n=Count("pk"))
            ):
                counts[licence["licence"]] = (licence["licence"], licence["n"])
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
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
    office = selectors.office_get(slug_or_id=key)
    return _show(request, params, office, organization_dict, "office")


def group_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
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
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
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
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
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
    key = str(params.get("id") or "").strip()
    if not key:
        raise Invalid({"id": ["Missing value"]})
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


def _mixed(query: Any) -> dict[str, Any]:
    """CKAN's reading of query strings and forms: a key given once is a string,
    a key given more than once a list (``fq_list`` is always a list)."""
    params: dict[str, Any] = {}
    for key in query:
        values = query.getlist(key)
        params[key] = values[0] if len(values) == 1 and key != "fq_list" else values
    return params


def _params(request: HttpRequest) -> dict[str, Any]:
    """The action's parameters, where CKAN takes them from: a form (URL-encoded or
    multipart) for POSTs that send one, else a JSON body, else the query string."""
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = _mixed(request.POST)
        # CKAN's old clients post the JSON object as the only key of a form.
        if len(form) == 1 and next(iter(form.values())) in ("", "1"):
            try:
                body = json.loads(next(iter(form)))
            except ValueError:
                body = None
            if isinstance(body, dict):
                return body
        return form
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            raise BadRequest(f"JSON Error: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest(
                f"Bad request data: Request data JSON decoded to {body!r} but it "
                "needs to be a dictionary."
            )
        return body
    return _mixed(request.GET)


def _envelope(
    request: HttpRequest, name: str, status: int, **fields: Any
) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("ckan:action", kwargs={"name": "help_show"}))
        + f"?name={name}"
    )
    response = JsonResponse(
        {"help": help_url, **fields},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@never_cache
def action(request: HttpRequest, name: str) -> JsonResponse:
    """``GET|POST /api/action/<name>`` and ``/api/3/action/<name>``: CKAN's
    envelope around each action, with CKAN's status codes."""
    function = ACTIONS.get(name)
    if function is None:
        return _envelope(
            request,
            name,
            400,
            success=False,
            error={"message": f"Bad request - Action name not known: {name}"},
        )
    try:
        result = function(request, _params(request))
    except BadRequest as exc:
        return _envelope(
            request,
            name,
            400,
            success=False,
            error={"message": f"Bad request - {exc}"},
        )
    except NotFound as exc:
        message = f"Not found: {exc}" if str(exc) else "Not found"
        return _envelope(
            request,
            name,
            404,
            success=False,
            error={"__type": "Not Found Error", "message": message},
        )
    except Invalid as exc:
        return _envelope(
            request,
            name,
            409,
            success=False,
            error={"__type": "Validation Error", **exc.errors},
        )
    except SearchQueryError as exc:
        # CKAN answers a query Solr cannot parse with 400, not 409.
        return _envelope(
            request,
            name,
            400,
            success=False,
            error={"__type": "Search Query Error", "message": str(exc)},
        )
    return _envelope(request, name, 200, success=True, result=result)


@never_cache
def api_version(request: HttpRequest, ver: int = 1) -> JsonResponse:
    """``/api/`` and ``/api/3``: the API version, as CKAN answers it."""
    response = JsonResponse({"version": ver})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
def util_status(request: HttpRequest) -> JsonResponse:
    """``/api/util/status``: CKAN's site status."""
    data = status_show(request, {})
    data.pop("api_version")
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response
