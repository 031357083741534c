"""The one shape of every API list: ``{"count", "page", "page_size", "pages",
"items"}``.

A list endpoint declares ``response=list[ItemSchema]``, returns a queryset (or a
``Mapped`` one, or a list) and is wrapped with ``@paged()``.  ``page`` and
``page_size`` are bounded so that an offset never grows past what a database
index can take (PostgreSQL answered 500 to ``page=10**20``); a page after the
last is empty, anything out of bounds is a 400 with the usual structured body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, get_type_hints

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

PAGE_MAX = 100_000
PAGE_SIZE_MAX = 200


class Mapped:
    """A queryset whose items are turned into dicts (``fn``) only for the page
    sent, for endpoints that build their items by hand."""

    def __init__(self, items: QuerySet[Any], fn: Callable[[Any], Any]) -> None:
        self.items = items
        self.fn = fn

    def count(self) -> int:
        return self.items.count()

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.fn(item) for item in self.items[window]]


def _count(items: Any) -> int:
    if isinstance(items, QuerySet | Mapped):
        return items.count()
    return len(items)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=PAGE_MAX)
    page_size: int | None = Field(None, ge=1, le=PAGE_SIZE_MAX)


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[Any]


class Pagination(PaginationBase):
    # Named for the OpenAPI document, where a bare "Input" could meet another.
    Input = PageQuery  # type: ignore[assignment]
    Output = Page  # type: ignore[assignment]

    def __init__(self, *, page_size: int = 50, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Mapped | Sequence[Any],
        pagination: PageQuery,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        size = pagination.page_size or self.page_size
        count = _count(queryset)
        start = (pagination.page - 1) * size
        # Past the last page nothing is asked of the database at all.
        items = list(queryset[start : start + size]) if start < count else []
        return {
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": max(1, -(-count // size)),
            "items": items,
        }


def paged(page_size: int = 50) -> Callable[[Callable[..., Any]], Any]:
    """``@paged(20)`` under ``@router.get(..., response=list[Item])``."""

    def wrap(view: Callable[..., Any]) -> Any:
        # ninja reads the wrapper's signature in its own module, where the string
        # annotations of ``from __future__ import annotations`` mean nothing.
        view.__annotations__ = get_type_hints(view, include_extras=True)
        return paginate(Pagination, page_size=page_size)(view)

    return wrap
