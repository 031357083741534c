"""The subset of Solr's query syntax that CKAN harvesters send (q, fq, sort)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from datahub.ckan.dicts import FORMATS, Invalid, SearchQueryError
from regions.selectors import subtree_q

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
