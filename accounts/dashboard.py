"""Panels that other apps add to the staff dashboard.

An app registers a function that takes the request and returns HTML (or "" when it
has nothing for this user); accounts never imports the app itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Panel = Callable[[HttpRequest], str]
_panels: list[tuple[int, str, Panel]] = []


def register_panel(name: str, panel: Panel, *, order: int = 100) -> None:
    global _panels
    _panels = [p for p in _panels if p[1] != name]
    _panels.append((order, name, panel))
    _panels.sort(key=lambda p: (p[0], p[1]))


def render_panels(request: HttpRequest) -> list[str]:
    return [html for _, _, panel in _panels if (html := panel(request))]
