"""Sections that other apps add to a region's public page.

An app registers a function ``(request, region) -> html``; regions never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from regions.models import Region

Section = Callable[[HttpRequest, "Region"], str]
_sections: list[tuple[int, str, Section]] = []


def register_section(name: str, section: Section, *, order: int = 100) -> None:
    global _sections
    _sections = [s for s in _sections if s[1] != name]
    _sections.append((order, name, section))
    _sections.sort(key=lambda s: (s[0], s[1]))


def render_sections(request: HttpRequest, region: Region) -> list[str]:
    return [html for _, _, section in _sections if (html := section(request, region))]
