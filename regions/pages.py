"""Sections that other apps add to the public pages of a region.

An app registers a function ``(request, region) -> html``; regions never imports it.
A section belongs to one page:

- ``"home"``: the home page, for people: what to do and what is new near them;
- ``"region"``: a region's page (the list of its areas, its map);
- ``"data"``: a region's data page (indicator charts and figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest

if TYPE_CHECKING:
    from regions.models import Region

Section = Callable[[HttpRequest, "Region"], str]
Page = Literal["home", "region", "data"]
PAGES: tuple[Page, ...] = ("home", "region", "data")
_sections: list[tuple[int, str, Section]] = []
_pages: dict[str, Page] = {}


def register_section(
    name: str, section: Section, *, order: int = 100, page: Page = "region"
) -> None:
    global _sections
    if page not in PAGES:
        raise ValueError(f"Unknown page {page!r} for section {name!r}")
    _sections = [s for s in _sections if s[1] != name]
    _sections.append((order, name, section))
    _sections.sort(key=lambda s: (s[0], s[1]))
    _pages[name] = page


def render_sections(
    request: HttpRequest, region: Region, *, page: Page = "region"
) -> list[str]:
    return [
        html
        for _, name, section in _sections
        if _pages.get(name) == page and (html := section(request, region))
    ]
