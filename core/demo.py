"""Demo data loaders that apps register; ``manage.py load_demo`` runs them in order.

Each loader must be idempotent (running it again keeps existing data) and returns
lines to print once, e.g. the demo passwords it has just created.
"""

from __future__ import annotations

from collections.abc import Callable

DemoLoader = Callable[[], list[str]]
_loaders: list[tuple[int, str, DemoLoader]] = []


def register_demo(name: str, loader: DemoLoader, *, order: int = 100) -> None:
    global _loaders
    _loaders = [item for item in _loaders if item[1] != name]
    _loaders.append((order, name, loader))
    _loaders.sort(key=lambda item: (item[0], item[1]))


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    return [(name, loader) for _, name, loader in _loaders]
