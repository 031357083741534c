"""Sections that other apps add to the public pages of a region.

An app registers a function ``(request, region) -> html``; regions never imports it.
A section belongs to one page:

- ``"home"``: the home page, for people: what to do and what is new near them;
- ``"region"``: a region's page (the list of its areas, its map);
- ``"data"``: a region's data page (indicator charts and figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

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


# Per-province figures on the national home page: an app registers a label and a
# function ``(province codes) -> {province code: count}`` (one grouped query).
Tally = Callable[[list[str]], dict[str, int]]
_tallies: list[tuple[int, str, Any, Tally]] = []


def register_tally(name: str, label: Any, tally: Tally, *, order: int = 100) -> None:
    global _tallies
    _tallies = [t for t in _tallies if t[1] != name]
    _tallies.append((order, name, label, tally))
    _tallies.sort(key=lambda t: (t[0], t[1]))


def tally_names() -> list[str]:
    return [name for _, name, _, _ in _tallies]


def tally_labels() -> list[Any]:
    return [label for _, _, label, _ in _tallies]


def province_tallies(codes: list[str]) -> tuple[list[Any], dict[str, list[int]]]:
    """The labels of the registered tallies, and each province's figures in the
    same order (0 where an app counts nothing there)."""
    labels = tally_labels()
    figures: dict[str, list[int]] = {code: [] for code in codes}
    for _, _, _, tally in _tallies:
        counts = tally(codes)
        for code in codes:
            figures[code].append(counts.get(code, 0))
    return labels, figures
